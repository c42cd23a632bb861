"""The "workshop" record type of ``flask content import``.

{"type": "workshop", "external_id": "...", "title": "...", "body": "Markdown", "starts_at": ISO 8601,
 "ends_at": ISO 8601, "capacity": 30, "jp"?: 8, "jp_reason"?: "...", "location"?: "...",
 "competencies"?: ["M.05", ...], "created_at"?: ISO 8601}

One session from starts_at to ends_at (times without an offset are Sawahlunto time, WIB); JP from the JP rule of
KL07 (workshop: 5 JP a day) unless given; a given JP that differs is the organizer's, with ``jp_reason`` or
:data:`IMPORT_JP_REASON` as its reason. The workshop is published, owned by the admin running the import, held
by the admin's unit, typed "Workshop/lokakarya" (KL07). Re-importing an external_id updates that workshop, never
below the seats already confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from sqlalchemy import select

from portal.accounts.models import User
from portal.competencies import queries as competency_catalogue
from portal.content import fields
from portal.content.services import Outcome
from portal.core.i18n import lazy_gettext as _l
from portal.core.types import utcnow
from portal.extensions import db
from portal.workshops import services
from portal.workshops.models import Workshop, WorkshopStatus
from portal.workshops.services import SessionInput, WorkshopError, WorkshopInput
from portal.workshops.services.jp import DEFAULT_TYPE_CODE

IMPORT_JP_REASON = "JP ditetapkan dalam berkas impor."  # stored with the workshop, like a reason an organizer types


def import_workshop(record: Mapping[str, Any], actor: User) -> Outcome:
    external_id = fields.external_id(record.get("external_id"))
    development_type = competency_catalogue.get_development_type_by_code(DEFAULT_TYPE_CODE)
    data = WorkshopInput(
        title=fields.text(record.get("title"), "title"),
        description=fields.text(record.get("body"), "body"),
        development_type_id=development_type.id if development_type else None,
        competency_codes=fields.strings(record.get("competencies"), "competencies"),
        provider_unit_id=actor.unit_id,
        provider_name="" if actor.unit_id else current_app.config["SITE_NAME"],
        location=fields.text(record.get("location"), "location"),
        sessions=[
            SessionInput(
                fields.moment(record.get("starts_at"), "starts_at"), fields.moment(record.get("ends_at"), "ends_at")
            )
        ],
        capacity=fields.integer(record.get("capacity"), "capacity"),
        jp=fields.integer(record.get("jp"), "jp") if record.get("jp") is not None else None,
        jp_reason=fields.text(record.get("jp_reason"), "jp_reason") or IMPORT_JP_REASON,
    )
    workshop = db.session.scalar(select(Workshop).where(Workshop.external_id == external_id))
    values = services.validate_input(data, workshop)
    if workshop is None:
        created_at = fields.moment(record.get("created_at"), "created_at") or utcnow()
        workshop = Workshop(
            external_id=external_id,
            organizer_id=actor.id,
            status=WorkshopStatus.PUBLISHED,
            calendar_sequence=0,
            created_at=created_at,
            published_at=created_at,
        )
        db.session.add(workshop)
        services.apply_values(workshop, values)
        db.session.flush()
        return Outcome.CREATED
    before = _fingerprint(workshop)
    confirmed = services.confirmed_count(workshop)
    if values.capacity < confirmed:
        raise WorkshopError(
            _l("Kapasitas tidak boleh kurang dari jumlah peserta terkonfirmasi (%(count)d).", count=confirmed)
        )
    services.apply_values(workshop, values)
    if _fingerprint(workshop) == before:
        return Outcome.UNCHANGED
    db.session.flush()
    return Outcome.UPDATED


def _fingerprint(workshop: Workshop) -> tuple:
    return (
        workshop.title,
        workshop.description_md,
        workshop.location,
        workshop.capacity,
        workshop.jp,
        workshop.jp_basis,
        workshop.jp_reason,
        tuple((s.starts_at, s.ends_at) for s in workshop.sessions),
        tuple(sorted(c.code for c in workshop.competencies)),
    )
