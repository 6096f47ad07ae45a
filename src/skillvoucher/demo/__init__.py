"""Synthetic data: realistic persons for demonstrations and benchmarks."""
