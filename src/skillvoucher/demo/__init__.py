"""Synthetic data: realistic persons, institutions, courses and classes for demonstrations and benchmarks."""

from skillvoucher.demo.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_REGION,
    create_demo_accounts,
    current_totp_code,
)
from skillvoucher.demo.catalogue import CatalogueResult, generate_demo_catalogue
from skillvoucher.demo.national import NationalResult, build_national_demo, national_plan_for
from skillvoucher.demo.persons import age_on, county_weights, generate_persons
from skillvoucher.demo.service import GenerationResult, generate_demo_persons, region_weights, store_demo_persons
from skillvoucher.demo.vouchers import DemoVouchers, generate_demo_vouchers

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DEMO_REGION",
    "CatalogueResult",
    "DemoVouchers",
    "GenerationResult",
    "NationalResult",
    "age_on",
    "build_national_demo",
    "county_weights",
    "create_demo_accounts",
    "current_totp_code",
    "generate_demo_catalogue",
    "generate_demo_persons",
    "generate_demo_vouchers",
    "generate_persons",
    "national_plan_for",
    "region_weights",
    "store_demo_persons",
]
