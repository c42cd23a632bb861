"""A workshop's form input, checked and normalised: :func:`validate_input` raises :class:`WorkshopError` or returns
the values to store."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.competencies import queries as competency_catalogue
from portal.competencies import services as competencies
from portal.competencies.models import Competency
from portal.core.i18n import lazy_gettext as _l
from portal.units import services as units
from portal.units.models import Unit
from portal.workshops.models import ApprovalMode, EmploymentFilter, JpBasis, Workshop
from portal.workshops.services.certificate_profiles import Signer, SignerInput, check_signer
from portal.workshops.services.common import (
    DESCRIPTION_MAX,
    MAX_CAPACITY,
    MAX_SESSIONS,
    TEXT_MAX,
    TITLE_MAX,
    TITLE_MIN,
    URL_MAX,
    WorkshopError,
)
from portal.workshops.services.jp import decide_jp

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    jp: int | None = None  # None: the JP rule of the development type
    jp_reason: str = ""  # required when jp differs from the rule
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    eligible_unit_ids: Sequence[int] = ()
    employment_filter: EmploymentFilter | str = EmploymentFilter.ALL
    approval_mode: ApprovalMode | str = ApprovalMode.AUTOMATIC
    attendance_threshold: int | None = None
    signer: SignerInput = field(default_factory=SignerInput)  # all empty: the organizer unit's signer
    origin: str = ""  # where the create form was opened from, for the workshop-created signal's receivers


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
    jp_basis: JpBasis
    jp_reason: str
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    eligible_units: list[Unit]
    employment_filter: EmploymentFilter
    approval_mode: ApprovalMode
    attendance_threshold: int | None
    signer: Signer | None


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
    development_type = competency_catalogue.get_development_type(type_id)
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


def validate_input(data: WorkshopInput, current: Workshop | None = None) -> ValidatedWorkshop:
    """The values to store; ``current`` is the workshop being edited (a JP stored before the rule stays)."""
    title = _check_title(data.title)
    development_type_id = _check_type(data.development_type_id)
    sessions = _check_sessions(data.sessions)
    provider_unit_id, provider_name = _check_provider(data.provider_unit_id, data.provider_name)
    jp = decide_jp(development_type_id, sessions, data.jp, data.jp_reason, current)
    opens, closes = _check_window(data.registration_opens_at, data.registration_closes_at, sessions[0][0])
    return ValidatedWorkshop(
        title=title,
        description=_check_description(data.description),
        development_type_id=development_type_id,
        competencies=_check_competencies(data.competency_codes),
        provider_unit_id=provider_unit_id,
        provider_name=provider_name,
        trainers=_check_trainers(data.trainer_nips),
        trainer_names=_one_line(data.trainer_names, URL_MAX, "trainer_names", _l("Pengajar dari luar")),
        location=_one_line(data.location, 300, "location", _l("Lokasi")),
        online_url=_check_url(data.online_url),
        sessions=sessions,
        capacity=_check_capacity(data.capacity),
        jp=jp.jp,
        jp_basis=jp.basis,
        jp_reason=jp.reason,
        registration_opens_at=opens,
        registration_closes_at=closes,
        eligible_units=_check_units(data.eligible_unit_ids),
        employment_filter=_check_choice(data.employment_filter, EmploymentFilter, "employment_filter"),
        approval_mode=_check_choice(data.approval_mode, ApprovalMode, "approval_mode"),
        attendance_threshold=_check_threshold(data.attendance_threshold, len(sessions)),
        signer=check_signer(data.signer),
    )
