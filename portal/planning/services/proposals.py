"""An OPD's proposal: suggestions from its ranked needs, its people's gaps and their approved individual plans;
items the OPD accepts or writes (competency, target group, participants, quarter, method, provider, cost);
submitting it to BKPSDM, and BKPSDM returning it for changes.

An OPD's plan is editable while it is a draft. Submitted, it waits for BKPSDM, who may return it (a draft again,
with a note) or consolidate it into the city plan; approving the city plan approves the OPD plans in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from portal.audit import services as audit
from portal.competencies import conversion
from portal.competencies import queries as competency_catalogue
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.services import needs_analysis
from portal.learning import queries as learning
from portal.planning.models import AnnualPlan, AnnualPlanStatus, LineSource, PlanLine, ProviderKind
from portal.planning.services.common import (
    COST_MAX,
    JP_MAX,
    NOTE_MAX,
    PARTICIPANTS_MAX,
    QUARTERS,
    TITLE_MAX,
    TITLE_MIN,
    PlanningError,
    check_year,
    ensure_plan,
    log_version,
    require_approve,
    require_propose,
    require_unlocked,
)
from portal.units import services as units

SUGGESTIONS_PER_SOURCE = 8


@dataclass(frozen=True)
class Suggestion:
    """A competency the OPD may plan for, and why: its needs-survey score, how many of its people are below the
    standard, how many approved individual plans target it."""

    competency: Competency
    source: LineSource
    mean_need: float | None = None
    people_with_gap: int = 0
    individual_plans: int = 0


@dataclass
class LineInput:
    title: str = ""
    competency_id: int | None = None
    development_type_id: int | None = None
    participants: Any = None
    quarter: Any = None
    jp: Any = None  # None: the JP rule of the development type, for one day/session/activity
    provider_kind: str = ProviderKind.BKPSDM.value
    provider_name: str = ""
    cost_per_participant: Any = None
    target_position_ids: Sequence[int] = field(default_factory=tuple)
    target_note: str = ""
    source: str = LineSource.MANUAL.value


def suggestions(unit_id: int, year: int) -> list[Suggestion]:
    """What the OPD's data says it should plan for: ranked needs first, then gaps, then individual plans."""
    found: dict[int, Suggestion] = {}
    for row in needs_analysis.top_needs(SUGGESTIONS_PER_SOURCE, unit_id=unit_id, year=year - 1) or (
        needs_analysis.top_needs(SUGGESTIONS_PER_SOURCE, unit_id=unit_id)
    ):
        found[row.competency.id] = Suggestion(row.competency, LineSource.NEED, mean_need=round(row.mean_need, 2))
    for competency, people in learning.gap_counts(unit_id)[:SUGGESTIONS_PER_SOURCE]:
        old = found.get(competency.id)
        found[competency.id] = Suggestion(
            competency, old.source if old else LineSource.GAP, old.mean_need if old else None, people
        )
    for competency, plans in learning.planned_competency_counts(unit_id, year)[:SUGGESTIONS_PER_SOURCE]:
        old = found.get(competency.id)
        found[competency.id] = Suggestion(
            competency,
            old.source if old else LineSource.INDIVIDUAL,
            old.mean_need if old else None,
            old.people_with_gap if old else 0,
            plans,
        )
    return list(found.values())


def default_jp(development_type_id: int | None) -> int:
    rule = conversion.all_rules().get(development_type_id or 0)
    return conversion.rate(rule, False) if rule is not None else 0


# ---------------------------------------------------------------- checking an item


def _whole(value: Any, field_name: str, low: int, high: int, message: Any) -> int:
    if isinstance(value, bool):
        raise PlanningError(message, field_name)
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise PlanningError(message, field_name) from None
    if not low <= number <= high:
        raise PlanningError(message, field_name)
    return number


