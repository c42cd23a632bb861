"""Pooling small units for the needs analysis, so every unit's needs show at the smallest grouping that keeps the
anonymity threshold (:func:`~portal.feedback.services.results.min_group`).

1. A unit with at least the threshold of responses stands alone.
2. The smaller units of one kind (kecamatan, dinas, badan, ...) are pooled together when the pool reaches it.
3. What is left (small units whose kind pool stays small, units of kind "lainnya", answers without a unit) forms
   "OPD lain". When that pool is still below the threshold it takes in the smallest kind pool, then the smallest
   single units, until it reaches it: a pool below the threshold would otherwise show as the city minus the rest.

Every pool names the units in it. With fewer responses in all than the threshold, nothing is pooled: one hidden
"OPD lain" row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.core.i18n import lazy_gettext as _l
from portal.units import services as units
from portal.units.models import Unit, UnitKind

KIND_LABELS: dict[UnitKind, Any] = {
    UnitKind.SECRETARIAT: _l("Sekretariat (gabungan)"),
    UnitKind.INSPECTORATE: _l("Inspektorat (gabungan)"),
    UnitKind.AGENCY: _l("Badan (gabungan)"),
    UnitKind.OFFICE: _l("Dinas (gabungan)"),
    UnitKind.HOSPITAL: _l("RSUD (gabungan)"),
    UnitKind.SERVICE: _l("Unit layanan (gabungan)"),
    UnitKind.DISTRICT: _l("Kecamatan (gabungan)"),
}
OTHER_LABEL = _l("OPD lain (gabungan)")
NO_UNIT_LABEL = _l("Tanpa unit (tautan publik)")


@dataclass
class Pool:
    """One row of the needs per unit: a single unit, or a pool of units named in ``members``."""

    key: str  # "unit-<id>", "kind-<kind>" or "other"
    unit_ids: list[int | None]  # None: answers without a unit
    members: list[Unit | None]
    responses: set[int] = field(default_factory=set)
    label: Any = ""
    suppressed: bool = False  # below the threshold (only when every response together is)

    @property
    def pooled(self) -> bool:
        return not self.key.startswith("unit-")

    @property
    def respondents(self) -> int:
        return len(self.responses)

    @property
    def member_names(self) -> list[str]:
        return [str(unit.name) if unit else str(NO_UNIT_LABEL) for unit in self.members]


def _merge(into: Pool, other: Pool) -> None:
    into.unit_ids += other.unit_ids
    into.members += other.members
    into.responses |= other.responses


def pool_units(unit_responses: Mapping[int | None, set[int]], least: int) -> list[Pool]:
    """The pools of the units that answered (``unit id -> response ids``), single units first (by name), then
    kind pools, then "OPD lain"."""
    known = {unit.id: unit for unit in units.list_all()}

    def single(unit_id: int | None) -> Pool:
        unit = known.get(unit_id) if unit_id is not None else None
        label = unit.name if unit else NO_UNIT_LABEL
        return Pool(f"unit-{unit_id}", [unit_id], [unit], set(unit_responses[unit_id]), label)

    answered = [unit_id for unit_id, responses in unit_responses.items() if responses]
    total = len(set().union(*(unit_responses[u] for u in answered))) if answered else 0
    if total < least:
        everyone = Pool("other", [], [], set(), OTHER_LABEL, suppressed=True)
        for unit_id in answered:
            _merge(everyone, single(unit_id))
        return [everyone] if answered else []
    singles, by_kind = [], defaultdict(list)
    other = Pool("other", [], [], set(), OTHER_LABEL)
    for unit_id in answered:
        pool = single(unit_id)
        unit = pool.members[0]
        if pool.respondents >= least:
            singles.append(pool)
        elif unit is None or unit.kind == UnitKind.OTHER:
            _merge(other, pool)
        else:
            by_kind[unit.kind].append(pool)
    kinds = []
    for kind, small in by_kind.items():
        pool = Pool(f"kind-{kind.value}", [], [], set(), KIND_LABELS[kind])
        for part in small:
            _merge(pool, part)
        if pool.respondents >= least:
            kinds.append(pool)
        else:
            _merge(other, pool)
    while other.unit_ids and other.respondents < least:
        donors = kinds or singles
        smallest = min(donors, key=lambda p: (p.respondents, str(p.label)))
        donors.remove(smallest)
        _merge(other, smallest)
    pools = sorted(singles, key=lambda p: str(p.label).casefold())
    pools += sorted(kinds, key=lambda p: str(p.label).casefold())
    if other.unit_ids:
        pools.append(other)
    for pool in pools:
        order = sorted(range(len(pool.members)), key=lambda i: (pool.members[i] is None, pool.member_names[i]))
        pool.unit_ids = [pool.unit_ids[i] for i in order]
        pool.members = [pool.members[i] for i in order]
    return pools


def pool_of(pools: list[Pool], unit_id: int) -> Pool | None:
    return next((pool for pool in pools if unit_id in pool.unit_ids), None)
