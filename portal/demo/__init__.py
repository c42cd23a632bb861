"""Realistic Sawahlunto demo data for `make run` and manual testing."""
