"""What workshops put into search: published workshops, for the units that may join them.

A workshop open to every unit is for every signed-in user; one limited to some units is found only by members
of those units (and by its organizer and admins). Drafts, cancelled and completed workshops are not indexable:
the outbox entry queued on every change (the watches below) removes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import User
from portal.competencies.models import DevelopmentType
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Role
from portal.extensions import db
from portal.search.registry import (
    MEMBERS,
    DocumentType,
    SearchDocument,
    Watch,
    plain_text,
    register,
    role_audience,
    unit_audience,
    user_audience,
)
from portal.units.models import Unit
from portal.workshops import services
from portal.workshops.models import Workshop, WorkshopStatus, workshop_trainers

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


def _by_person(user: User) -> set[int]:
    """Workshops that show the user's name: as organizer or as a trainer with an account."""
    organized = db.session.scalars(select(Workshop.id).where(Workshop.organizer_id == user.id))
    trained = db.session.scalars(select(workshop_trainers.c.workshop_id).where(workshop_trainers.c.user_id == user.id))
    return {*organized, *trained}


def _by_provider_unit(unit: Unit) -> list[int]:
    return list(db.session.scalars(select(Workshop.id).where(Workshop.provider_unit_id == unit.id)))


def _by_development_type(kind: DevelopmentType) -> list[int]:
    return list(db.session.scalars(select(Workshop.id).where(Workshop.development_type_id == kind.id)))


# The outbox's flush hook queues a workshop whenever a row it is built from is written, on any path (the
# workshop services, `flask content import`, the demo load): publishing, editing, cancelling, completing.
WATCHES = (
    Watch(
        Workshop,
        lambda workshop: (workshop.id,),
        (
            "title",
            "description_html",
            "development_type_id",
            "provider_unit_id",
            "provider_name",
            "trainer_names",
            "location",
            "status",
            "organizer_id",
            "created_at",
            "published_at",
            "competencies",
            "eligible_units",
            "trainers",
        ),
    ),
    Watch(User, _by_person, ("name",), on_insert=False),
    Watch(Unit, _by_provider_unit, ("name",), on_insert=False),
    Watch(DevelopmentType, _by_development_type, ("name",), on_insert=False),
)


register(
    DocumentType(
        name=DOC_TYPE,
        label=_l("Pelatihan"),
        load_all=load_all,
        load_by_ids=load_by_ids,
        visible_ids=visible_ids,
        watches=WATCHES,
    )
)
