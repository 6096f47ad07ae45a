"""Rollup counters for the statistics: kept exact in the same transaction as each counted state change."""

from skillvoucher.stats.counting import SLOTS, count, count_many, flush_counts
from skillvoucher.stats.measures import (
    CHINA,
    MEASURES,
    NATIONAL,
    NO_POLICY,
    Dimension,
    Subject,
    group_bits,
    keys_of,
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
    "SLOTS",
    "Dimension",
    "StatCount",
    "Subject",
    "count",
    "count_many",
    "flush_counts",
    "group_bits",
    "keys_of",
    "lineage",
    "month_of",
    "month_of_day",
]
