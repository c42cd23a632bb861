"""Workshop rules: authoring, sign-up with a waiting list, attendance, JP credit, certificates, reminders.

Every change takes the acting user, checks permission here and commits. Bad input raises
:class:`WorkshopError` (a user-facing message) and writes nothing.

**Seats are never overbooked.** Everything that reads registrations to decide what to write (sign-up,
cancellation, approval, capacity changes, attendance) runs inside :func:`_locked`: a write transaction taken
*before* the read (``BEGIN IMMEDIATE`` on SQLite) plus ``SELECT … FOR UPDATE`` on the workshop row
(PostgreSQL), so two requests for one workshop run one after the other. A unique constraint on
(workshop, user) backs up "one registration per person". Freed seats go to the waiting list in arrival order
(``queued_at``, then id) inside the same transaction, so each promotion happens exactly once.

Organizers manage their own workshops, admins all of them. Published, cancelled and completed workshops are
visible to every signed-in user; drafts only to whoever may manage them.
"""

from __future__ import annotations

import calendar as month_calendar
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts import services as accounts
from portal.accounts.models import EmploymentStatus, User
from portal.audit import services as audit
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core.database import locked_row, write_transaction
from portal.core.forms import RuleError
from portal.core.markdown import RENDERER_VERSION, render_markdown
from portal.core.pagination import Page, paginate
from portal.core.permissions import Permission, PermissionDenied, has_permission
from portal.core.timezone import format_local, local_moment, to_local
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning import services as learning
from portal.notifications import services as notifications
from portal.units import services as units
from portal.units.models import Unit
from portal.workshops.models import (
    ApprovalMode,
    Attendance,
    CalendarFeed,
    CheckInMethod,
    EmploymentFilter,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
)

TITLE_MIN, TITLE_MAX, DESCRIPTION_MAX, TEXT_MAX, URL_MAX = 5, 200, 50_000, 200, 500
REASON_MIN, REASON_MAX, MAX_SESSIONS, MAX_CAPACITY, MAX_JP = 5, 500, 10, 5000, 999
ACTIVE_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
VISIBLE_STATUSES = (WorkshopStatus.PUBLISHED, WorkshopStatus.CANCELLED, WorkshopStatus.COMPLETED)
CERTIFICATE_PATTERN = re.compile(r"^PKA-\d{4}-\d{4,}-[0-9A-F]{8}$")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

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


class WorkshopError(RuleError):
    """A workshop rule was broken."""


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message)


# ---------------------------------------------------------------- settings and time


def _setting(name: str) -> int:
    return int(current_app.config[f"WORKSHOPS_{name}"])


def compute_jp(sessions: Iterable[tuple[datetime, datetime]]) -> int:
    """Whole JP for the total session time; a lesson is WORKSHOPS_MINUTES_PER_JP minutes, partial ones do not count."""
    minutes = sum(int((end - start).total_seconds() // 60) for start, end in sessions)
    return max(0, minutes // _setting("MINUTES_PER_JP"))


# ---------------------------------------------------------------- who may do what


def can_organize(user: Any) -> bool:
    return has_permission(user, Permission.ORGANIZE)


def can_manage(user: Any, workshop: Workshop) -> bool:
    if not can_organize(user):
        return False
    return bool(user.is_admin) or workshop.organizer_id == user.id


def can_view(user: Any, workshop: Workshop) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return workshop.status in VISIBLE_STATUSES or can_manage(user, workshop)


def _require_manage(user: Any, workshop: Workshop) -> None:
    if not can_manage(user, workshop):
        raise PermissionDenied("workshop.manage")


# ---------------------------------------------------------------- lookups


def _with_details(stmt):
    return stmt.options(
        joinedload(Workshop.development_type),
        joinedload(Workshop.provider_unit),
        joinedload(Workshop.organizer),
        selectinload(Workshop.competencies),
        selectinload(Workshop.eligible_units),
        selectinload(Workshop.trainers),
        selectinload(Workshop.sessions),
    )


def get(workshop_id: int) -> Workshop | None:
    return db.session.get(Workshop, workshop_id)


def get_visible(viewer: Any, workshop_id: int) -> Workshop | None:
    """The workshop if the viewer may see it; None otherwise, so drafts look like missing pages."""
    workshop = db.session.scalar(_with_details(select(Workshop).where(Workshop.id == workshop_id)))
    if workshop is None or not can_view(viewer, workshop):
        return None
    if workshop.renderer_version != RENDERER_VERSION:
        _render(workshop)
        db.session.commit()
    return workshop


def get_session(workshop: Workshop, session_id: int) -> WorkshopSession | None:
    return next((s for s in workshop.sessions if s.id == session_id), None)


def registration_of(user: Any, workshop_id: int) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Registration).where(Registration.workshop_id == workshop_id, Registration.user_id == user.id)
    )


def _count(workshop_id: int, status: RegistrationStatus) -> int:
    stmt = select(func.count()).select_from(Registration)
    return db.session.scalar(stmt.where(Registration.workshop_id == workshop_id, Registration.status == status)) or 0


def confirmed_count(workshop: Workshop) -> int:
    return _count(workshop.id, RegistrationStatus.CONFIRMED)


def count_participants(workshop_id: int, completed: bool = False, unit_id: int | None = None) -> int:
    """Confirmed participants (only those who completed, when asked), optionally of one unit: for response rates."""
    stmt = select(func.count()).select_from(Registration).join(User, User.id == Registration.user_id)
    stmt = stmt.where(Registration.workshop_id == workshop_id, Registration.status == RegistrationStatus.CONFIRMED)
    if completed:
        stmt = stmt.where(Registration.completed_at.is_not(None))
    if unit_id is not None:
        stmt = stmt.where(User.unit_id == unit_id)
    return db.session.scalar(stmt) or 0


def seats_left(workshop: Workshop) -> int:
    return max(0, workshop.capacity - confirmed_count(workshop))


def seats_taken(workshop_ids: Sequence[int]) -> dict[int, int]:
    """Confirmed registrations per workshop, in one query (for lists)."""
    if not workshop_ids:
        return {}
    rows = db.session.execute(
        select(Registration.workshop_id, func.count())
        .where(Registration.workshop_id.in_(workshop_ids), Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Registration.workshop_id)
    )
    return {row[0]: row[1] for row in rows}


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.workshop_id == registration.workshop_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            (Registration.queued_at < registration.queued_at)
            | ((Registration.queued_at == registration.queued_at) & (Registration.id < registration.id)),
        )
    )
    return (ahead or 0) + 1


# ---------------------------------------------------------------- validation


