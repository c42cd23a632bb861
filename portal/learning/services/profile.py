"""The competency profile: an ASN's current level per competency, the gaps against their position, recommendations.

The current level is the confirmed level when a supervisor, the unit head or a BKPSDM verifier confirmed one,
else the ASN's self-assessment. A gap is required - current for a competency the position requires; a required
competency nobody assessed has no gap yet ("belum dinilai"). Who may see a profile: ``oversight.can_view_records``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select, true

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.articles import services as articles
from portal.articles.models import Article
from portal.audit import services as audit
from portal.competencies.models import Competency
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, PermissionDenied
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning.models import CompetencyAssessment, Position, PositionRequirement
from portal.learning.services import oversight, positions
from portal.learning.services.common import path_for
from portal.notifications import services as notifications
from portal.units.models import Unit
from portal.workshops import services as workshops
from portal.workshops.models import Workshop

EVIDENCE_MAX = 2000
RECOMMENDATION_LIMIT = 5

NOTIFICATION_KINDS: dict[str, Any] = {
    "assessment.confirmed": _l("%(actor)s mengonfirmasi level %(level)s untuk kompetensi %(competency)s Anda."),
}


class ProfileError(RuleError):
    """An assessment was refused."""


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message)


# ---------------------------------------------------------------- gaps


@dataclass(frozen=True)
class Gap:
    """One competency the position requires, against the person's current level."""

    competency: Competency
    required: int
    assessment: CompetencyAssessment | None = None

    @property
    def current(self) -> int | None:
        return self.assessment.current_level if self.assessment else None

    @property
    def confirmed(self) -> bool:
        return self.assessment is not None and self.assessment.confirmed_level is not None

    @property
    def gap(self) -> int | None:
        """required - current (negative: above the standard); None while the competency is not assessed."""
        return None if self.current is None else self.required - self.current

    @property
    def has_gap(self) -> bool:
        return self.gap is not None and self.gap > 0

    @property
    def is_assessed(self) -> bool:
        return self.assessment is not None


def _gap_order(gap: Gap) -> tuple[int, int, str]:
    """Real gaps first, largest first; then the unassessed (highest requirement first); then the standards met."""
    if gap.has_gap:
        assert gap.gap is not None  # has_gap
        return (0, -gap.gap, gap.competency.code)
    if not gap.is_assessed:
        return (1, -gap.required, gap.competency.code)
    return (2, -gap.required, gap.competency.code)


def assessments_of(user: Actor) -> dict[int, CompetencyAssessment]:
    """The user's assessments by competency id."""
    stmt = select(CompetencyAssessment).where(CompetencyAssessment.user_id == user.id)
    return {a.competency_id: a for a in db.session.scalars(stmt)}


def gaps_against(position: Position | None, assessments: dict[int, CompetencyAssessment]) -> list[Gap]:
    if position is None:
        return []
    gaps = [Gap(r.competency, r.level, assessments.get(r.competency_id)) for r in position.requirements]
    return sorted(gaps, key=_gap_order)


def gaps_for(user: User) -> list[Gap]:
    """Every requirement of the user's position with its gap: largest gaps first, then "belum dinilai", then met.

    Use ``Gap.has_gap`` to keep only the competencies below the standard.
    """
    return gaps_against(positions.position_of(user), assessments_of(user))


@dataclass(frozen=True)
class UnitGap:
    """The average shortfall in one competency among a unit's assessed people whose position requires it."""

    unit: Unit
    competency: Competency
    people_required: int  # active people whose position requires the competency
    people_assessed: int  # of those, how many have a level for it
    mean_gap: float  # average of max(required - current, 0) over the assessed


def unit_gaps(unit_id: int | None = None, limit: int = 10) -> list[UnitGap]:
    """The largest average gaps per unit and competency (one unit, or the whole city), largest first."""
    current = func.coalesce(CompetencyAssessment.confirmed_level, CompetencyAssessment.level)
    shortfall = case(
        (CompetencyAssessment.id.is_(None), None),
        (PositionRequirement.level > current, PositionRequirement.level - current),
        else_=0,
    )
    mean = func.avg(shortfall)
    assessed = func.count(CompetencyAssessment.id)
    stmt = (
        select(User.unit_id, PositionRequirement.competency_id, func.count(User.id), assessed, mean)
        .join(PositionRequirement, PositionRequirement.position_id == User.position_id)
        .outerjoin(
            CompetencyAssessment,
            and_(
                CompetencyAssessment.user_id == User.id,
                CompetencyAssessment.competency_id == PositionRequirement.competency_id,
            ),
        )
        .where(User.active.is_(True), User.is_verified.is_(True), User.unit_id.is_not(None))
        .where(true() if unit_id is None else User.unit_id == unit_id)
        .group_by(User.unit_id, PositionRequirement.competency_id)
        .having(assessed > 0, mean > 0)
        .order_by(mean.desc(), assessed.desc(), User.unit_id, PositionRequirement.competency_id)
        .limit(limit)
    )
    rows = db.session.execute(stmt).all()
    unit_by_id = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_({r[0] for r in rows})))}
    competency_ids = {r[1] for r in rows}
    competency_by_id = {
        c.id: c for c in db.session.scalars(select(Competency).where(Competency.id.in_(competency_ids)))
    }
    return [
        UnitGap(unit_by_id[u], competency_by_id[c], int(required), int(count), round(float(value), 2))
        for u, c, required, count, value in rows
        if u is not None  # always: the query leaves out people without a unit
    ]


