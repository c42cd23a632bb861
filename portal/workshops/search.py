"""What workshops put into search: published workshops, for the units that may join them.

A workshop open to every unit is for every signed-in user; one limited to some units is found only by members
of those units (and by its organizer and admins). Drafts, cancelled and completed workshops are not indexable:
the outbox entry the workshop services queue on every change removes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Role
from portal.extensions import db
from portal.search.registry import (
    MEMBERS,
    DocumentType,
    SearchDocument,
    plain_text,
    register,
    role_audience,
    unit_audience,
    user_audience,
)
from portal.workshops import services
from portal.workshops.models import Workshop, WorkshopStatus

DOC_TYPE = "workshop"


def _audience(workshop: Workshop) -> frozenset[str]:
    if not workshop.eligible_units:
        return frozenset({MEMBERS})
    labels = {unit_audience(unit.id) for unit in workshop.eligible_units}
    return frozenset(labels | {role_audience(Role.ADMIN.value), user_audience(workshop.organizer_id)})


def to_document(workshop: Workshop) -> SearchDocument:
    return SearchDocument(
        doc_type=DOC_TYPE,
        doc_id=workshop.id,
        title=workshop.title,
        url=services.workshop_url(workshop),
        created_at=workshop.published_at or workshop.created_at,
        summary=" · ".join(part for part in (str(workshop.development_type or ""), workshop.provider) if part),
        body=" ".join((plain_text(workshop.description_html), workshop.location, "; ".join(workshop.trainer_list))),
        competency_ids=tuple(c.id for c in workshop.competencies),
        unit_id=workshop.provider_unit_id,
        author_id=workshop.organizer_id,
        author_name=workshop.organizer.name if workshop.organizer else "",
        audience=_audience(workshop),
    )


def _published(stmt):
    return stmt.where(Workshop.status == WorkshopStatus.PUBLISHED).options(
        joinedload(Workshop.organizer),
        joinedload(Workshop.development_type),
        joinedload(Workshop.provider_unit),
        selectinload(Workshop.competencies),
        selectinload(Workshop.eligible_units),
        selectinload(Workshop.trainers),
    )


def load_all() -> Iterable[SearchDocument]:
    stmt = _published(select(Workshop)).order_by(Workshop.id)
    for workshop in db.session.scalars(stmt).unique():
        yield to_document(workshop)


def load_by_ids(ids: Sequence[int]) -> list[SearchDocument]:
    stmt = _published(select(Workshop).where(Workshop.id.in_(ids)))
    return [to_document(workshop) for workshop in db.session.scalars(stmt).unique()]


def visible_ids(user: Actor, ids: Sequence[int]) -> set[int]:
    stmt = _published(select(Workshop).where(Workshop.id.in_(ids)))
    visible = set()
    for workshop in db.session.scalars(stmt).unique():
        allowed_units = {unit.id for unit in workshop.eligible_units}
        in_audience = not allowed_units or getattr(user, "unit_id", None) in allowed_units
        if services.can_view(user, workshop) and (in_audience or services.can_manage(user, workshop)):
            visible.add(workshop.id)
    return visible


register(
    DocumentType(
        name=DOC_TYPE, label=_l("Pelatihan"), load_all=load_all, load_by_ids=load_by_ids, visible_ids=visible_ids
    )
)