@dataclass
class SessionInput:
    starts_at: datetime | None
    ends_at: datetime | None


@dataclass
class WorkshopInput:
    title: str
    description: str = ""
    development_type_id: int | None = None
    competency_codes: Sequence[str] = ()
    provider_unit_id: int | None = None
    provider_name: str = ""
    trainer_nips: Sequence[str] = ()
    trainer_names: str = ""
    location: str = ""
    online_url: str = ""
    sessions: Sequence[SessionInput] = ()
    capacity: int | None = None
    jp: int | None = None  # None: computed from the sessions
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    eligible_unit_ids: Sequence[int] = ()
    employment_filter: EmploymentFilter | str = EmploymentFilter.ALL
    approval_mode: ApprovalMode | str = ApprovalMode.AUTOMATIC
    attendance_threshold: int | None = None


@dataclass
class ValidatedWorkshop:
    title: str
    description: str
    development_type_id: int | None
    competencies: list[Competency]
    provider_unit_id: int | None
    provider_name: str
    trainers: list[User]
    trainer_names: str
    location: str
    online_url: str
    sessions: list[tuple[datetime, datetime]]
    capacity: int
    jp: int
    jp_overridden: bool
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    eligible_units: list[Unit]
    employment_filter: EmploymentFilter
    approval_mode: ApprovalMode
    attendance_threshold: int | None


def _one_line(text: str | None, limit: int, field_name: str, label: Any) -> str:
    text = " ".join(_CONTROL_CHARACTERS.sub("", text or "").split())
    if len(text) > limit:
        raise WorkshopError(_l("%(label)s maksimal %(max)d karakter.", label=label, max=limit), field_name)
    return text


def _check_title(title: str) -> str:
    title = _one_line(title, TITLE_MAX, "title", _l("Judul"))
    if len(title) < TITLE_MIN:
        raise WorkshopError(_l("Judul wajib diisi, %(min)d-%(max)d karakter.", min=TITLE_MIN, max=TITLE_MAX), "title")
    return title


def _check_description(text: str) -> str:
    text = _CONTROL_CHARACTERS.sub("", (text or "").replace("\r\n", "\n")).strip("\n")
    if len(text) > DESCRIPTION_MAX:
        raise WorkshopError(_l("Deskripsi maksimal %(max)d karakter.", max=DESCRIPTION_MAX), "description")
    return text


def _check_type(type_id: int | None) -> int:
    development_type = learning.get_development_type(type_id)
    if development_type is None or not development_type.is_active:
        raise WorkshopError(_l("Pilih jenis pengembangan kompetensi."), "development_type_id")
    return development_type.id


def _check_competencies(codes: Iterable[str]) -> list[Competency]:
    found: dict[str, Competency] = {}
    for raw in codes:
        code = competencies.normalize_code(raw)
        if not code or code in found:
            continue
        competency = competencies.get_by_code(code)
        if competency is None or not competency.is_active:
            raise WorkshopError(_l("Kompetensi %(code)s tidak ada dalam katalog.", code=code), "competencies")
        found[code] = competency
    return list(found.values())


def _check_provider(unit_id: int | None, name: str) -> tuple[int | None, str]:
    name = _one_line(name, TEXT_MAX, "provider_name", _l("Nama lembaga penyelenggara"))
    if unit_id:
        if units.get_active(int(unit_id)) is None:
            raise WorkshopError(_l("Unit penyelenggara tidak ditemukan."), "provider_unit_id")
        return int(unit_id), name
    if not name:
        raise WorkshopError(_l("Isi unit penyelenggara atau nama lembaga penyelenggara."), "provider_name")
    return None, name


def _check_trainers(nips: Iterable[str]) -> list[User]:
    trainers: dict[int, User] = {}
    for nip in nips:
        nip = (nip or "").strip()
        if not nip:
            continue
        user = accounts.get_by_nip(nip)
        if user is None:
            raise WorkshopError(_l("Pengajar dengan NIP %(nip)s tidak ditemukan.", nip=nip[:20]), "trainers")
        trainers[user.id] = user
    return list(trainers.values())


def _check_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > URL_MAX or not re.match(r"^https://[^\s/$.?#][^\s]*$", url, re.IGNORECASE):
        raise WorkshopError(_l("Tautan daring harus berupa alamat https:// yang valid."), "online_url")
    return url


def _check_sessions(sessions: Sequence[SessionInput]) -> list[tuple[datetime, datetime]]:
    given = list(sessions)  # each row the organizer filled in, completely or not
    if not given:
        raise WorkshopError(_l("Isi paling sedikit satu sesi (tanggal, jam mulai, jam selesai)."), "sessions")
    if len(given) > MAX_SESSIONS:
        raise WorkshopError(_l("Paling banyak %(max)d sesi.", max=MAX_SESSIONS), "sessions")
    checked = []
    for number, item in enumerate(given, start=1):
        if item.starts_at is None or item.ends_at is None:
            raise WorkshopError(_l("Sesi %(n)d: isi tanggal, jam mulai, dan jam selesai.", n=number), "sessions")
        if item.ends_at <= item.starts_at:
            raise WorkshopError(_l("Sesi %(n)d: jam selesai harus setelah jam mulai.", n=number), "sessions")
        checked.append((item.starts_at.astimezone(UTC), item.ends_at.astimezone(UTC)))
    checked.sort()
    for (_start, previous_end), (next_start, _end) in zip(checked, checked[1:], strict=False):
        if next_start < previous_end:
            raise WorkshopError(_l("Waktu sesi tidak boleh bertumpuk."), "sessions")
    return checked


def _check_capacity(capacity: int | None) -> int:
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise WorkshopError(_l("Kapasitas harus 1-%(max)d peserta.", max=MAX_CAPACITY), "capacity")
    return int(capacity)


def _check_jp(jp: int | None, sessions: list[tuple[datetime, datetime]]) -> tuple[int, bool]:
    if jp is None:
        return compute_jp(sessions), False
    if not 0 <= jp <= MAX_JP:
        raise WorkshopError(_l("JP harus bilangan bulat 0-%(max)d.", max=MAX_JP), "jp")
    return int(jp), True


def _check_window(
    opens: datetime | None, closes: datetime | None, first_start: datetime
) -> tuple[datetime | None, datetime | None]:
    if opens and closes and closes <= opens:
        raise WorkshopError(_l("Pendaftaran harus ditutup setelah dibuka."), "registration_closes_at")
    if closes and closes > first_start:
        raise WorkshopError(_l("Pendaftaran harus ditutup sebelum sesi pertama dimulai."), "registration_closes_at")
    return opens, closes