# ---------------------------------------------------------------- the profile page


@dataclass
class Recommendations:
    workshops: list[Workshop]
    articles: list[Article]
    competency_ids: set[int]  # the gap competencies they were chosen for


@dataclass
class Profile:
    owner: User
    position: Position | None
    gaps: list[Gap]
    others: list[CompetencyAssessment]  # assessed competencies the position does not require
    recommendations: Recommendations

    @property
    def gap_count(self) -> int:
        return sum(1 for gap in self.gaps if gap.has_gap)

    @property
    def unassessed_count(self) -> int:
        return sum(1 for gap in self.gaps if not gap.is_assessed)


def visible_owner(viewer: Actor, user_id: int) -> User | None:
    """The person whose profile or plan ``viewer`` asks for, or None when they may not see it (answer 404)."""
    owner = accounts.get_user(user_id)
    if owner is None or not oversight.can_view_records(viewer, owner):
        return None
    return owner


def recommendations_for(owner: User, gaps: list[Gap], limit: int = RECOMMENDATION_LIMIT) -> Recommendations:
    """Upcoming workshops open to the owner's unit and published articles tagged with a gap competency."""
    ids = [gap.competency.id for gap in gaps if gap.has_gap]
    return Recommendations(
        workshops=workshops.upcoming_for_competencies(ids, limit, unit_id=owner.unit_id) if ids else [],
        articles=articles.published_for_competencies(ids, limit) if ids else [],
        competency_ids=set(ids),
    )


def profile_of(viewer: Actor, owner: User) -> Profile:
    if not oversight.can_view_records(viewer, owner):
        raise PermissionDenied("learning.profile")
    position = positions.position_of(owner)
    assessments = assessments_of(owner)
    gaps = gaps_against(position, assessments)
    required = {gap.competency.id for gap in gaps}
    others = sorted(
        (a for a in assessments.values() if a.competency_id not in required), key=lambda a: a.competency.code
    )
    return Profile(owner, position, gaps, others, recommendations_for(owner, gaps))


# ---------------------------------------------------------------- assessing


def _check_level(level: Any) -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ProfileError(_l("Pilih level 1 sampai 5."), "level")
    return value


def assessable(competency_id: int | None, owner: Actor | None = None) -> Competency | None:
    """An active competency (or one the owner already assessed), with its level descriptions."""
    competency = db.session.get(Competency, competency_id) if competency_id else None
    if competency is None:
        return None
    if competency.is_active:
        return competency
    already = owner is not None and db.session.scalar(
        select(CompetencyAssessment.id).where(
            CompetencyAssessment.user_id == owner.id, CompetencyAssessment.competency_id == competency.id
        )
    )
    return competency if already else None


def assessment_of(user: Actor, competency_id: int) -> CompetencyAssessment | None:
    return db.session.scalar(
        select(CompetencyAssessment).where(
            CompetencyAssessment.user_id == user.id, CompetencyAssessment.competency_id == competency_id
        )
    )


def assess(user: User, competency_id: int, level: Any, evidence: str | None = "") -> CompetencyAssessment:
    """The ASN's own level and what shows it. A confirmed level stays until it is confirmed again."""
    competency = assessable(competency_id, user)
    if competency is None:
        raise ProfileError(_l("Kompetensi tidak ada di katalog."), "competency_id")
    value = _check_level(level)
    text = (evidence or "").strip()
    if len(text) > EVIDENCE_MAX:
        raise ProfileError(_l("Bukti maksimal %(max)d karakter.", max=EVIDENCE_MAX), "evidence")
    assessment = assessment_of(user, competency.id)
    if assessment is None:
        assessment = CompetencyAssessment(user_id=user.id, competency_id=competency.id, level=value)
        db.session.add(assessment)
    assessment.level, assessment.evidence, assessment.assessed_at = value, text, utcnow()
    db.session.commit()
    return assessment


def confirm(actor: User, owner: User, competency_id: int | None, level: Any) -> CompetencyAssessment:
    """The supervisor, unit head or BKPSDM sets the confirmed level, which wins over the self-assessment."""
    if not oversight.can_confirm(actor, owner):
        raise PermissionDenied("learning.confirm")
    value = _check_level(level)
    assessment = assessment_of(owner, competency_id) if competency_id else None
    if assessment is None:
        raise ProfileError(_l("Pegawai belum menilai diri untuk kompetensi ini."), "competency_id")
    unchanged = assessment.confirmed_level == value and assessment.confirmed_by_id == actor.id
    if unchanged and assessment.confirmed_at is not None and assessment.confirmed_at >= assessment.assessed_at:
        return assessment  # a re-confirmation after the ASN changed their self-assessment is recorded again
    old = assessment.confirmed_level
    assessment.confirmed_level, assessment.confirmed_by_id, assessment.confirmed_at = value, actor.id, utcnow()
    audit.record(
        actor,
        "competency.confirm",
        owner,
        competency=assessment.competency.code,
        self_level=assessment.level,
        old=old,
        new=value,
    )
    notifications.notify(
        [owner],
        "assessment.confirmed",
        path_for("learning.profile"),
        actor=actor,
        level=value,
        competency=assessment.competency.name,
    )
    db.session.commit()
    return assessment
