"""What every account rule shares: the error, the sign-up data, and the checks of each field."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from portal.accounts.models import EmploymentStatus, User
from portal.accounts.nip import NipError, parse_nip
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.extensions import db
from portal.units import services as units

# A real hash of a random password: login of an unknown user costs as much as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MAX_ROW_ID = 2**31 - 1  # an INTEGER key; a bigger forged id would make the database driver raise
HANDLE_MIN, HANDLE_MAX = 3, 30
_HANDLE_RE = re.compile(r"^[a-z0-9._]{3,30}$")


class AccountError(RuleError):
    """A account rule was broken."""


@dataclass
class Registration:
    nip: str
    name: str
    email: str
    password: str
    unit_id: int | None
    position: str | None
    employment_status: EmploymentStatus | str = EmploymentStatus.PNS
    contract_start: date | None = None  # PPPK only
    contract_end: date | None = None


# ---------------------------------------------------------------- validation helpers


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def password_problem(password: str, user_inputs: Sequence[str] = ()) -> Any | None:
    """Return why a password is too weak, or None. Length first: long passphrases beat symbol rules."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        return _l("Kata sandi minimal %(n)d karakter.", n=minimum)
    if len(password) > 128:
        return _l("Kata sandi maksimal 128 karakter.")
    if len(set(password)) < 4:
        return _l("Kata sandi terlalu mudah ditebak: gunakan lebih banyak karakter yang berbeda.")
    if not (re.search(r"[A-Za-z]", password) and re.search(r"[^A-Za-z]", password)):
        return _l("Kata sandi harus memuat huruf dan setidaknya satu angka atau simbol.")
    lowered = password.lower()
    for value in user_inputs:
        value = (value or "").lower()
        if len(value) >= 4 and (value in lowered or lowered in value):
            return _l("Kata sandi tidak boleh memuat NIP, nama, atau email Anda.")
    return None


def check_email(email: str, exclude_user_id: int | None = None) -> str:
    email = normalize_email(email)
    if not _EMAIL_RE.match(email) or len(email) > 254:
        raise AccountError(_l("Alamat email tidak valid."), "email")
    stmt = select(User.id).where(User.email == email)
    if exclude_user_id:
        stmt = stmt.where(User.id != exclude_user_id)
    if db.session.scalar(stmt):
        raise AccountError(_l("Email ini sudah dipakai akun lain."), "email")
    return email


def _check_nip(nip: str, status: EmploymentStatus, exclude_user_id: int | None = None) -> str:
    try:
        info = parse_nip(nip, status)
    except NipError as error:
        raise AccountError(str(error), "nip") from None
    stmt = select(User.id).where(User.nip == info.nip)
    if exclude_user_id:
        stmt = stmt.where(User.id != exclude_user_id)
    if db.session.scalar(stmt):
        raise AccountError(_l("NIP ini sudah terdaftar. Gunakan fitur lupa kata sandi bila itu akun Anda."), "nip")
    return info.nip


def check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if len(name) < 3:
        raise AccountError(_l("Nama lengkap minimal 3 karakter."), "name")
    if len(name) > 160:
        raise AccountError(_l("Nama lengkap maksimal 160 karakter."), "name")
    return name


def _check_unit(unit_id: int | str | None) -> int:
    try:
        unit_id = int(unit_id or 0)
    except (TypeError, ValueError):
        unit_id = 0
    if not unit_id:
        raise AccountError(_l("Pilih unit kerja."), "unit_id")
    if not 0 < unit_id <= _MAX_ROW_ID or not units.get_active(unit_id):
        raise AccountError(_l("Unit kerja tidak ditemukan."), "unit_id")
    return unit_id


CONTRACT_YEARS = (2000, 2100)


def check_contract(
    status: EmploymentStatus | str, start: date | None, end: date | None
) -> tuple[date | None, date | None]:
    """The PPPK employment contract's start and end (either may be empty; an end needs a start). Other statuses
    have no contract dates: giving one is refused, so a wrong status is noticed rather than silently ignored."""
    if not _status(status).is_pppk:
        if start or end:
            raise AccountError(_l("Tanggal kontrak hanya diisi untuk PPPK."), "contract_start")
        return None, None
    first, last = CONTRACT_YEARS
    for value, field in ((start, "contract_start"), (end, "contract_end")):
        if value is not None and not first <= value.year <= last:
            raise AccountError(
                _l("Tanggal kontrak harus antara tahun %(first)d dan %(last)d.", first=first, last=last), field
            )
    if end is not None and start is None:
        raise AccountError(_l("Isi tanggal mulai kontrak bila tanggal akhirnya diisi."), "contract_start")
    if start is not None and end is not None and end < start:
        raise AccountError(_l("Tanggal akhir kontrak tidak boleh sebelum tanggal mulainya."), "contract_end")
    return start, end


def _personal_words(nip: str, email: str, name: str) -> tuple[str, ...]:
    """What a password must not contain: the NIP, and each word of the name and the email's local part."""
    return (nip, *re.split(r"[\W_]+", f"{email.split('@')[0]} {name}"))


def _status(value: EmploymentStatus | str) -> EmploymentStatus:
    try:
        return EmploymentStatus(value)
    except ValueError:
        raise AccountError(_l("Status kepegawaian tidak dikenal."), "employment_status") from None
