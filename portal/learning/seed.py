"""The forms of competency development as reference rows (Peraturan LAN 10/2018; codes from BKN SE 3/2022).

Upserts by code: names and categories follow this list, ``is_active`` stays the admin's decision, and a
re-run never duplicates a row. A type without a JP rule gets its default rule (:mod:`portal.learning.services.rules`);
rules an admin edited are left alone.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from portal.extensions import db
from portal.learning.models import DevelopmentCategory, DevelopmentType, LeadershipLevel
from portal.learning.services.rules import ensure_default_rules

_KL = DevelopmentCategory.CLASSROOM
_NKL = DevelopmentCategory.NON_CLASSROOM

DEVELOPMENT_TYPES: tuple[tuple[str, str, DevelopmentCategory], ...] = (
    ("KL01", "Pelatihan struktural kepemimpinan", _KL),
    ("KL02", "Pelatihan manajerial", _KL),
    ("KL03", "Pelatihan teknis", _KL),
    ("KL04", "Pelatihan fungsional", _KL),
    ("KL05", "Pelatihan sosial kultural", _KL),
    ("KL06", "Seminar/konferensi/sarasehan", _KL),
    ("KL07", "Workshop/lokakarya", _KL),
    ("KL08", "Kursus", _KL),
    ("KL09", "Penataran", _KL),
    ("KL10", "Bimbingan teknis", _KL),
    ("KL11", "Sosialisasi", _KL),
    ("KL12", "Pelatihan klasikal lainnya", _KL),
    ("NKL01", "Coaching", _NKL),
    ("NKL02", "Mentoring", _NKL),
    ("NKL03", "E-learning", _NKL),
    ("NKL04", "Pelatihan jarak jauh", _NKL),
    ("NKL05", "Detasering (secondment)", _NKL),
    ("NKL06", "Pembelajaran alam terbuka (outbound)", _NKL),
    ("NKL07", "Patok banding (benchmarking)", _NKL),
    ("NKL08", "Pertukaran PNS dengan pegawai swasta/BUMN/BUMD", _NKL),
    ("NKL09", "Belajar mandiri (self development)", _NKL),
    ("NKL10", "Komunitas belajar (community of practice)", _NKL),
    ("NKL11", "Bimbingan di tempat kerja", _NKL),
    ("NKL12", "Magang/praktik kerja", _NKL),
    ("NKL13", "Pelatihan non-klasikal lainnya", _NKL),
)


# SIASN's jenisDiklatId for the codes its reference list is known for (/work/shared/docs/asn-domain.md: 4 workshop,
# 5 pelatihan manajerial, 6 sosial kultural, 9 seminar, 10 magang). The others stay empty: BKPSDM enters them from
# SIASN's list on the settings page; a number BKPSDM entered is never overwritten.
SIASN_IDS: dict[str, int] = {"KL07": 4, "KL02": 5, "KL05": 6, "KL06": 9, "NKL12": 10}

# The levels of structural (leadership) training; SIASN's latihanStrukturalId is entered by BKPSDM.
LEADERSHIP_LEVELS: tuple[tuple[str, str], ...] = (
    ("PKN1", "Pelatihan Kepemimpinan Nasional Tingkat I"),
    ("PKN2", "Pelatihan Kepemimpinan Nasional Tingkat II"),
    ("PKA", "Pelatihan Kepemimpinan Administrator"),
    ("PKP", "Pelatihan Kepemimpinan Pengawas"),
)


def upsert_leadership_levels() -> None:
    """Create the missing leadership levels (names and order follow the list; SIASN ids stay BKPSDM's)."""
    existing = {row.code: row for row in db.session.scalars(select(LeadershipLevel))}
    for position, (code, name) in enumerate(LEADERSHIP_LEVELS, start=1):
        row = existing.get(code) or LeadershipLevel(code=code)
        row.name, row.position = name, position
        db.session.add(row)


def upsert_development_types() -> Counter[str]:
    """Create or update every seeded type and add missing default JP rules; commits.

    Returns counts of created/updated/unchanged types.
    """
    existing = {row.code: row for row in db.session.scalars(select(DevelopmentType))}
    counts: Counter[str] = Counter()
    for code, name, category in DEVELOPMENT_TYPES:
        row = existing.get(code)
        if row is None:
            db.session.add(DevelopmentType(code=code, name=name, category=category, siasn_id=SIASN_IDS.get(code)))
            counts["created"] += 1
            continue
        if row.siasn_id is None and code in SIASN_IDS:
            row.siasn_id = SIASN_IDS[code]
            counts["updated"] += 1
        elif (row.name, row.category) != (name, category):
            row.name, row.category = name, category
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    ensure_default_rules()
    upsert_leadership_levels()
    db.session.commit()
    return counts