def _check_units(unit_ids: Iterable[int]) -> list[Unit]:
    chosen = []
    for unit_id in dict.fromkeys(int(u) for u in unit_ids if u):
        unit = units.get_active(unit_id)
        if unit is None:
            raise WorkshopError(_l("Unit peserta tidak ditemukan."), "eligible_units")
        chosen.append(unit)
    return chosen


def _check_choice(value: Any, enum_cls: type, field_name: str) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        raise WorkshopError(_l("Pilihan tidak valid."), field_name) from None


def _check_threshold(threshold: int | None, session_count: int) -> int | None:
    if threshold is None:
        return None
    if not 1 <= threshold <= session_count:
        raise WorkshopError(
            _l("Batas kehadiran harus 1-%(max)d sesi (jumlah sesi).", max=session_count), "attendance_threshold"
        )
    return None if threshold == session_count else int(threshold)


def validate_input(data: WorkshopInput) -> ValidatedWorkshop:
    title = _check_title(data.title)
    sessions = _check_sessions(data.sessions)
    provider_unit_id, provider_name = _check_provider(data.provider_unit_id, data.provider_name)
    jp, overridden = _check_jp(data.jp, sessions)
    opens, closes = _check_window(data.registration_opens_at, data.registration_closes_at, sessions[0][0])
    return ValidatedWorkshop(
        title=title,
        description=_check_description(data.description),
        development_type_id=_check_type(data.development_type_id),
        competencies=_check_competencies(data.competency_codes),
        provider_unit_id=provider_unit_id,
        provider_name=provider_name,
        trainers=_check_trainers(data.trainer_nips),
        trainer_names=_one_line(data.trainer_names, URL_MAX, "trainer_names", _l("Pengajar dari luar")),
        location=_one_line(data.location, 300, "location", _l("Lokasi")),
        online_url=_check_url(data.online_url),
        sessions=sessions,
        capacity=_check_capacity(data.capacity),
        jp=jp,
        jp_overridden=overridden,
        registration_opens_at=opens,
        registration_closes_at=closes,
        eligible_units=_check_units(data.eligible_unit_ids),
        employment_filter=_check_choice(data.employment_filter, EmploymentFilter, "employment_filter"),
        approval_mode=_check_choice(data.approval_mode, ApprovalMode, "approval_mode"),
        attendance_threshold=_check_threshold(data.attendance_threshold, len(sessions)),
    )


# ---------------------------------------------------------------- authoring


def _render(workshop: Workshop) -> None:
    workshop.description_html = str(render_markdown(workshop.description_md))
    workshop.renderer_version = RENDERER_VERSION


def _new_checkin_code() -> str:
    return secrets.token_urlsafe(24)


def _apply_sessions(workshop: Workshop, sessions: list[tuple[datetime, datetime]]) -> bool:
    """Update sessions in place by position (keeping attendance and QR codes); True when any time changed."""
    changed = len(sessions) != len(workshop.sessions)
    existing = list(workshop.sessions)
    for index, (starts_at, ends_at) in enumerate(sessions):
        if index < len(existing):
            session = existing[index]
            changed = changed or (session.starts_at, session.ends_at) != (starts_at, ends_at)
            session.starts_at, session.ends_at = starts_at, ends_at
        else:
            workshop.sessions.append(
                WorkshopSession(starts_at=starts_at, ends_at=ends_at, checkin_code=_new_checkin_code())
            )
    for session in existing[len(sessions) :]:
        workshop.sessions.remove(session)
    workshop.starts_at, workshop.ends_at = sessions[0][0], sessions[-1][1]
    return changed


def apply_values(workshop: Workshop, values: ValidatedWorkshop) -> None:
    workshop.title = values.title
    workshop.description_md = values.description
    workshop.development_type_id = values.development_type_id
    workshop.competencies = values.competencies
    workshop.provider_unit_id = values.provider_unit_id
    workshop.provider_name = values.provider_name
    workshop.trainers = values.trainers
    workshop.trainer_names = values.trainer_names
    workshop.location = values.location
    workshop.online_url = values.online_url
    workshop.capacity = values.capacity
    workshop.jp = values.jp
    workshop.jp_overridden = values.jp_overridden
    workshop.registration_opens_at = values.registration_opens_at
    workshop.registration_closes_at = values.registration_closes_at
    workshop.eligible_units = values.eligible_units
    workshop.employment_filter = values.employment_filter
    workshop.approval_mode = values.approval_mode
    workshop.attendance_threshold = values.attendance_threshold
    if _apply_sessions(workshop, values.sessions):
        workshop.calendar_sequence += 1
    workshop.updated_at = utcnow()
    _render(workshop)


def create(actor: User, data: WorkshopInput) -> Workshop:
    """A new draft owned by the actor."""
    if not can_organize(actor):
        raise PermissionDenied("workshop.create")
    values = validate_input(data)
    workshop = Workshop(organizer_id=actor.id, status=WorkshopStatus.DRAFT, calendar_sequence=0)
    apply_values(workshop, values)
    db.session.add(workshop)
    db.session.flush()
    audit.record(actor, "workshop.create", workshop)
    _queue_search(workshop)
    db.session.commit()
    return workshop


def update(actor: User, workshop: Workshop, data: WorkshopInput) -> Workshop:
    """Save changes. Capacity may not drop below the confirmed seats; a higher one fills from the waiting list."""
    _require_manage(actor, workshop)
    values = validate_input(data)
    with _locked(workshop.id) as locked:
        if locked.status == WorkshopStatus.CANCELLED:
            raise WorkshopError(_l("Pelatihan yang dibatalkan tidak dapat diubah."))
        confirmed = confirmed_count(locked)
        if values.capacity < confirmed:
            raise WorkshopError(
                _l(
                    "Kapasitas tidak boleh kurang dari jumlah peserta terkonfirmasi (%(count)d).",
                    count=confirmed,
                ),
                "capacity",
            )
        apply_values(locked, values)
        _fill_seats(locked)
        _recheck_completions(locked)
        audit.record(actor, "workshop.update", locked)
        _queue_search(locked)
        db.session.commit()
    return locked


def publish(actor: User, workshop: Workshop) -> Workshop:
    _require_manage(actor, workshop)
    with _locked(workshop.id) as locked:
        if locked.status != WorkshopStatus.DRAFT:
            raise WorkshopError(_l("Hanya draf yang dapat diterbitkan."))
        locked.status = WorkshopStatus.PUBLISHED
        locked.published_at = utcnow()
        audit.record(actor, "workshop.publish", locked)
        _queue_search(locked)
        db.session.commit()
    return locked


