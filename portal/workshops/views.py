"""Workshop pages: the blueprint and its helpers; browse, calendar, my workshops, a workshop's page and sign-up.

The blueprint's other routes are in :mod:`.organizer_views` (authoring, participants, attendance) and
:mod:`.document_views` (calendar files, certificates and their verification, QR code and check-in), imported by
:func:`portal.workshops.init_app`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from portal.accounts.current import current_user
from portal.competencies import queries as competency_catalogue
from portal.competencies import services as competencies
from portal.core import fragments, signals
from portal.core.htmx import is_htmx, redirect_to, render
from portal.core.inputs import int_arg
from portal.core.pagination import page_arg
from portal.core.signals import Step
from portal.core.types import utcnow
from portal.units import services as units
from portal.workshops import services
from portal.workshops.models import RegistrationStatus, Workshop
from portal.workshops.services import WorkshopError, WorkshopFilters

bp = Blueprint("workshops", __name__)


# ---------------------------------------------------------------- helpers


def _visible(workshop_id: int) -> Workshop:
    workshop = services.get_visible(current_user, workshop_id)
    if workshop is None:
        abort(404)
    return workshop


def _managed(workshop_id: int) -> Workshop:
    workshop = _visible(workshop_id)
    if not services.can_manage(current_user, workshop):
        abort(403)
    return workshop


def _external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for QR codes and calendar clients: PUBLIC_BASE_URL when set (a Host header can lie)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _uid_domain() -> str:
    return urlsplit(_external_url("core.home")).hostname or "portal"


def _month_arg() -> date | None:
    value = request.args.get("bulan", "")
    try:
        return datetime.strptime(value, "%Y-%m").date() if value else None
    except ValueError:
        return None


def _int_arg(name: str) -> int | None:
    return int_arg(name, minimum=0)


def _flash_error(error: WorkshopError) -> None:
    flash(str(error.message), "danger")


def _managed_session(workshop_id: int, session_id: int):
    workshop = _managed(workshop_id)
    session = services.get_session(workshop, session_id)
    if session is None:
        abort(404)
    return workshop, session


# ---------------------------------------------------------------- browsing


# Everything the list fragment shows: workshops, sessions, seats taken, and the names in cards and filters.
LIST_TABLES = (
    "workshops",
    "workshop_sessions",
    "workshop_registrations",
    "workshop_competencies",
    "workshop_units",
    "development_types",
    "units",
    "competencies",
)


@bp.get("/pelatihan")
@login_required
def index():
    filters = WorkshopFilters(
        competency=request.args.get("kompetensi", ""),
        type_code=request.args.get("jenis", ""),
        unit_id=_int_arg("unit"),
        month=_month_arg(),
    )
    number = page_arg()

    def listing() -> tuple[str, datetime | None]:
        page = services.list_upcoming(filters, number)
        body = render_template(
            "workshops/_partials/list_body.html",
            page=page,
            filters=filters,
            taken=services.seats_taken([w.id for w in page.items]),
            competency_choices=competencies.list_active(),
            type_choices=competency_catalogue.list_development_types(),
            unit_choices=units.list_active(),
        )
        return body, services.listing_changes_at(filters)

    # The same for every reader: one cached fragment, until a listed table changes or a listed workshop ends.
    body, changes_at = fragments.remembered(
        "workshops.list",
        (fragments.request_key(), fragments.viewer_format()),
        LIST_TABLES,
        listing,
        fresh=lambda kept: kept[1] is None or utcnow() < kept[1],
    )
    return render("workshops/index.html", body=Markup(body), can_organize=services.can_organize(current_user))  # noqa: S704


@bp.get("/pelatihan/kalender")
@login_required
def calendar():
    month = _month_arg() or date.today().replace(day=1)
    previous = (month.replace(day=1) - date.resolution).replace(day=1)
    following = (month.replace(day=28) + 4 * date.resolution).replace(day=1)
    return render(
        "workshops/calendar.html",
        month=month,
        weeks=services.calendar_month(month),
        previous=previous,
        following=following,
        to_local=services.to_local,
    )


@bp.get("/pelatihan/saya")
@login_required
def mine():
    services.complete_due(user_id=current_user.id)
    token = services.feed_token(current_user)
    items = services.my_workshops(current_user)
    done = [item.registration for item in items if item.registration.is_completed]
    return render(
        "workshops/mine.html",
        items=items,
        evaluation_urls={r.id: _step_url(services.certificate_step(r)) for r in done if r.certificate_number},
        feed_url=_external_url("workshops.personal_feed", token=token) if token else None,
    )


@bp.post("/pelatihan/kalender-pribadi")
@login_required
def renew_feed():
    services.renew_feed_token(current_user)
    flash(_("Alamat kalender pribadi baru dibuat; alamat lama tidak berlaku lagi."), "success")
    return redirect_to(url_for("workshops.mine") + "#kalender")


@bp.post("/pelatihan/kalender-pribadi/cabut")
@login_required
def revoke_feed():
    services.revoke_feed_token(current_user)
    flash(_("Alamat kalender pribadi dicabut."), "success")
    return redirect_to(url_for("workshops.mine") + "#kalender")


@bp.get("/pelatihan/<int:workshop_id>")
@login_required
def show(workshop_id: int):
    workshop = _visible(workshop_id)
    if services.has_ended(workshop):
        services.complete_due(workshop_id=workshop.id)
    return render("workshops/show.html", **_show_context(workshop))


def _show_context(workshop: Workshop, inline_messages: bool = False) -> dict[str, Any]:
    registration = services.registration_of(current_user, workshop.id)
    # what holds the certificate back (the evaluation, answered by feedback through core.signals)
    step = services.certificate_step(registration) if registration and registration.is_completed else None
    return {
        "inline_messages": inline_messages,  # htmx swaps the box only: its messages go inside it
        "cancel_until": services.cancellation_deadline(workshop),
        "cancel_problem": services.cancellation_problem(workshop, registration) if registration else None,
        "workshop": workshop,
        "registration": registration,
        "position": services.waiting_position(registration) if registration else None,
        "seats_left": services.seats_left(workshop),
        "problem": services.registration_problem(current_user, workshop),
        "ceiling_warning": services.ceiling_warning(current_user, workshop)
        if registration is None or registration.status == RegistrationStatus.CANCELLED
        else None,
        "can_manage": services.can_manage(current_user, workshop),
        "jp_explanation": services.explain_jp(workshop),
        "certificate_ready": bool(registration and registration.is_completed and step is None),
        "evaluation_url": _step_url(step),
        "to_local": services.to_local,
        # blocks other features add (planning: the plan program and the viewer's invitation), through core.signals
        "sections": signals.answers(signals.workshop_page_sections, workshop, viewer=current_user),
    }


def _step_url(step: Step | None) -> str | None:
    return url_for(step.endpoint, **step.values) if step else None


def _registration_response(workshop_id: int):
    if is_htmx():
        workshop = _visible(workshop_id)
        return render("workshops/_partials/registration_box.html", **_show_context(workshop, inline_messages=True))
    return redirect(url_for("workshops.show", workshop_id=workshop_id))


@bp.post("/pelatihan/<int:workshop_id>/daftar")
@login_required
def register(workshop_id: int):
    _visible(workshop_id)
    try:
        registration = services.register(current_user, workshop_id)
    except WorkshopError as error:
        _flash_error(error)
    else:
        messages = {
            RegistrationStatus.CONFIRMED: _("Anda terdaftar. Kursi Anda sudah aman."),
            RegistrationStatus.WAITLISTED: _("Kursi penuh: Anda masuk daftar tunggu."),
            RegistrationStatus.PENDING: _("Pendaftaran terkirim dan menunggu persetujuan penyelenggara."),
        }
        flash(messages[registration.status], "success")
        warning = services.ceiling_warning(current_user, registration.workshop)
        if warning is not None:
            flash(warning.message(), "warning")
    return _registration_response(workshop_id)


@bp.post("/pelatihan/<int:workshop_id>/batal-daftar")
@login_required
def cancel_registration(workshop_id: int):
    _visible(workshop_id)
    try:
        services.cancel(current_user, workshop_id)
    except WorkshopError as error:
        _flash_error(error)
    else:
        flash(_("Pendaftaran Anda dibatalkan."), "success")
    return _registration_response(workshop_id)
