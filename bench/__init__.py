"""Benchmarks run by `make bench` (`python -m bench`), against a PostgreSQL database of their own."""
