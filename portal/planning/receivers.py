"""Planning's answers to the workshops feature's signals (``portal.core.signals``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.core.permissions import Actor
from portal.core.signals import Section
from portal.planning import services

if TYPE_CHECKING:
    from portal.workshops.models import Workshop


def workshop_created(workshop: Workshop, actor: Actor, origin: str = "", **_kwargs: Any) -> None:
    """``workshops.workshop-created``: a workshop made from a program of the approved plan is linked to it."""
    services.link_created_workshop(workshop, actor, origin)


def workshop_page_section(workshop: Workshop, viewer: Actor, **_kwargs: Any) -> Section | None:
    """``workshops.page-sections``: the program the workshop carries out, and the viewer's invitation."""
    link = services.link_of(workshop.id)
    invitation = services.invitation_of(viewer, workshop.id) if viewer.is_authenticated else None
    if link is None and invitation is None:
        return None
    return Section("planning/_workshop_section.html", {"link": link, "invitation": invitation})


def workshop_dashboard_section(workshop: Workshop, viewer: Actor, **_kwargs: Any) -> Section | None:
    """``workshops.dashboard-sections``: plan program, realised cost and who was invited / signed up / declined."""
    link = services.link_of(workshop.id)
    return Section(
        "planning/_dashboard_section.html",
        {"link": link, "summary": services.summary(workshop), "workshop_id": workshop.id},
    )
