"""Account rules: registration, authentication, verification, roles, password reset, profile changes.

Every function that changes data takes the acting user, checks permission here, writes the audit log for
administrative actions, and commits. Validation failures raise :class:`AccountError` with a user-facing
message and leave the database untouched.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, event, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from portal.accounts.models import EmploymentStatus, PasswordResetToken, User
from portal.accounts.nip import NipError, normalize_nip, parse_nip
from portal.audit import services as audit
from portal.core.database import write_transaction
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.pagination import Page, paginate
from portal.core.permissions import Permission, Role, require
from portal.core.types import UTCDateTime, utcnow
from portal.extensions import db
from portal.units import services as units

log = logging.getLogger(__name__)

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


# ---------------------------------------------------------------- handles (@mentions)


def handle_from_name(name: str) -> str:
    """'dr. Nofriadi Putra, Sp.PD.' -> 'nofriadi.putra': the name without degrees or titles, in ASCII, dotted."""
    words = [word for word in (name or "").split(",")[0].split() if not word.endswith(".")]
    ascii_words = [
        re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower())
        for word in words
    ]
    base = ".".join(word for word in ascii_words if word)[: HANDLE_MAX - 4].strip("._")  # room for a number
    if len(base) < HANDLE_MIN:
        base = f"asn.{base}" if base else "asn"
    return base


def _free_handle(base: str, taken: set[str]) -> str:
    """``base``, or ``base`` with the lowest number appended that no account (saved or about to be) uses."""
    pattern = base.replace("_", "\\_") + "%"
    with db.session.no_autoflush:
        used = taken | set(db.session.scalars(select(User.handle).where(User.handle.like(pattern, escape="\\"))))
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}{number}"
    return candidate


@event.listens_for(db.session, "before_flush")
def assign_handles(session: Session, _context: Any, _instances: Any) -> None:
    """Every new account gets a handle, whichever way it was created (registration, admin, import, demo)."""
    new_users = [obj for obj in session.new if isinstance(obj, User)]
    taken = {user.handle for user in new_users if user.handle}
    for user in new_users:
        if not user.handle:
            handle = _free_handle(handle_from_name(user.name), taken)
            user.handle = handle
            taken.add(handle)


def _check_handle(handle: str, exclude_user_id: int | None = None) -> str:
    handle = (handle or "").strip().removeprefix("@").lower()
    if not _HANDLE_RE.match(handle):
        raise AccountError(
            _l("Nama pengguna harus 3-30 karakter: huruf kecil, angka, titik, atau garis bawah."), "handle"
        )
    if handle.isdigit():
        raise AccountError(_l("Nama pengguna tidak boleh hanya angka."), "handle")
    stmt = select(User.id).where(User.handle == handle)
    if exclude_user_id:
        stmt = stmt.where(User.id != exclude_user_id)
    if db.session.scalar(stmt):
        raise AccountError(_l("Nama pengguna ini sudah dipakai akun lain."), "handle")
    return handle


def users_by_mention(handles: Iterable[str], nips: Iterable[str]) -> list[User]:
    """Active accounts named by handle (any case) or NIP, in one query."""
    handles, nips = {h.lower() for h in handles}, set(nips)
    if not handles and not nips:
        return []
    stmt = select(User).where(
        or_(User.handle.in_(handles), User.nip.in_(nips)), User.active.is_(True), User.is_verified.is_(True)
    )
    return list(db.session.scalars(stmt))


def suggest_by_handle(prefix: str, limit: int = 8) -> list[User]:
    """Active accounts whose handle, or a word of whose name, starts with ``prefix`` (mention autocomplete)."""
    prefix = (prefix or "").strip().removeprefix("@").lower()
    if not prefix or not re.fullmatch(r"[\w.]{1,30}", prefix):
        return []
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    name = func.lower(User.name)
    stmt = (
        select(User)
        .where(
            or_(
                User.handle.like(f"{escaped}%", escape="\\"),
                name.like(f"{escaped}%", escape="\\"),
                name.like(f"% {escaped}%", escape="\\"),
            ),
            User.active.is_(True),
            User.is_verified.is_(True),
        )
        .order_by(User.handle)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


# ---------------------------------------------------------------- registration and login


def new_session_token() -> str:
    return secrets.token_hex(16)


def _build_user(data: Registration, role: Role, verified: bool) -> User:
    status = _status(data.employment_status)
    name = check_name(data.name)
    nip = _check_nip(data.nip, status)
    email = check_email(data.email)
    unit_id = _check_unit(data.unit_id)
    contract_start, contract_end = check_contract(status, data.contract_start, data.contract_end)
    problem = password_problem(data.password, _personal_words(nip, email, name))
    if problem:
        raise AccountError(problem, "password")
    return User(
        nip=nip,
        name=name,
        email=email,
        unit_id=unit_id,
        position=(data.position or "").strip()[:200],
        employment_status=status,
        contract_start=contract_start,
        contract_end=contract_end,
        role=role,
        password_hash=generate_password_hash(data.password),
        session_token=new_session_token(),
        is_verified=verified,
        verified_at=utcnow() if verified else None,
    )


def _save_new_user(user: User, actor: User | None = None, audited: bool = False) -> User:
    try:
        db.session.add(user)
        db.session.flush()
        if audited:
            audit.record(actor, "user.create", user, role=user.role.value)
        db.session.commit()
    except IntegrityError:  # a concurrent registration took the NIP or email between check and insert
        db.session.rollback()
        raise AccountError(_l("NIP atau email ini baru saja didaftarkan. Coba masuk."), "nip") from None
    return user


def register(data: Registration) -> User:
    """Self-registration. The account waits for an admin unless ACCOUNTS_AUTO_VERIFY is on."""
    user = _build_user(data, Role.MEMBER, verified=current_app.config["ACCOUNTS_AUTO_VERIFY"])
    return _save_new_user(user)


def create_user(actor: User | None, data: Registration, role: Role = Role.MEMBER) -> User:
    """Create a verified account on someone's behalf (admin UI, CLI). actor None = command line."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    return _save_new_user(_build_user(data, role, verified=True), actor, audited=True)


