"""SIASN's reference numbers: ``jenisDiklatId`` per development type and ``latihanStrukturalId`` per leadership level.

SIASN's riwayat kursus/diklat takes numbers from its own reference lists, not the BKN SE 3/2022 codes the portal
keeps. The numbers are editable rows (BKPSDM enters them from the reference list of the SIASN version in use); the
seed fills only those the domain reference states (:data:`portal.learning.seed.SIASN_IDS`). The export
(:mod:`.exports`) writes them with the dates in SIASN's day-month-year form.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select

from portal.audit import services as audit
from portal.competencies.queries import list_development_types
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, require
from portal.extensions import db
from portal.learning.models import DevelopmentType, LeadershipLevel
from portal.learning.services.common import LearningError

SIASN_ID_MAX = 99999
STRUCTURAL_CODE = "KL01"  # pelatihan struktural kepemimpinan: the only type that carries a level


def siasn_date(day: date | None) -> str:
    """``dd-mm-yyyy``, the form SIASN's riwayat kursus/diklat takes (``05-03-2026``); empty for no date."""
    return day.strftime("%d-%m-%Y") if day else ""


def leadership_levels() -> list[LeadershipLevel]:
    return list(db.session.scalars(select(LeadershipLevel).order_by(LeadershipLevel.position, LeadershipLevel.id)))


def get_leadership_level(level_id: int | None) -> LeadershipLevel | None:
    return db.session.get(LeadershipLevel, level_id) if level_id else None


def is_structural(development_type: DevelopmentType | None) -> bool:
    return development_type is not None and development_type.code == STRUCTURAL_CODE


def check_level(development_type: DevelopmentType, level_id: int | None) -> LeadershipLevel | None:
    """The level a record of this type carries: only structural training has one (and an unknown one is refused)."""
    if not level_id:
        return None
    level = get_leadership_level(level_id)
    if level is None:
        raise LearningError(_l("Tingkat pelatihan kepemimpinan tidak dikenal."), "leadership_level_id")
    if not is_structural(development_type):
        raise LearningError(
            _l("Tingkat pelatihan kepemimpinan hanya untuk pelatihan struktural kepemimpinan (KL01)."),
            "leadership_level_id",
        )
    return level


def _number(raw: str | int | None, label: str) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= SIASN_ID_MAX:
        raise LearningError(
            _l("Nomor SIASN untuk %(label)s harus bilangan bulat 1 sampai %(max)d.", label=label, max=SIASN_ID_MAX)
        )
    return int(text)


def save_ids(actor: Actor, type_ids: Mapping[int, str | int | None], level_ids: Mapping[int, str | int | None]) -> int:
    """Store the SIASN numbers BKPSDM entered (empty = not mapped); all checked before any is written. Audited;
    returns how many rows changed."""
    require(actor, Permission.VERIFY_LEARNING)
    types = {t.id: t for t in list_development_types(include_inactive=True)}
    levels = {level.id: level for level in leadership_levels()}
    wanted: list[tuple[DevelopmentType | LeadershipLevel, int | None]] = []
    for rows, given in ((types, type_ids), (levels, level_ids)):
        for row_id, raw in given.items():
            row = rows.get(row_id)
            if row is None:
                raise LearningError(_l("Baris yang diubah tidak ditemukan; muat ulang halaman."))
            label = f"{row.code} {row.name}"
            wanted.append((row, _number(raw, label)))
    changed = 0
    for row, number in wanted:
        if row.siasn_id == number:
            continue
        audit.record(actor, "learning.siasn_id", row, label=f"{row.code} {row.name}", before=row.siasn_id, after=number)
        row.siasn_id = number
        changed += 1
    db.session.commit()
    return changed
