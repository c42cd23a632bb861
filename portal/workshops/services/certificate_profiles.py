"""How certificates look: who signs them and whose logo heads them.

A unit's profile (``CertificateProfile`` with scope ``unit-<id>``) gives the signer (name, position, NIP) and the
logo of the certificates of the workshops it organizes; the city's profile (scope ``city``) is the default where
a unit has none. A workshop may name its own signer (``Workshop.signer_*``). Admins edit profiles (units admin
page); logos are PNG or JPEG, recognised by their bytes (``core.uploads``) and opened before they are accepted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.accounts.nip import NipError, parse_nip
from portal.audit import services as audit
from portal.core import uploads
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.units.models import Unit
from portal.workshops.models import CertificateProfile, Workshop
from portal.workshops.services.common import WorkshopError

LOGO_SUBDIR = "certificate-logos"
LOGO_KINDS = ("png", "jpeg")
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000  # either side
SIGNER_NAME_MAX, SIGNER_POSITION_MAX = 120, 200
CITY_SCOPE = "city"


@dataclass(frozen=True)
class Signer:
    name: str
    position: str
    nip: str = ""  # optional: the mayor (Wali Kota) signs without one


@dataclass(frozen=True)
class SignerInput:
    name: str | None = ""
    position: str | None = ""
    nip: str | None = ""


@dataclass(frozen=True)
class CertificateLook:
    signer: Signer | None
    logo_path: Path | None  # an image file on disk, or None: no logo (never a broken image)


# ---------------------------------------------------------------- checking a signer


def _one_line(text: str | None, limit: int, field_name: str, label: object) -> str:
    text = " ".join((text or "").split())
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise WorkshopError(_l("%(label)s berisi karakter yang tidak diizinkan.", label=label), field_name)
    if len(text) > limit:
        raise WorkshopError(_l("%(label)s maksimal %(max)d karakter.", label=label, max=limit), field_name)
    return text


def check_signer(data: SignerInput, prefix: str = "") -> Signer | None:
    """The signer to store, or None when every field is empty. Name and position go together; the NIP is optional
    and, when given, must be a valid 18-digit NIP. ``prefix`` names the form fields errors belong to."""
    name = _one_line(data.name, SIGNER_NAME_MAX, f"{prefix}signer_name", _l("Nama penanda tangan"))
    position = _one_line(data.position, SIGNER_POSITION_MAX, f"{prefix}signer_position", _l("Jabatan penanda tangan"))
    raw_nip = "".join((data.nip or "").split())
    if not (name or position or raw_nip):
        return None
    if not name:
        raise WorkshopError(_l("Isi nama penanda tangan sertifikat."), f"{prefix}signer_name")
    if not position:
        raise WorkshopError(_l("Isi jabatan penanda tangan sertifikat."), f"{prefix}signer_position")
    nip = ""
    if raw_nip:
        try:
            nip = parse_nip(raw_nip).nip
        except NipError as error:
            raise WorkshopError(_l("NIP penanda tangan: %(error)s", error=str(error)), f"{prefix}signer_nip") from None
    return Signer(name, position, nip)


# ---------------------------------------------------------------- profiles


def _scope(unit: Unit | None) -> str:
    return f"unit-{unit.id}" if unit is not None else CITY_SCOPE


def profile_of(unit: Unit | None) -> CertificateProfile | None:
    """The unit's profile (None: the city's), if one was saved."""
    return db.session.scalar(select(CertificateProfile).where(CertificateProfile.scope == _scope(unit)))


def _profile_for_writing(unit: Unit | None) -> CertificateProfile:
    profile = profile_of(unit)
    if profile is None:
        profile = CertificateProfile(
            scope=_scope(unit),
            unit_id=unit.id if unit is not None else None,
            signer_name="",
            signer_position="",
            signer_nip="",
            logo_stored="",
            logo_mime="",
        )
        db.session.add(profile)
    return profile


def _audit_target(unit: Unit | None) -> tuple[object, str]:
    return (unit, unit.name) if unit is not None else (None, str(_l("Pemerintah Kota (bawaan)")))


def save_signer(actor: Actor, unit: Unit | None, data: SignerInput) -> Signer | None:
    """Set (or clear, all fields empty) who signs the unit's certificates; ``unit`` None is the city's default."""
    require(actor, Permission.MANAGE_UNITS)
    signer = check_signer(data) or Signer("", "", "")
    profile = _profile_for_writing(unit)
    old = (profile.signer_name, profile.signer_position, profile.signer_nip)
    new = (signer.name, signer.position, signer.nip)
    if old != new:
        profile.signer_name, profile.signer_position, profile.signer_nip = new
        profile.updated_at = utcnow()
        target, label = _audit_target(unit)
        audit.record(actor, "certificate.signer", target, label=label, old=list(old), new=list(new))
    db.session.commit()
    return signer if signer.name else None


def _check_image(data: bytes) -> None:
    """Open the image the way the PDF will: damaged, huge or odd images are refused here, not when a certificate
    is downloaded."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width <= LOGO_MAX_PIXELS and height <= LOGO_MAX_PIXELS:
                image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise WorkshopError(_l("Logo rusak atau tidak dapat dibaca. Unggah berkas PNG atau JPG."), "logo") from None
    if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
        raise WorkshopError(_l("Logo paling besar %(max)d x %(max)d piksel.", max=LOGO_MAX_PIXELS), "logo")