def cancel_workshop(actor: User, workshop: Workshop, reason: str) -> int:
    """Cancel the workshop and notify every registrant; returns how many were notified."""
    _require_manage(actor, workshop)
    reason = _check_reason(reason)
    with _locked(workshop.id) as locked:
        if locked.status not in (WorkshopStatus.DRAFT, WorkshopStatus.PUBLISHED):
            raise WorkshopError(_l("Pelatihan ini sudah dibatalkan atau selesai."))
        locked.status = WorkshopStatus.CANCELLED
        locked.status_note = reason
        locked.calendar_sequence += 1
        registrants = list(
            db.session.scalars(
                select(Registration.user_id).where(
                    Registration.workshop_id == locked.id, Registration.status.in_(ACTIVE_STATUSES)
                )
            )
        )
        count = notifications.notify(
            registrants, "workshop.cancelled", workshop_url(locked), actor=actor, title=locked.title, reason=reason
        )
        audit.record(actor, "workshop.cancel", locked, reason=reason, notified=count)
        _queue_search(locked)
        db.session.commit()
    return count


def complete_workshop(actor: User, workshop: Workshop) -> Workshop:
    """Mark a workshop that has ended as completed: registration closes for good, records stay."""
    _require_manage(actor, workshop)
    with _locked(workshop.id) as locked:
        if locked.status != WorkshopStatus.PUBLISHED:
            raise WorkshopError(_l("Hanya pelatihan terbit yang dapat ditandai selesai."))
        if locked.ends_at > utcnow():
            raise WorkshopError(_l("Pelatihan belum berakhir."))
        locked.status = WorkshopStatus.COMPLETED
        audit.record(actor, "workshop.complete", locked)
        _queue_search(locked)
        db.session.commit()
    return locked


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


def _queue_search(workshop: Workshop) -> None:
    """Keep the search index in step (the "workshop" document type, see portal/workshops/search.py)."""
    from portal.search import services as search

    search.queue("workshop", workshop.id)


# ---------------------------------------------------------------- the lock


def _locked(workshop_id: int) -> AbstractContextManager[Workshop]:
    """The workshop, locked against every other change to it until the caller commits or an error rolls back."""
    return locked_row(db.session(), Workshop, workshop_id, WorkshopError(_l("Pelatihan tidak ditemukan.")))


def _fill_seats(workshop: Workshop) -> list[Registration]:
    """Give free seats to the waiting list in arrival order, notifying each promoted participant."""
    if workshop.status != WorkshopStatus.PUBLISHED:
        return []
    free = workshop.capacity - confirmed_count(workshop)
    if free <= 0:
        return []
    promoted = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.workshop_id == workshop.id, Registration.status == RegistrationStatus.WAITLISTED)
            .order_by(Registration.queued_at, Registration.id)
            .limit(free)
        )
    )
    now = utcnow()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = registration.promoted_at = now
    if promoted:
        notifications.notify(
            [r.user_id for r in promoted], "workshop.promoted", workshop_url(workshop), title=workshop.title
        )
        db.session.flush()
    return promoted


# ---------------------------------------------------------------- registration


def eligibility_problem(user: Any, workshop: Workshop) -> Any | None:
    """Why the user's unit or employment status may not join; None when eligible."""
    allowed_units = {unit.id for unit in workshop.eligible_units}
    if allowed_units and user.unit_id not in allowed_units:
        return _l("Pelatihan ini hanya untuk pegawai unit kerja tertentu.")
    status = EmploymentStatus(user.employment_status)
    if workshop.employment_filter == EmploymentFilter.PNS and status.is_pppk:
        return _l("Pelatihan ini hanya untuk PNS dan CPNS.")
    if workshop.employment_filter == EmploymentFilter.PPPK and not status.is_pppk:
        return _l("Pelatihan ini hanya untuk PPPK.")
    return None


def registration_problem(user: Any, workshop: Workshop, now: datetime | None = None) -> Any | None:
    """Why the user cannot sign up now (status, window, eligibility); None when they can."""
    now = now or utcnow()
    if workshop.status != WorkshopStatus.PUBLISHED:
        return _l("Pendaftaran pelatihan ini tidak dibuka.")
    if workshop.registration_opens_at and now < workshop.registration_opens_at:
        return _l("Pendaftaran dibuka mulai %(when)s.", when=format_local(workshop.registration_opens_at))
    if now >= (workshop.registration_closes_at or workshop.starts_at):
        return _l("Pendaftaran sudah ditutup.")
    return eligibility_problem(user, workshop)


def register(user: User, workshop_id: int) -> Registration:
    """Sign the user up: a seat while there is one, else the waiting list (or pending, in approval mode)."""
    if not getattr(user, "is_active", False):
        raise PermissionDenied("workshop.register")
    user_id = user.id
    try:
        with _locked(workshop_id) as workshop:
            if workshop.status not in VISIBLE_STATUSES:
                raise WorkshopError(_l("Pelatihan tidak ditemukan."))
            registration = db.session.scalar(
                select(Registration).where(Registration.workshop_id == workshop.id, Registration.user_id == user_id)
            )
            if registration is not None and registration.status in ACTIVE_STATUSES:
                raise WorkshopError(_l("Anda sudah terdaftar di pelatihan ini."))
            if registration is not None and registration.status == RegistrationStatus.REJECTED:
                raise WorkshopError(_l("Pendaftaran Anda di pelatihan ini sudah ditolak penyelenggara."))
            problem = registration_problem(db.session.get(User, user_id), workshop)
            if problem:
                raise WorkshopError(problem)
            status = _initial_status(workshop)
            if registration is None:
                registration = Registration(workshop_id=workshop.id, user_id=user_id)
                db.session.add(registration)
            _enqueue(registration, status)
            db.session.commit()
    except IntegrityError:  # the same person's other tab signed up first (the unique constraint held)
        raise WorkshopError(_l("Anda sudah terdaftar di pelatihan ini.")) from None
    return registration


def _initial_status(workshop: Workshop) -> RegistrationStatus:
    if workshop.approval_mode == ApprovalMode.ORGANIZER:
        return RegistrationStatus.PENDING
    return _seat_or_wait(workshop)


def _seat_or_wait(workshop: Workshop) -> RegistrationStatus:
    if confirmed_count(workshop) < workshop.capacity:
        return RegistrationStatus.CONFIRMED
    return RegistrationStatus.WAITLISTED


def _enqueue(registration: Registration, status: RegistrationStatus) -> None:
    now = utcnow()
    registration.status = status
    registration.queued_at = now
    registration.cancelled_at = None
    registration.decision_reason = ""
    registration.confirmed_at = now if status == RegistrationStatus.CONFIRMED else None
    registration.promoted_at = None
    db.session.flush()


