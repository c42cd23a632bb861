"""Certificates: when a participant may download one, its number, its contents, and public verification."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.core import signals
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor
from portal.core.signals import Step
from portal.core.timezone import to_local
from portal.extensions import db
from portal.workshops.models import Registration, Workshop
from portal.workshops.services.certificate_profiles import Signer, certificate_look
from portal.workshops.services.common import WorkshopError, _require_manage
from portal.workshops.services.lookups import registration_of

CERTIFICATE_PATTERN = re.compile(r"^PKA-\d{4}-\d{4,}-[0-9A-F]{8}$")


def certificate_step(registration: Registration) -> Step | None:
    """What the participant still has to do before the certificate unlocks, as other features answer
    ``core.signals.certificate_pending`` (feedback: the workshop's evaluation while it takes answers)."""
    steps = signals.answers(signals.certificate_pending, registration)
    return steps[0] if steps else None


def certificate_unlocked(registration: Registration) -> bool:
    """Whether a completed participant may download the certificate: once nothing is pending (e.g. they submitted
    the workshop's evaluation form, when it has one that takes answers)."""
    return registration.is_completed and certificate_step(registration) is None


def _new_certificate_number(workshop: Workshop) -> str:
    year = to_local(workshop.ends_at).year
    return f"PKA-{year}-{workshop.id:04d}-{secrets.token_hex(4).upper()}"


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
    issued_on: date | None = None  # the place-and-date line: completion day in the city's zone
    signer: Signer | None = None
    logo_path: Path | None = None
    preview: bool = False  # the organizer's sample: watermarked, no number issued
    unit_name: str = ""  # the organizer unit, under the city's name in the heading


def _base_data(workshop: Workshop) -> dict:
    look = certificate_look(workshop)
    return {
        "workshop_title": workshop.title,
        "start_date": to_local(workshop.starts_at).date(),
        "end_date": to_local(workshop.ends_at).date(),
        "jp": workshop.jp,
        "competencies": [str(c) for c in workshop.competencies],
        "provider": workshop.provider,
        "development_type": str(workshop.development_type or ""),
        "signer": look.signer,
        "logo_path": look.logo_path,
        "unit_name": workshop.provider_unit.name if workshop.provider_unit else workshop.provider,
    }


def _certificate_data(registration: Registration) -> CertificateData:
    workshop = registration.workshop
    issued = registration.completed_at or workshop.ends_at
    return CertificateData(
        number=registration.certificate_number or "",
        name=registration.user.name,
        nip=registration.user.nip,
        issued_on=to_local(issued).date(),
        **_base_data(workshop),
    )


SAMPLE_NAME = "Nama Peserta Contoh, S.Kom., M.Si."
SAMPLE_NIP = "199001012015031001"


def certificate_preview(actor: Actor, workshop: Workshop) -> CertificateData:
    """The workshop's certificate for a sample participant, for its organizer to check the signer and logo before
    any is issued: nothing is stored and no number is issued (the number shown cannot be verified)."""
    _require_manage(actor, workshop)
    year = to_local(workshop.ends_at).year
    return CertificateData(
        number=f"PKA-{year}-{workshop.id:04d}-CONTOH",
        name=SAMPLE_NAME,
        nip=SAMPLE_NIP,
        issued_on=to_local(workshop.ends_at).date(),
        preview=True,
        **_base_data(workshop),
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