def upload_logo(actor: Actor, unit: Unit | None, file: FileStorage | None) -> CertificateProfile:
    """Store a new logo for the unit (None: the city), replacing the old one, which is deleted after the commit."""
    require(actor, Permission.MANAGE_UNITS)
    if file is None or not file.filename:
        raise WorkshopError(_l("Pilih berkas logo (PNG atau JPG)."), "logo")
    try:
        stored = uploads.save_upload(file, LOGO_KINDS, LOGO_MAX_BYTES, LOGO_SUBDIR)
    except uploads.UploadError as error:
        raise WorkshopError(str(error), "logo") from None
    try:
        path = uploads.stored_path(LOGO_SUBDIR, stored.stored_name)
        _check_image(path.read_bytes() if path else b"")
        profile = _profile_for_writing(unit)
        previous = profile.logo_stored
        profile.logo_stored, profile.logo_mime = stored.stored_name, stored.mime
        profile.updated_at = utcnow()
        target, label = _audit_target(unit)
        audit.record(actor, "certificate.logo", target, label=label, sha256=stored.sha256, size=stored.size)
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.delete_stored(LOGO_SUBDIR, stored.stored_name)
        raise
    if previous:
        uploads.delete_stored(LOGO_SUBDIR, previous)
    return profile


def remove_logo(actor: Actor, unit: Unit | None) -> None:
    require(actor, Permission.MANAGE_UNITS)
    profile = profile_of(unit)
    if profile is None or not profile.logo_stored:
        return
    previous = profile.logo_stored
    profile.logo_stored, profile.logo_mime = "", ""
    profile.updated_at = utcnow()
    target, label = _audit_target(unit)
    audit.record(actor, "certificate.logo_removed", target, label=label)
    db.session.commit()
    uploads.delete_stored(LOGO_SUBDIR, previous)


# ---------------------------------------------------------------- what a certificate shows


def _organizer_unit(workshop: Workshop) -> Unit | None:
    """The organizer unit: the workshop's provider unit, else the organizer's own unit."""
    if workshop.provider_unit is not None:
        return workshop.provider_unit
    return workshop.organizer.unit if workshop.organizer is not None else None


def _profile_signer(profile: CertificateProfile | None) -> Signer | None:
    if profile is None or not profile.signer_name:
        return None
    return Signer(profile.signer_name, profile.signer_position, profile.signer_nip)


def _logo_path(profile: CertificateProfile | None) -> Path | None:
    if profile is None or not profile.logo_stored:
        return None
    path = uploads.stored_path(LOGO_SUBDIR, profile.logo_stored)
    return path if path is not None and path.is_file() else None


def certificate_look(workshop: Workshop) -> CertificateLook:
    """The signer (the workshop's own, else its unit's, else the city's) and the logo (the unit's, else the
    city's, else none) of the workshop's certificates."""
    unit = _organizer_unit(workshop)
    unit_profile = profile_of(unit) if unit is not None else None
    city_profile = profile_of(None)
    signer = None
    if workshop.signer_name:
        signer = Signer(workshop.signer_name, workshop.signer_position, workshop.signer_nip)
    signer = signer or _profile_signer(unit_profile) or _profile_signer(city_profile)
    logo = _logo_path(unit_profile) or _logo_path(city_profile)
    return CertificateLook(signer=signer, logo_path=logo)


def logo_file(unit: Unit | None) -> tuple[str, str] | None:
    """(stored name, mime) of the unit's (None: the city's) logo, for the admin page's thumbnail."""
    profile = profile_of(unit)
    if profile is None or not profile.logo_stored:
        return None
    return profile.logo_stored, profile.logo_mime