def cancel(user: User, workshop_id: int) -> Registration:
    """The participant leaves; a confirmed seat can be given up until the cut-off before the first session."""
    user_id = user.id
    with _locked(workshop_id) as workshop:
        registration = db.session.scalar(
            select(Registration).where(Registration.workshop_id == workshop.id, Registration.user_id == user_id)
        )
        if registration is None or registration.status not in ACTIVE_STATUSES:
            raise WorkshopError(_l("Anda tidak terdaftar di pelatihan ini."))
        if workshop.status != WorkshopStatus.PUBLISHED:
            raise WorkshopError(_l("Pendaftaran pelatihan ini tidak dapat diubah lagi."))
        cutoff = workshop.starts_at - timedelta(hours=_setting("CANCEL_CUTOFF_HOURS"))
        if registration.status == RegistrationStatus.CONFIRMED and utcnow() >= cutoff:
            raise WorkshopError(
                _l(
                    "Pembatalan hanya bisa sampai %(when)s. Hubungi penyelenggara.",
                    when=format_local(cutoff),
                )
            )
        _drop(registration)
        _fill_seats(workshop)
        db.session.commit()
    return registration


def _drop(registration: Registration) -> None:
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = utcnow()
    registration.completed_at = None
    learning.void_workshop_attendance(registration.user_id, registration.workshop_id)
    db.session.flush()


# ---------------------------------------------------------------- organizer decisions


