"""Demo learning records: positions and standards, self-reported records, plans, a city with a spread of JP."""

from __future__ import annotations

from collections.abc import Mapping

from portal.demo.context import DemoContext


def load(_context: DemoContext) -> Mapping[str, int]:
    return {}
