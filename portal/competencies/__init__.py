"""Competency catalogue per PermenPANRB 38/2017: categories, codes, levels 1-5."""