def find_by_login(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return db.session.scalar(select(User).where(User.email == normalize_email(identifier)))
    nip = normalize_nip(identifier)
    return db.session.scalar(select(User).where(User.nip == nip)) if nip else None


def authenticate(identifier: str, password: str) -> User:
    """Return the user for valid credentials. One message for unknown user and wrong password."""
    user = find_by_login(identifier)
    stored_hash = user.password_hash if user else _DUMMY_HASH
    db.session.commit()  # end the lookup's transaction: no lock is held while the (slow on purpose) hash is checked
    valid = check_password_hash(stored_hash, password or "")
    if not user or not valid:
        raise AccountError(_l("NIP/email atau kata sandi salah."))
    if not user.active:
        raise AccountError(_l("Akun ini dinonaktifkan. Hubungi admin BKPSDM."))
    if not user.is_verified:
        raise AccountError(
            _l("Akun Anda belum diverifikasi oleh admin BKPSDM. Anda akan bisa masuk setelah diverifikasi.")
        )
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def load_user(session_id: str) -> User | None:
    """Flask-Login loader: ``"<id>:<session token>"``; a changed password invalidates old sessions."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id) if 0 < user_id <= _MAX_ROW_ID else None


def get_users(user_ids: Iterable[int]) -> list[User]:
    """Several accounts in one query (unknown ids are skipped)."""
    ids = {user_id for user_id in user_ids if 0 < user_id <= _MAX_ROW_ID}
    return list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


def get_by_nip(nip: str) -> User | None:
    return db.session.scalar(select(User).where(User.nip == normalize_nip(nip)))


# ---------------------------------------------------------------- self-service


def update_profile(
    user: User,
    *,
    name: str,
    email: str,
    unit_id: int | None,
    position: str | None,
    bio: str | None,
    current_password: str | None = "",
    handle: str | None = None,
) -> User:
    """Save the user's own profile. A new email needs the current password: the email is where reset links go,
    so changing it from a borrowed or hijacked session would otherwise hand over the account."""
    # Check everything before changing anything: a half-updated user would show in the page's header.
    name = check_name(name)
    email = check_email(email, exclude_user_id=user.id)
    unit_id = _check_unit(unit_id)
    handle = _check_handle(handle, exclude_user_id=user.id) if handle is not None else user.handle
    if email != user.email and not check_password_hash(user.password_hash, current_password or ""):
        raise AccountError(_l("Masukkan kata sandi saat ini untuk mengganti email."), "current_password")
    user.name, user.email, user.unit_id, user.handle = name, email, unit_id, handle
    user.position = (position or "").strip()[:200]
    user.bio = (bio or "").strip()[:2000]
    try:
        db.session.commit()
    except IntegrityError:  # another account took the email or handle between the check and the commit
        db.session.rollback()
        raise AccountError(_l("Email atau nama pengguna ini baru saja dipakai akun lain."), "email") from None
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not check_password_hash(user.password_hash, current_password or ""):
        raise AccountError(_l("Kata sandi saat ini salah."), "current_password")
    set_password(user, new_password)
    db.session.commit()


def set_password(user: User, new_password: str) -> None:
    problem = password_problem(new_password, _personal_words(user.nip, user.email, user.name))
    if problem:
        raise AccountError(problem, "password")
    user.password_hash = generate_password_hash(new_password)
    user.session_token = new_session_token()  # logs out other sessions and remember-me cookies


def end_sessions(user: User) -> None:
    """Rotate the user's session token: every session cookie and remember-me cookie issued so far stops working
    (logout, "keluar dari semua perangkat"). A short write transaction of its own."""
    user_id = user.id
    write_transaction(db.session())
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_token=new_session_token())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def set_preferred_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
        db.session.commit()


# ---------------------------------------------------------------- password reset


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(identifier: str) -> tuple[User, str] | None:
    """Create a single-use token for an active account; return (user, token), or None when no such account.

    The caller must answer the same way in both cases, so the form reveals nothing about who is registered; so
    that the time does not tell either, an unknown account costs the same work: a token is made and hashed, and
    the same two statements run in a write transaction (matching no account) before the commit.
    """
    user = find_by_login(identifier)
    user_id = user.id if user is not None and user.active else 0  # no account has id 0: an unknown one
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(hours=current_app.config["PASSWORD_RESET_HOURS"])
    write_transaction(db.session())
    _retire_reset_links(PasswordResetToken.user_id == user_id)  # only the newest link works
    db.session.execute(
        insert(PasswordResetToken).from_select(
            ["user_id", "token_hash", "created_at", "expires_at"],
            select(
                User.id,
                literal(_hash_token(token)),
                literal(utcnow(), UTCDateTime()),
                literal(expires_at, UTCDateTime()),
            ).where(User.id == user_id, User.active.is_(True)),
        )
    )
    db.session.commit()
    found = db.session.get(User, user_id)  # reloads the expired account; for id 0 the same query finds nothing
    return (found, token) if user_id and found is not None else None


def reset_token_user(token: str) -> User | None:
    record = _valid_reset_token(token)
    return record.user if record else None


def _valid_reset_token(token: str) -> PasswordResetToken | None:
    record = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _hash_token(token or ""))
    )
    if record is None or record.used_at is not None or record.expires_at < utcnow() or not record.user.active:
        return None
    return record


def _retire_reset_links(*conditions: Any) -> int:
    """Mark the unused links matching ``conditions`` as used; return how many there were."""
    result = db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.used_at.is_(None), *conditions)
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount  # an UPDATE's result is a cursor result


def reset_password(token: str, new_password: str) -> User:
    invalid = AccountError(_l("Tautan atur ulang kata sandi tidak valid, sudah dipakai, atau kedaluwarsa."))
    record = _valid_reset_token(token)
    if record is None:
        raise invalid
    user = record.user
    set_password(user, new_password)
    # Claimed with a conditional UPDATE: of two simultaneous submissions of one link only the first succeeds.
    if not _retire_reset_links(PasswordResetToken.id == record.id):
        db.session.rollback()
        raise invalid
    _retire_reset_links(PasswordResetToken.user_id == user.id)  # every outstanding link dies with the first use
    db.session.commit()
    return user


# ---------------------------------------------------------------- administration


@dataclass
class UserFilter:
    query: str = ""
    unit_id: int | None = None
    role: str | None = None
    state: str | None = None  # "pending", "active", "inactive"


def list_users(actor: User, filters: UserFilter, page: int, per_page: int = 25) -> Page[User]:
    require(actor, Permission.MANAGE_USERS)
    stmt = select(User).order_by(User.is_verified, User.created_at.desc(), User.id.desc())
    if filters.query:
        term = f"%{filters.query.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(term), User.nip.like(term), User.email.like(term)))
    if filters.unit_id:
        stmt = stmt.where(User.unit_id == filters.unit_id)
    if filters.role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(filters.role))
    if filters.state == "pending":
        stmt = stmt.where(User.is_verified.is_(False), User.active.is_(True))
    elif filters.state == "active":
        stmt = stmt.where(User.is_verified.is_(True), User.active.is_(True))
    elif filters.state == "inactive":
        stmt = stmt.where(User.active.is_(False))
    return paginate(stmt, page, per_page)


def count_pending(actor: User) -> int:
    require(actor, Permission.MANAGE_USERS)
    return (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.is_verified.is_(False), User.active.is_(True))
        )
        or 0
    )


def verify(actor: User, user: User) -> None:
    require(actor, Permission.MANAGE_USERS)
    if user.is_verified:
        return
    user.is_verified = True
    user.verified_at = utcnow()
    audit.record(actor, "user.verify", user, nip=user.nip)
    db.session.commit()


def change_role(actor: User, user: User, role: Role | str) -> None:
    require(actor, Permission.MANAGE_USERS)
    role = parse_role(role)
    if user.id == actor.id and role != Role.ADMIN:
        raise AccountError(_l("Anda tidak dapat menurunkan peran akun Anda sendiri."), "role")
    if user.role == role:
        return
    previous = user.role
    user.role = role
    audit.record(actor, "user.role", user, old=previous.value, new=role.value)
    db.session.commit()


def set_contract(actor: User, user: User, start: date | None, end: date | None) -> bool:
    """Set a PPPK's employment contract dates (admin); audited. Returns whether anything changed."""
    require(actor, Permission.MANAGE_USERS)
    start, end = check_contract(user.employment_status, start, end)
    if (start, end) == (user.contract_start, user.contract_end):
        return False
    audit.record(
        actor,
        "user.contract",
        user,
        old=[str(value or "") for value in (user.contract_start, user.contract_end)],
        new=[str(value or "") for value in (start, end)],
    )
    user.contract_start, user.contract_end = start, end
    db.session.commit()
    return True


def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate (cannot log in, content stays) or reactivate an account."""
    require(actor, Permission.MANAGE_USERS)
    if user.id == actor.id and not active:
        raise AccountError(_l("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if user.active == active:
        return
    user.active = active
    user.deactivated_at = None if active else utcnow()
    if not active:
        user.session_token = new_session_token()  # ends their open sessions now
    audit.record(actor, "user.activate" if active else "user.deactivate", user, nip=user.nip)
    db.session.commit()


def count_by_state(actor: User) -> dict[str, int]:
    """Accounts per state (pending, active, inactive) in one query, for the admin dashboard."""
    require(actor, Permission.MANAGE_USERS)
    pending = User.is_verified.is_(False) & User.active.is_(True)
    active = User.is_verified.is_(True) & User.active.is_(True)
    row = db.session.execute(
        select(
            func.count().filter(pending),
            func.count().filter(active),
            func.count().filter(User.active.is_(False)),
        ).select_from(User)
    ).one()
    return {"pending": row[0], "active": row[1], "inactive": row[2]}


def member_counts_by_unit(actor: User) -> dict[int, int]:
    """Unit id -> number of accounts in it, in one grouped query (the unit list shows these)."""
    require(actor, Permission.MANAGE_UNITS)
    stmt = select(User.unit_id, func.count(User.id)).where(User.unit_id.is_not(None)).group_by(User.unit_id)
    return cast("dict[int, int]", dict(db.session.execute(stmt).all()))  # the query excludes a None unit


def count_active(unit_ids: Iterable[int] | None = None) -> int:
    """Active, verified accounts (of these units, when given): the audience of surveys to all ASN or to units."""
    stmt = select(func.count(User.id)).where(User.active.is_(True), User.is_verified.is_(True))
    if unit_ids is not None:
        stmt = stmt.where(User.unit_id.in_(list(unit_ids)))
    return db.session.scalar(stmt) or 0


def parse_role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise AccountError(_l("Peran tidak dikenal."), "role") from None
