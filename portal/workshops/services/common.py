"""Shared pieces of the workshop rules: limits, the error type, notification kinds, who may do what, the lock.

**The lock.** Everything that reads registrations to decide what to write runs inside :func:`_locked`: a write
transaction taken *before* the read (``BEGIN IMMEDIATE`` on SQLite) plus ``SELECT … FOR UPDATE`` on the
workshop row (PostgreSQL), so two requests for one workshop run one after the other.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import format_datetime

from portal.core.database import locked_row
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.markdown import RENDERER_VERSION, render_markdown
from portal.core.permissions import Actor, Permission, PermissionDenied, Role, has_permission
from portal.extensions import db
from portal.notifications import services as notifications
from portal.notifications.services import EmailChoice
from portal.workshops.models import Registration, RegistrationStatus, Workshop, WorkshopStatus

TITLE_MIN, TITLE_MAX, DESCRIPTION_MAX, TEXT_MAX, URL_MAX = 5, 200, 50_000, 200, 500
REASON_MIN, REASON_MAX, MAX_SESSIONS, MAX_CAPACITY, MAX_JP = 5, 500, 10, 5000, 999
ACTIVE_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
VISIBLE_STATUSES = (WorkshopStatus.PUBLISHED, WorkshopStatus.CANCELLED, WorkshopStatus.COMPLETED)

NOTIFICATION_KINDS: dict[str, Any] = {
    "workshop.promoted": _l('Anda mendapat kursi di pelatihan "%(title)s" dari daftar tunggu.'),
    "workshop.approved": _l('Pendaftaran Anda di pelatihan "%(title)s" disetujui.'),
    "workshop.approved_waiting": _l(
        'Pendaftaran Anda di pelatihan "%(title)s" disetujui, tetapi kursi penuh: Anda masuk daftar tunggu.'
    ),
    "workshop.rejected": _l('Pendaftaran Anda di pelatihan "%(title)s" ditolak: %(reason)s'),
    "workshop.added": _l('Penyelenggara mendaftarkan Anda di pelatihan "%(title)s".'),
    "workshop.removed": _l('Penyelenggara mengeluarkan Anda dari pelatihan "%(title)s".'),
    "workshop.cancelled": _l('Pelatihan "%(title)s" dibatalkan: %(reason)s'),
    "workshop.reminder": _l('Pengingat: pelatihan "%(title)s" dimulai %(when)s.'),
    "workshop.completed": _l('Anda menyelesaikan pelatihan "%(title)s": %(jp)s JP dicatat. Sertifikat siap diunduh.'),
    "workshop.completed_evaluate": _l(
        'Anda menyelesaikan pelatihan "%(title)s": %(jp)s JP dicatat. Isi evaluasinya untuk membuka sertifikat.'
    ),
}


# Kinds with a row on the notification settings page: (message, label, default email choice, who sees the row).
CHOICE_KINDS: dict[str, tuple[Any, Any, EmailChoice, Permission | None]] = {
    "workshop.registration_pending": (
        _l('%(actor)s mendaftar di pelatihan "%(title)s" dan menunggu persetujuan Anda.'),
        _l("Pendaftaran menunggu persetujuan (penyelenggara)"),
        EmailChoice.DIGEST,
        Permission.ORGANIZE,
    ),
    "workshop.waitlist_moved": (
        _l('Daftar tunggu pelatihan "%(title)s" bergerak: peserta dari daftar tunggu mendapat kursi.'),
        _l("Daftar tunggu pelatihan bergerak (penyelenggara)"),
        EmailChoice.DIGEST,
        Permission.ORGANIZE,
    ),
}


class WorkshopError(RuleError):
    """A workshop rule was broken."""


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message)
    for kind, (message, label, email, audience) in CHOICE_KINDS.items():
        notifications.register_kind(kind, message, label=label, email=email, audience=audience)


# ---------------------------------------------------------------- settings


def _setting(name: str) -> int:
    return int(current_app.config[f"WORKSHOPS_{name}"])


# The one style of a moment on workshop pages and in their messages (as the sessions are listed): "Senin,
# 5 Januari 2026, 08.00 WIB", in the reader's language and the portal's zone.
WHEN_FORMAT = "EEEE, d MMMM y, HH.mm"


def format_when(moment: datetime) -> str:
    return f"{format_datetime(moment, WHEN_FORMAT)} WIB"


# ---------------------------------------------------------------- who may do what


def can_organize(user: Actor) -> bool:
    return has_permission(user, Permission.ORGANIZE)


def can_manage(user: Actor, workshop: Workshop) -> bool:
    if not can_organize(user):
        return False
    return user.role == Role.ADMIN or workshop.organizer_id == user.id


def can_view(user: Actor, workshop: Workshop) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return workshop.status in VISIBLE_STATUSES or can_manage(user, workshop)


def _require_manage(user: Actor, workshop: Workshop) -> None:
    if not can_manage(user, workshop):
        raise PermissionDenied("workshop.manage")


# ---------------------------------------------------------------- shared steps


def _render(workshop: Workshop) -> None:
    workshop.description_html = str(render_markdown(workshop.description_md))
    workshop.renderer_version = RENDERER_VERSION


def _check_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise WorkshopError(
            _l("Alasan wajib diisi, %(min)d-%(max)d karakter.", min=REASON_MIN, max=REASON_MAX), "reason"
        )
    return reason


def workshop_url(workshop: Workshop) -> str:
    """The workshop's path; services also run outside requests (the CLI, tests)."""
    if has_request_context():
        return url_for("workshops.show", workshop_id=workshop.id)
    return current_app.url_map.bind("").build("workshops.show", {"workshop_id": workshop.id})


def registrations_path(workshop: Workshop, status: RegistrationStatus) -> str:
    """The organizer's list of registrations, at the section of one status."""
    if has_request_context():
        path = url_for("workshops.dashboard", workshop_id=workshop.id)
    else:
        path = current_app.url_map.bind("").build("workshops.dashboard", {"workshop_id": workshop.id})
    return f"{path}#h-{status.value}"


def _locked(workshop_id: int) -> AbstractContextManager[Workshop]:
    """The workshop, locked against every other change to it until the caller commits or an error rolls back."""
    return locked_row(db.session(), Workshop, workshop_id, WorkshopError(_l("Pelatihan tidak ditemukan.")))


def _managed_registration(actor: Actor, workshop: Workshop, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.workshop_id != workshop.id:
        raise WorkshopError(_l("Pendaftaran tidak ditemukan."))
    return registration
