"""Rollup counters for the statistics: kept exact in the same transaction as each counted state change."""

from skillvoucher.stats.compaction import compact, fold_batches, fold_slots
from skillvoucher.stats.counting import SLOTS, count, count_many, flush_counts
from skillvoucher.stats.measures import (
    CHINA,
    MEASURES,
    NATIONAL,
    NO_POLICY,
    POLICY_KINDS,
    Dimension,
    Subject,
    group_bits,
    keys_of,
    kind_key,
    kind_of_key,
    month_of,
    month_of_day,
)
from skillvoucher.stats.models import StatCount
from skillvoucher.stats.regions import lineage

__all__ = [
    "CHINA",
    "MEASURES",
    "NATIONAL",
    "NO_POLICY",
    "POLICY_KINDS",
    "SLOTS",
    "Dimension",
    "StatCount",
    "Subject",
    "compact",
    "count",
    "count_many",
    "flush_counts",
    "fold_batches",
    "fold_slots",
    "group_bits",
    "keys_of",
    "kind_key",
    "kind_of_key",
    "lineage",
    "month_of",
    "month_of_day",
]
