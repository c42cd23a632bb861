"""The OPD (organisasi perangkat daerah) of the City of Sawahlunto as reference rows.

Besides the admin's services, this is the only writer of units: ``flask demo load`` and
``flask users create-admin`` (on an empty database) upsert these rows by code. Re-running updates the
name, short name and kind of a seeded unit and never creates a duplicate; whether a unit is active stays the
admin's decision.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.extensions import db
from portal.units.models import Unit, UnitKind


@dataclass(frozen=True)
class UnitSeed:
    code: str
    name: str
    short_name: str
    kind: UnitKind


BKPSDM_CODE = "BKPSDM"
DISKOMINFO_CODE = "DISKOMINFO"

SAWAHLUNTO_UNITS: tuple[UnitSeed, ...] = (
    UnitSeed("SETDA", "Sekretariat Daerah", "Setda", UnitKind.SECRETARIAT),
    UnitSeed("SETWAN", "Sekretariat Dewan Perwakilan Rakyat Daerah", "Sekretariat DPRD", UnitKind.SECRETARIAT),
    UnitSeed("INSPEKTORAT", "Inspektorat Daerah", "Inspektorat", UnitKind.INSPECTORATE),
    UnitSeed("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda", UnitKind.AGENCY),
    UnitSeed(BKPSDM_CODE, "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", UnitKind.AGENCY),
    UnitSeed("BPKD", "Badan Pengelolaan Keuangan dan Pendapatan Daerah", "BPKD/Bapenda", UnitKind.AGENCY),
    UnitSeed("BPBD", "Badan Penanggulangan Bencana Daerah", "BPBD", UnitKind.AGENCY),
    UnitSeed("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "Kesbangpol", UnitKind.AGENCY),
    UnitSeed("DISDIK", "Dinas Pendidikan", "Disdik", UnitKind.OFFICE),
    UnitSeed("DINKES", "Dinas Kesehatan", "Dinkes", UnitKind.OFFICE),
    UnitSeed("RSUD", "Rumah Sakit Umum Daerah Sawahlunto", "RSUD", UnitKind.HOSPITAL),
    UnitSeed("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", UnitKind.OFFICE),
    UnitSeed("PERKIMLH", "Dinas Perumahan, Kawasan Permukiman dan Lingkungan Hidup", "Perkim-LH", UnitKind.OFFICE),
    UnitSeed(
        "DINSOS-P3A",
        "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak",
        "Dinas Sosial-P3A",
        UnitKind.OFFICE,
    ),
    UnitSeed("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", UnitKind.OFFICE),
    UnitSeed("DISHUB", "Dinas Perhubungan", "Dishub", UnitKind.OFFICE),
    UnitSeed(DISKOMINFO_CODE, "Dinas Komunikasi dan Informatika", "Diskominfo", UnitKind.OFFICE),
    UnitSeed(
        "DISBUD",
        "Dinas Kebudayaan, Peninggalan Bersejarah dan Permuseuman",
        "Dinas Kebudayaan",
        UnitKind.OFFICE,
    ),
    UnitSeed("DISPARPORA", "Dinas Pariwisata, Pemuda dan Olahraga", "Disparpora", UnitKind.OFFICE),
    UnitSeed(
        "DPMPTSP-NAKER",
        "Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja",
        "DPMPTSP-Naker",
        UnitKind.OFFICE,
    ),
    UnitSeed("DKP3", "Dinas Ketahanan Pangan, Pertanian dan Perikanan", "DKP3", UnitKind.OFFICE),
    UnitSeed(
        "KUKMDAG",
        "Dinas Koperasi, Usaha Kecil dan Menengah dan Perdagangan",
        "Koperasi-UKM-Perdagangan",
        UnitKind.OFFICE,
    ),
    UnitSeed("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", UnitKind.OFFICE),
    UnitSeed("DPPKB", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "Dinas PPKB", UnitKind.OFFICE),
    UnitSeed(
        "SATPOLPP-DAMKAR",
        "Satuan Polisi Pamong Praja dan Pemadam Kebakaran",
        "Satpol PP-Damkar",
        UnitKind.OTHER,
    ),
    UnitSeed("DISPUSIP", "Dinas Perpustakaan dan Kearsipan", "Perpustakaan dan Kearsipan", UnitKind.OFFICE),
    UnitSeed("MPP", "Mal Pelayanan Publik Kota Sawahlunto", "Mal Pelayanan Publik", UnitKind.SERVICE),
    UnitSeed("KEC-BARANGIN", "Kecamatan Barangin", "Kec. Barangin", UnitKind.DISTRICT),
    UnitSeed("KEC-LEMBAHSEGAR", "Kecamatan Lembah Segar", "Kec. Lembah Segar", UnitKind.DISTRICT),
    UnitSeed("KEC-SILUNGKANG", "Kecamatan Silungkang", "Kec. Silungkang", UnitKind.DISTRICT),
    UnitSeed("KEC-TALAWI", "Kecamatan Talawi", "Kec. Talawi", UnitKind.DISTRICT),
)


def _find(seed: UnitSeed) -> Unit | None:
    """By code first; by name for a unit an admin created before under another code."""
    unit = db.session.scalar(select(Unit).where(func.upper(Unit.code) == seed.code))
    if unit is None:
        unit = db.session.scalar(select(Unit).where(func.lower(Unit.name) == seed.name.lower()))
    return unit


def _upsert(seed: UnitSeed) -> str:
    unit = _find(seed)
    if unit is None:
        db.session.add(Unit(code=seed.code, name=seed.name, short_name=seed.short_name, kind=seed.kind))
        return "created"
    wanted = {"code": seed.code, "name": seed.name, "short_name": seed.short_name, "kind": seed.kind}
    changed = {key: value for key, value in wanted.items() if getattr(unit, key) != value}
    for key, value in changed.items():
        setattr(unit, key, value)
    return "updated" if changed else "unchanged"


def upsert_units(seeds: tuple[UnitSeed, ...] = SAWAHLUNTO_UNITS) -> Counter[str]:
    """Create or update the seeded units and commit; returns counts of "created", "updated", "unchanged"."""
    counts: Counter[str] = Counter()
    for seed in seeds:
        counts[_upsert(seed)] += 1
    db.session.commit()
    return counts