def _check(data: LineInput, unit_id: int) -> dict[str, Any]:
    title = " ".join((data.title or "").split())
    competency = competencies.by_ids([data.competency_id]).get(data.competency_id) if data.competency_id else None
    if competency is None or not competency.is_active:
        raise PlanningError(_l("Pilih kompetensi dari katalog."), "competency_id")
    if not title:
        title = competency.name
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise PlanningError(_l("Nama kegiatan 3-200 karakter."), "title")
    development_type = competency_catalogue.get_development_type(data.development_type_id)
    if development_type is None or not development_type.is_active:
        raise PlanningError(_l("Pilih metode: jenis pengembangan klasikal atau nonklasikal."), "development_type_id")
    participants = _whole(data.participants, "participants", 1, PARTICIPANTS_MAX, _l("Jumlah peserta 1-10.000 orang."))
    quarter = _whole(data.quarter, "quarter", QUARTERS[0], QUARTERS[-1], _l("Triwulan harus 1, 2, 3 atau 4."))
    if data.jp in (None, ""):
        jp = default_jp(development_type.id)
    else:
        jp = _whole(data.jp, "jp", 0, JP_MAX, _l("JP per peserta 0-500."))
    cost = _whole(
        data.cost_per_participant if data.cost_per_participant not in (None, "") else 0,
        "cost_per_participant",
        0,
        COST_MAX,
        _l("Biaya per peserta harus bilangan bulat rupiah, tidak negatif."),
    )
    try:
        provider = ProviderKind(data.provider_kind)
    except ValueError:
        raise PlanningError(_l("Pilih penyelenggara."), "provider_kind") from None
    provider_name = " ".join((data.provider_name or "").split())[:200]
    if provider == ProviderKind.PARTNER and not provider_name:
        raise PlanningError(_l("Tuliskan nama lembaga mitra."), "provider_name")
    allowed = {p.id: p for p in learning.positions_for_unit(unit_id)}
    if any(pid not in allowed for pid in data.target_position_ids):
        raise PlanningError(_l("Pilih jabatan sasaran dari daftar."), "target_positions")
    try:
        source = LineSource(data.source or LineSource.MANUAL.value)
    except ValueError:
        source = LineSource.MANUAL
    return {
        "title": title,
        "competency_id": competency.id,
        "development_type_id": development_type.id,
        "participants": participants,
        "quarter": quarter,
        "jp": jp,
        "provider_kind": provider,
        "provider_name": provider_name,
        "cost_per_participant": cost,
        "target_note": " ".join((data.target_note or "").split())[:300],
        "source": source,
        "target_positions": [allowed[pid] for pid in dict.fromkeys(data.target_position_ids)],
    }


def _editable(actor: Actor, plan: AnnualPlan) -> None:
    require_propose(actor, plan.unit_id)
    require_unlocked(plan)
    if plan.status == AnnualPlanStatus.PROPOSED:
        raise PlanningError(_l("Usulan sudah diajukan ke BKPSDM; tunggu keputusan atau minta dikembalikan."), "plan")


# ---------------------------------------------------------------- writing


def add_line(actor: Actor, unit_id: int, year: int, data: LineInput) -> PlanLine:
    require_propose(actor, unit_id)
    if units.get_active(unit_id) is None:
        raise PlanningError(_l("Unit tidak dikenal."), "unit")
    check_year(year)
    values = _check(data, unit_id)
    plan = ensure_plan(year, unit_id)
    _editable(actor, plan)
    line = PlanLine(plan_id=plan.id, **values)
    db.session.add(line)
    plan.updated_at = utcnow()
    db.session.flush()
    audit.record(actor, "planning.line_add", plan, label=f"{plan.year} {line.title}", line_id=line.id)
    db.session.commit()
    return line


def update_line(actor: Actor, line: PlanLine, data: LineInput) -> PlanLine:
    plan = line.plan
    _editable(actor, plan)
    assert plan.unit_id is not None  # lines belong to OPD plans
    values = _check(data, plan.unit_id)
    for key, value in values.items():
        setattr(line, key, value)
    plan.updated_at = utcnow()
    audit.record(actor, "planning.line_update", plan, label=f"{plan.year} {line.title}", line_id=line.id)
    db.session.commit()
    return line


def delete_line(actor: Actor, line: PlanLine) -> None:
    plan = line.plan
    _editable(actor, plan)
    audit.record(actor, "planning.line_delete", plan, label=f"{plan.year} {line.title}", line_id=line.id)
    db.session.delete(line)
    plan.updated_at = utcnow()
    db.session.commit()


def submit(actor: Actor, plan: AnnualPlan) -> AnnualPlan:
    _editable(actor, plan)
    if not plan.lines:
        raise PlanningError(_l("Tambahkan setidaknya satu butir sebelum mengajukan."), "plan")
    plan.status = AnnualPlanStatus.PROPOSED
    plan.submitted_at = plan.updated_at = utcnow()
    log_version(actor, plan, "submitted")
    audit.record(actor, "planning.submit", plan, label=f"{plan.year} {plan.unit.name if plan.unit else ''}")
    db.session.commit()
    return plan


def return_proposal(actor: Actor, plan: AnnualPlan, note: str) -> AnnualPlan:
    """BKPSDM sends a proposal back to the OPD as a draft, with a note (lines already merged stay merged)."""
    require_approve(actor)
    if plan.is_city or plan.status != AnnualPlanStatus.PROPOSED:
        raise PlanningError(_l("Hanya usulan yang sedang diajukan yang bisa dikembalikan."), "plan")
    note = (note or "").strip()
    if not 5 <= len(note) <= NOTE_MAX:
        raise PlanningError(_l("Tuliskan alasan pengembalian (5-2000 karakter)."), "note")
    plan.status = AnnualPlanStatus.DRAFT
    plan.note = note
    plan.updated_at = utcnow()
    log_version(actor, plan, "returned", note)
    audit.record(actor, "planning.return", plan, label=f"{plan.year} {plan.unit.name if plan.unit else ''}")
    db.session.commit()
    return plan
