"""The one JP conversion lives with the development types it describes (:mod:`portal.competencies.conversion`);
re-exported here so learning's modules and tests read it where they always did."""

from __future__ import annotations

from portal.competencies.conversion import (
    DEFAULT_MINUTES_PER_JP,
    UNIT_NOUNS,
    Conversion,
    Measure,
    all_rules,
    convert,
    jp_for,
    minutes_per_jp,
    rate,
    units_of,
)

__all__ = [
    "DEFAULT_MINUTES_PER_JP",
    "UNIT_NOUNS",
    "Conversion",
    "Measure",
    "all_rules",
    "convert",
    "jp_for",
    "minutes_per_jp",
    "rate",
    "units_of",
]
