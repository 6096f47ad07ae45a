"""Synthetic data: realistic persons for demonstrations and benchmarks."""

from skillvoucher.demo.persons import age_on, county_weights, generate_persons
from skillvoucher.demo.service import GenerationResult, generate_demo_persons, region_weights

__all__ = [
    "GenerationResult",
    "age_on",
    "county_weights",
    "generate_demo_persons",
    "generate_persons",
    "region_weights",
]
