"""Feedback's answers to the workshops feature's signals about competency needs: a workshop created from a need
("Buat pelatihan untuk kebutuhan ini" on the needs page) is linked to it, and the workshop page names the needs it
answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from portal.core.permissions import Actor
from portal.core.signals import Section
from portal.extensions import db
from portal.feedback.models import FormPurpose, NeedLink
from portal.feedback.services.common import can_analyse
from portal.feedback.services.lookups import get_form

if TYPE_CHECKING:
    from portal.workshops.models import Workshop

ORIGIN_PREFIX = "kebutuhan:"


def workshop_created(workshop: Workshop, actor: Actor, origin: str = "", **_kwargs: Any) -> None:
    """``workshops.workshop-created``: "kebutuhan:<competency id>[:<survey id>]" links the new workshop to the need
    when the workshop names that competency and the organizer may analyse needs. In the sender's transaction."""
    if not origin.startswith(ORIGIN_PREFIX) or not can_analyse(actor):
        return
    parts = origin.removeprefix(ORIGIN_PREFIX).split(":")
    if not all(part.isdigit() for part in parts) or len(parts) > 2:
        return
    competency_id = int(parts[0])
    if competency_id not in {c.id for c in workshop.competencies}:
        return
    survey = get_form(int(parts[1])) if len(parts) == 2 else None
    if survey is not None and survey.purpose != FormPurpose.NEEDS_SURVEY:
        survey = None
    db.session.add(
        NeedLink(
            workshop_id=workshop.id,
            competency_id=competency_id,
            survey_id=survey.id if survey else None,
            created_by_id=actor.id,
        )
    )


def workshop_page_section(workshop: Workshop, **_kwargs: Any) -> Section | None:
    """``workshops.page-sections``: the competency needs the workshop was planned to answer."""
    links = list(db.session.scalars(select(NeedLink).where(NeedLink.workshop_id == workshop.id)))
    if not links:
        return None
    return Section("feedback/_workshop_needs.html", {"links": links})