def _managed_registration(actor: User, workshop: Workshop, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.workshop_id != workshop.id:
        raise WorkshopError(_l("Pendaftaran tidak ditemukan."))
    return registration


def approve(actor: User, workshop: Workshop, registration_id: int) -> Registration:
    _require_manage(actor, workshop)
    with _locked(workshop.id) as locked:
        registration = _managed_registration(actor, locked, registration_id)
        if registration.status != RegistrationStatus.PENDING:
            raise WorkshopError(_l("Pendaftaran ini tidak menunggu persetujuan."))
        if locked.status != WorkshopStatus.PUBLISHED:
            raise WorkshopError(_l("Pendaftaran pelatihan ini tidak dapat diubah lagi."))
        status = _seat_or_wait(locked)
        registration.status = status
        registration.decided_by_id = actor.id
        registration.confirmed_at = utcnow() if status == RegistrationStatus.CONFIRMED else None
        kind = "workshop.approved" if status == RegistrationStatus.CONFIRMED else "workshop.approved_waiting"
        notifications.notify([registration.user_id], kind, workshop_url(locked), actor=actor, title=locked.title)
        audit.record(actor, "workshop.approve", locked, participant=registration.user_id, status=status.value)
        db.session.commit()
    return registration


def reject(actor: User, workshop: Workshop, registration_id: int, reason: str) -> Registration:
    _require_manage(actor, workshop)
    reason = _check_reason(reason)
    with _locked(workshop.id) as locked:
        registration = _managed_registration(actor, locked, registration_id)
        if registration.status != RegistrationStatus.PENDING:
            raise WorkshopError(_l("Pendaftaran ini tidak menunggu persetujuan."))
        registration.status = RegistrationStatus.REJECTED
        registration.decided_by_id = actor.id
        registration.decision_reason = reason
        notifications.notify(
            [registration.user_id], "workshop.rejected", workshop_url(locked), actor=actor, title=locked.title,
            reason=reason,
        )  # fmt: skip
        audit.record(actor, "workshop.reject", locked, participant=registration.user_id, reason=reason)
        db.session.commit()
    return registration


def add_participant(actor: User, workshop: Workshop, nip: str) -> Registration:
    """The organizer signs someone up (no window or eligibility check): a seat if free, else the waiting list."""
    _require_manage(actor, workshop)
    participant = accounts.get_by_nip((nip or "").strip())
    if participant is None or not participant.is_active:
        raise WorkshopError(_l("Pegawai dengan NIP tersebut tidak ditemukan atau belum aktif."), "nip")
    participant_id = participant.id
    with _locked(workshop.id) as locked:
        if locked.status != WorkshopStatus.PUBLISHED:
            raise WorkshopError(_l("Peserta hanya dapat ditambahkan ke pelatihan yang terbit."))
        registration = db.session.scalar(
            select(Registration).where(Registration.workshop_id == locked.id, Registration.user_id == participant_id)
        )
        if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
            raise WorkshopError(_l("Pegawai ini sudah menjadi peserta."), "nip")
        status = _seat_or_wait(locked)
        if registration is None:
            registration = Registration(workshop_id=locked.id, user_id=participant_id)
            db.session.add(registration)
        elif registration.status == RegistrationStatus.WAITLISTED and status == RegistrationStatus.WAITLISTED:
            raise WorkshopError(_l("Kursi penuh: pegawai ini sudah ada di daftar tunggu."), "nip")
        _enqueue(registration, status)
        registration.added_by_id = actor.id
        notifications.notify([participant_id], "workshop.added", workshop_url(locked), actor=actor, title=locked.title)
        audit.record(actor, "workshop.add_participant", locked, participant=participant_id, status=status.value)
        db.session.commit()
    return registration


def remove_participant(actor: User, workshop: Workshop, registration_id: int) -> Registration:
    _require_manage(actor, workshop)
    with _locked(workshop.id) as locked:
        registration = _managed_registration(actor, locked, registration_id)
        if registration.status not in ACTIVE_STATUSES:
            raise WorkshopError(_l("Pegawai ini bukan peserta aktif."))
        _drop(registration)
        registration.decided_by_id = actor.id
        notifications.notify(
            [registration.user_id], "workshop.removed", workshop_url(locked), actor=actor, title=locked.title
        )
        audit.record(actor, "workshop.remove_participant", locked, participant=registration.user_id)
        _fill_seats(locked)
        db.session.commit()
    return registration


# ---------------------------------------------------------------- attendance and completion


def certificate_unlocked(registration: Registration) -> bool:
    """Whether a completed participant may download the certificate: once they submitted the workshop's
    evaluation form, when it has one that takes answers (portal.feedback.services.pending.evaluation_done)."""
    from portal.feedback.services.pending import evaluation_done  # feedback imports this module

    return registration.is_completed and evaluation_done(registration)


def completed_registrations(workshop_id: int) -> list[Registration]:
    """The registrations of participants who completed the workshop, with their users (for L3 follow-ups)."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.workshop_id == workshop_id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.completed_at.is_not(None),
            )
            .options(joinedload(Registration.user))
            .order_by(Registration.completed_at, Registration.id)
        )
    )


def _new_certificate_number(workshop: Workshop) -> str:
    year = to_local(workshop.ends_at).year
    return f"PKA-{year}-{workshop.id:04d}-{secrets.token_hex(4).upper()}"


def _credit_for(workshop: Workshop, registration: Registration) -> learning.AttendanceCredit:
    return learning.AttendanceCredit(
        title=workshop.title,
        development_type_id=workshop.development_type_id,
        provider=workshop.provider,
        start_date=to_local(workshop.starts_at).date(),
        end_date=to_local(workshop.ends_at).date(),
        jp=workshop.jp,
        certificate_number=registration.certificate_number or "",
        competencies=list(workshop.competencies),
    )


def _update_completion(workshop: Workshop, registration: Registration) -> None:
    """Completion follows attendance: credit the JP once (updated in place later), or withdraw it."""
    attended = db.session.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.registration_id == registration.id)
    )
    required = workshop.required_sessions
    complete = (
        registration.status == RegistrationStatus.CONFIRMED
        and workshop.status in (WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED)
        and required > 0
        and (attended or 0) >= required
    )
    if not complete:
        registration.completed_at = None
        learning.void_workshop_attendance(registration.user_id, workshop.id)
        return
    registration.completed_at = registration.completed_at or utcnow()
    if registration.certificate_number is None:  # the first completion ever: tell the participant once
        registration.certificate_number = _new_certificate_number(workshop)
        kind = "workshop.completed" if certificate_unlocked(registration) else "workshop.completed_evaluate"
        notifications.notify([registration.user_id], kind, workshop_url(workshop), title=workshop.title, jp=workshop.jp)
    learning.credit_workshop_attendance(registration.user_id, workshop.id, _credit_for(workshop, registration))


def _recheck_completions(workshop: Workshop) -> None:
    """After the workshop changed (JP, dates, sessions, threshold): bring every attendee's credit up to date."""
    db.session.flush()
    attendees = db.session.scalars(
        select(Registration).where(
            Registration.workshop_id == workshop.id,
            Registration.id.in_(select(Attendance.registration_id).distinct()),
        )
    )
    for registration in attendees:
        _update_completion(workshop, registration)


def set_attendance(
    actor: User, workshop: Workshop, registration_id: int, session_id: int, present: bool
) -> Registration:
    """The organizer ticks a participant present (or not) for one session."""
    _require_manage(actor, workshop)
    with _locked(workshop.id) as locked:
        registration = _managed_registration(actor, locked, registration_id)
        session = get_session(locked, session_id)
        if session is None:
            raise WorkshopError(_l("Sesi tidak ditemukan."))
        if registration.status != RegistrationStatus.CONFIRMED:
            raise WorkshopError(_l("Hanya peserta terkonfirmasi yang dapat dicatat hadir."))
        existing = _attendance(registration.id, session.id)
        if present and existing is None:
            db.session.add(
                Attendance(
                    registration_id=registration.id,
                    session_id=session.id,
                    method=CheckInMethod.MANUAL,
                    recorded_by_id=actor.id,
                )
            )
        elif not present and existing is not None:
            db.session.delete(existing)
        db.session.flush()
        _update_completion(locked, registration)
        db.session.commit()
    return registration


def _attendance(registration_id: int, session_id: int) -> Attendance | None:
    return db.session.scalar(
        select(Attendance).where(Attendance.registration_id == registration_id, Attendance.session_id == session_id)
    )


def present_session_ids(registration: Registration) -> set[int]:
    return set(db.session.scalars(select(Attendance.session_id).where(Attendance.registration_id == registration.id)))


def session_by_code(code: str) -> WorkshopSession | None:
    if not code or len(code) > 64:
        return None
    return db.session.scalar(
        select(WorkshopSession)
        .where(WorkshopSession.checkin_code == code)
        .options(joinedload(WorkshopSession.workshop))
    )


def checkin_window(session: WorkshopSession) -> tuple[datetime, datetime]:
    margin = timedelta(minutes=_setting("CHECKIN_MARGIN_MINUTES"))
    return session.starts_at - margin, session.ends_at + margin


def checkin_problem(user: Any, session: WorkshopSession, now: datetime | None = None) -> Any | None:
    """Why the user cannot check in to this session now; None when they can."""
    now = now or utcnow()
    workshop = session.workshop
    if workshop.status not in (WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED):
        return _l("Pelatihan ini tidak menerima presensi.")
    opens, closes = checkin_window(session)
    if now < opens:
        return _l("Presensi sesi ini baru dibuka %(when)s.", when=format_local(opens))
    if now > closes:
        return _l("Presensi sesi ini sudah ditutup sejak %(when)s.", when=format_local(closes))
    registration = registration_of(user, workshop.id)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return _l("Anda bukan peserta terkonfirmasi pelatihan ini, jadi presensi tidak dapat dicatat.")
    return None


@dataclass
class CheckInResult:
    session: WorkshopSession
    already: bool  # the participant had checked in before: nothing changed


def check_in(user: User, code: str) -> CheckInResult:
    """QR self check-in: the secret code names the session; repeated scans change nothing."""
    if not getattr(user, "is_active", False):
        raise PermissionDenied("workshop.check_in")
    found = session_by_code(code)
    if found is None:
        raise WorkshopError(_l("Kode presensi tidak dikenal."))
    session_id, workshop_id, user_id = found.id, found.workshop_id, user.id
    with _locked(workshop_id) as workshop:
        session = get_session(workshop, session_id)
        participant = db.session.get(User, user_id)
        problem = checkin_problem(participant, session)
        if problem:
            raise WorkshopError(problem)
        registration = registration_of(participant, workshop_id)
        if _attendance(registration.id, session_id) is not None:
            db.session.rollback()
            return CheckInResult(session=session, already=True)
        db.session.add(Attendance(registration_id=registration.id, session_id=session_id, method=CheckInMethod.QR))
        db.session.flush()
        _update_completion(workshop, registration)
        db.session.commit()
    return CheckInResult(session=session, already=False)


# ---------------------------------------------------------------- certificates


@dataclass
class CertificateData:
    number: str
    name: str
    nip: str
    workshop_title: str
    start_date: date
    end_date: date
    jp: int
    competencies: list[str]
    provider: str
    development_type: str


def _certificate_data(registration: Registration) -> CertificateData:
    workshop = registration.workshop
    return CertificateData(
        number=registration.certificate_number or "",
        name=registration.user.name,
        nip=registration.user.nip,
        workshop_title=workshop.title,
        start_date=to_local(workshop.starts_at).date(),
        end_date=to_local(workshop.ends_at).date(),
        jp=workshop.jp,
        competencies=[str(c) for c in workshop.competencies],
        provider=workshop.provider,
        development_type=str(workshop.development_type or ""),
    )


def certificate_for(user: User, workshop: Workshop) -> CertificateData:
    registration = registration_of(user, workshop.id)
    if registration is None or not registration.is_completed or not registration.certificate_number:
        raise WorkshopError(_l("Sertifikat tersedia setelah Anda menyelesaikan pelatihan ini."))
    if not certificate_unlocked(registration):
        raise WorkshopError(_l("Sertifikat terbuka setelah Anda mengisi evaluasi pelatihan."))
    return _certificate_data(registration)


def verify_certificate(number: str) -> CertificateData | None:
    """The certificate with that number if it is genuine and still valid; None for unknown or forged numbers."""
    number = (number or "").strip().upper()
    if not CERTIFICATE_PATTERN.match(number):
        return None
    registration = db.session.scalar(
        select(Registration)
        .where(Registration.certificate_number == number)
        .options(joinedload(Registration.user), joinedload(Registration.workshop))
    )
    if registration is None or not registration.is_completed:
        return None
    return _certificate_data(registration)


# ---------------------------------------------------------------- browsing


@dataclass
class WorkshopFilters:
    competency: str = ""
    type_code: str = ""
    unit_id: int | None = None  # open to this unit
    month: date | None = None  # first day of a month (WIB)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = local_moment(month.replace(day=1), time())
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.astimezone(UTC), local_moment(following, time()).astimezone(UTC)


def _listed(filters: WorkshopFilters):
    stmt = select(Workshop).where(Workshop.status.in_((WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED)))
    if filters.month is not None:
        start, end = month_bounds(filters.month)
        stmt = stmt.where(Workshop.starts_at < end, Workshop.ends_at >= start)
    else:
        stmt = stmt.where(Workshop.ends_at >= utcnow())
    if filters.competency:
        code = competencies.normalize_code(filters.competency)
        stmt = stmt.where(Workshop.competencies.any(Competency.code == code))
    if filters.type_code:
        development_type = learning.get_development_type_by_code(filters.type_code)
        stmt = stmt.where(Workshop.development_type_id == (development_type.id if development_type else -1))
    if filters.unit_id:
        stmt = stmt.where(~Workshop.eligible_units.any() | Workshop.eligible_units.any(Unit.id == filters.unit_id))
    return stmt


def list_upcoming(filters: WorkshopFilters, page: int) -> Page[Workshop]:
    stmt = _listed(filters).order_by(Workshop.starts_at, Workshop.id)
    stmt = stmt.options(
        joinedload(Workshop.development_type), joinedload(Workshop.provider_unit), selectinload(Workshop.sessions)
    )
    return paginate(stmt, page, current_app.config["WORKSHOPS_PAGE_SIZE"])


def listing_changes_at(filters: WorkshopFilters) -> datetime | None:
    """When the list of upcoming workshops changes by the clock alone (the first listed one ends); None for a
    month, which does not depend on the clock."""
    if filters.month is not None:
        return None
    return db.session.scalar(_listed(filters).with_only_columns(func.min(Workshop.ends_at)))


def upcoming_for_competencies(
    competency_ids: Sequence[int] | None, limit: int = 5, unit_id: int | None = None
) -> list[Workshop]:
    """Published workshops not started yet that teach any of the competencies (None: any), soonest first.

    ``unit_id`` keeps only workshops open to that unit. For recommendations and development plans.
    """
    if competency_ids is not None and not competency_ids:
        return []
    stmt = select(Workshop).where(Workshop.status == WorkshopStatus.PUBLISHED, Workshop.starts_at > utcnow())
    if competency_ids is not None:
        stmt = stmt.where(Workshop.competencies.any(Competency.id.in_(list(competency_ids))))
    if unit_id:
        stmt = stmt.where(~Workshop.eligible_units.any() | Workshop.eligible_units.any(Unit.id == unit_id))
    stmt = stmt.order_by(Workshop.starts_at, Workshop.id).limit(limit)
    return list(db.session.scalars(stmt.options(selectinload(Workshop.competencies))))


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    sessions: list[WorkshopSession] = field(default_factory=list)


def calendar_month(month: date) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month's grid with the sessions of published workshops on each day."""
    start, end = month_bounds(month)
    sessions = db.session.scalars(
        select(WorkshopSession)
        .join(Workshop)
        .where(
            Workshop.status.in_((WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED)),
            WorkshopSession.starts_at >= start,
            WorkshopSession.starts_at < end,
        )
        .order_by(WorkshopSession.starts_at)
        .options(joinedload(WorkshopSession.workshop))
    )
    by_day: dict[date, list[WorkshopSession]] = defaultdict(list)
    for session in sessions:
        by_day[to_local(session.starts_at).date()].append(session)
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [[CalendarDay(day, day.month == month.month, by_day.get(day, [])) for day in week] for week in weeks]


@dataclass
class MyWorkshop:
    registration: Registration
    position: int | None
    attended_sessions: int


def my_workshops(user: User) -> list[MyWorkshop]:
    registrations = db.session.scalars(
        select(Registration)
        .join(Workshop)
        .where(Registration.user_id == user.id, Registration.status != RegistrationStatus.CANCELLED)
        .order_by(Workshop.starts_at.desc(), Workshop.id.desc())
        .options(
            joinedload(Registration.workshop).selectinload(Workshop.sessions),
            selectinload(Registration.attendances),
        )
    ).unique()
    return [MyWorkshop(r, waiting_position(r), len(r.attendances)) for r in registrations]


def managed_workshops(actor: User) -> list[Workshop]:
    if not can_organize(actor):
        raise PermissionDenied("workshop.manage")
    stmt = select(Workshop).order_by(Workshop.starts_at.desc(), Workshop.id.desc())
    if not actor.is_admin:
        stmt = stmt.where(Workshop.organizer_id == actor.id)
    return list(db.session.scalars(stmt.options(joinedload(Workshop.organizer))).unique())


@dataclass
class ParticipantRow:
    registration: Registration
    present: set[int]  # session ids
    position: int | None = None


def participants(actor: User, workshop: Workshop, query: str = "") -> list[ParticipantRow]:
    """Every registration with its attendance, for the dashboard, exports and check-in lists."""
    _require_manage(actor, workshop)
    stmt = (
        select(Registration)
        .join(User, User.id == Registration.user_id)
        .where(Registration.workshop_id == workshop.id)
        .options(joinedload(Registration.user).joinedload(User.unit), selectinload(Registration.attendances))
        .order_by(Registration.queued_at, Registration.id)
    )
    query = " ".join((query or "").split())[:100]
    if query:
        pattern = f"%{query.lower()}%"
        stmt = stmt.where(func.lower(User.name).like(pattern) | User.nip.like(pattern))
    rows = []
    waiting = 0
    for registration in db.session.scalars(stmt).unique():
        position = None
        if registration.status == RegistrationStatus.WAITLISTED:
            waiting += 1
            position = waiting
        rows.append(ParticipantRow(registration, {a.session_id for a in registration.attendances}, position))
    return rows


def status_counts(workshop: Workshop) -> dict[RegistrationStatus, int]:
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.workshop_id == workshop.id)
        .group_by(Registration.status)
    )
    counts = dict.fromkeys(RegistrationStatus, 0)
    counts.update({RegistrationStatus(status): count for status, count in rows})
    return counts


