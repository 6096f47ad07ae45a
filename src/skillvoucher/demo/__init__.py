"""Synthetic data: realistic persons for demonstrations and benchmarks."""

from skillvoucher.demo.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_REGION,
    create_demo_accounts,
    current_totp_code,
)
from skillvoucher.demo.persons import age_on, county_weights, generate_persons
from skillvoucher.demo.service import GenerationResult, generate_demo_persons, region_weights

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DEMO_REGION",
    "GenerationResult",
    "age_on",
    "county_weights",
    "create_demo_accounts",
    "current_totp_code",
    "generate_demo_persons",
    "generate_persons",
    "region_weights",
]