@dataclass(frozen=True)
class WorkshopFill:
    workshop_id: int
    title: str
    starts_at: datetime
    capacity: int
    confirmed: int
    completed: int
    ended: bool

    @property
    def fill_rate(self) -> float:
        return self.confirmed / self.capacity

    @property
    def attendance_rate(self) -> float | None:
        return self.completed / self.confirmed if self.ended and self.confirmed else None


@dataclass(frozen=True)
class FillAndAttendance:
    """Seats taken against capacity, and how many confirmed participants completed (ended workshops only)."""

    workshops: list[WorkshopFill]

    @property
    def capacity(self) -> int:
        return sum(w.capacity for w in self.workshops)

    @property
    def confirmed(self) -> int:
        return sum(w.confirmed for w in self.workshops)

    @property
    def fill_rate(self) -> float | None:
        return self.confirmed / self.capacity if self.capacity else None

    @property
    def ended_confirmed(self) -> int:
        return sum(w.confirmed for w in self.workshops if w.ended)

    @property
    def completed(self) -> int:
        return sum(w.completed for w in self.workshops if w.ended)

    @property
    def attendance_rate(self) -> float | None:
        return self.completed / self.ended_confirmed if self.ended_confirmed else None


def fill_and_attendance(year: int, unit_id: int | None = None, now: datetime | None = None) -> FillAndAttendance:
    """Read-only figures for the development dashboard: published and completed workshops starting in the year
    (WIB), with their confirmed seats and completions; ``unit_id`` keeps the workshops that unit provides.

    A workshop counts toward attendance once it has ended (or was marked completed): before that nobody could
    have completed it. One query.
    """
    now = now or utcnow()
    start = local_moment(date(year, 1, 1), time()).astimezone(UTC)
    end = local_moment(date(year + 1, 1, 1), time()).astimezone(UTC)
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    stmt = (
        select(
            Workshop.id,
            Workshop.title,
            Workshop.starts_at,
            Workshop.capacity,
            Workshop.ends_at,
            Workshop.status,
            func.count(Registration.id).filter(confirmed),
            func.count(Registration.id).filter(confirmed, Registration.completed_at.is_not(None)),
        )
        .outerjoin(Registration, Registration.workshop_id == Workshop.id)
        .where(
            Workshop.status.in_((WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED)),
            Workshop.starts_at >= start,
            Workshop.starts_at < end,
        )
        .group_by(Workshop.id, Workshop.title, Workshop.starts_at, Workshop.capacity, Workshop.ends_at, Workshop.status)
        .order_by(Workshop.starts_at, Workshop.id)
    )
    if unit_id is not None:
        stmt = stmt.where(Workshop.provider_unit_id == unit_id)
    rows = [
        WorkshopFill(
            workshop_id=workshop_id,
            title=title,
            starts_at=starts_at,
            capacity=capacity,
            confirmed=taken,
            completed=done,
            ended=status == WorkshopStatus.COMPLETED or ends_at <= now,
        )
        for workshop_id, title, starts_at, capacity, ends_at, status, taken, done in db.session.execute(stmt)
    ]
    return FillAndAttendance(rows)


# ---------------------------------------------------------------- calendar feed


def feed_token(user: User) -> str | None:
    feed = db.session.get(CalendarFeed, user.id)
    return feed.token if feed else None


def renew_feed_token(user: User) -> str:
    """A new private feed URL; the old one stops working."""
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = utcnow()
    db.session.commit()
    return feed.token


def revoke_feed_token(user: User) -> None:
    feed = db.session.get(CalendarFeed, user.id)
    if feed is not None:
        db.session.delete(feed)
        db.session.commit()


def feed_owner(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
    if feed is None:
        return None
    user = accounts.get_user(feed.user_id)
    return user if user is not None and user.is_active else None


def confirmed_workshops(user: User) -> list[Workshop]:
    stmt = (
        select(Workshop)
        .join(Registration, Registration.workshop_id == Workshop.id)
        .where(
            Registration.user_id == user.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Workshop.status.in_((WorkshopStatus.PUBLISHED, WorkshopStatus.COMPLETED)),
        )
        .order_by(Workshop.starts_at)
        .options(selectinload(Workshop.sessions), joinedload(Workshop.provider_unit))
    )
    return list(db.session.scalars(stmt).unique())


# ---------------------------------------------------------------- reminders


def send_reminders(now: datetime | None = None) -> int:
    """Notify confirmed participants of workshops starting tomorrow (WIB), once each; returns how many.

    Safe to run as often as wanted (cron, systemd timer): a registration is marked when reminded, in the same
    transaction as the notification, and never reminded again.
    """
    now = now or utcnow()
    tomorrow = to_local(now).date() + timedelta(days=1)
    window_end = local_moment(tomorrow + timedelta(days=1), time()).astimezone(UTC)
    write_transaction(db.session())
    try:
        due = db.session.execute(
            select(Registration.id, Registration.user_id, Workshop)
            .join(Workshop, Workshop.id == Registration.workshop_id)
            .where(
                Workshop.status == WorkshopStatus.PUBLISHED,
                Workshop.starts_at > now,
                Workshop.starts_at < window_end,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.reminder_sent_at.is_(None),
            )
        ).all()
        by_workshop: dict[int, tuple[Workshop, list[int], list[int]]] = {}
        for registration_id, user_id, workshop in due:
            entry = by_workshop.setdefault(workshop.id, (workshop, [], []))
            entry[1].append(registration_id)
            entry[2].append(user_id)
        sent = 0
        for workshop, registration_ids, user_ids in by_workshop.values():
            db.session.execute(
                sql_update(Registration).where(Registration.id.in_(registration_ids)).values(reminder_sent_at=now)
            )
            sent += notifications.notify(
                user_ids,
                "workshop.reminder",
                workshop_url(workshop),
                title=workshop.title,
                when=format_local(workshop.starts_at),
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return sent
