"""Demo positions, oversight roles, competency profiles and development plans (``load``, idempotent).

Runs after the accounts, the competency catalogue and the workshops exist.
The positions go through the real CSV import; everything else is only added where missing, so a re-run never
undoes what a tester changed. The showcase member (a teacher) needs "Pelayanan Publik" level 3 and rates
herself 2, supervises two PPPK teachers, one of whom has a plan waiting for her approval.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from typing import Any

from sqlalchemy import select

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.competencies import services as competencies
from portal.core.timezone import to_local
from portal.core.types import utcnow
from portal.demo import people
from portal.extensions import db
from portal.learning import services as learning
from portal.learning.models import (
    CompetencyAssessment,
    DevelopmentPlan,
    JobType,
    PlanItem,
    PlanStatus,
)
from portal.learning.services import oversight, plans, position_import, positions, profile
from portal.units.models import Unit, UnitHead
from portal.workshops import services as workshops

_J = JobType
# Demo job titles -> (job type, technical competencies), unit-specific ones with their unit code.
JOBS: dict[str, tuple[JobType, tuple[str, ...], str]] = {
    "Analis SDM Aparatur Ahli Madya": (_J.AHLI_MADYA, ("T.ASN.01",), ""),
    "Analis SDM Aparatur Ahli Pertama": (_J.AHLI_PERTAMA, ("T.ASN.01",), ""),
    "Analis Kepegawaian Ahli Muda": (_J.AHLI_MUDA, ("T.ASN.01",), ""),
    "Pranata Komputer Ahli Muda": (_J.AHLI_MUDA, ("T.SPBE.01", "T.SPBE.02"), ""),
    "Pranata Komputer Ahli Pertama": (_J.AHLI_PERTAMA, ("T.SPBE.01",), ""),
    "Pranata Komputer Terampil": (_J.TERAMPIL, ("T.SPBE.01",), ""),
    "Pranata Hubungan Masyarakat Ahli Pertama": (_J.AHLI_PERTAMA, ("T.SPBE.01",), ""),
    "Guru Ahli Muda": (_J.AHLI_MUDA, ("T.PDK.01",), ""),
    "Guru Ahli Pertama": (_J.AHLI_PERTAMA, ("T.PDK.01",), ""),
    "Dokter Ahli Madya": (_J.AHLI_MADYA, ("T.KES.01",), ""),
    "Dokter Ahli Pertama": (_J.AHLI_PERTAMA, ("T.KES.01",), ""),
    "Perawat Ahli Muda": (_J.AHLI_MUDA, ("T.KES.01",), ""),
    "Perawat Ahli Pertama": (_J.AHLI_PERTAMA, ("T.KES.01",), ""),
    "Perawat Terampil": (_J.TERAMPIL, ("T.KES.01",), ""),
    "Bidan Terampil": (_J.TERAMPIL, ("T.KES.01",), ""),
    "Arsiparis Ahli Muda": (_J.AHLI_MUDA, ("T.ARS.01",), ""),
    "Pustakawan Terampil": (_J.TERAMPIL, ("T.ARS.01",), ""),
    "Analis Keuangan Pusat dan Daerah Ahli Muda": (_J.AHLI_MUDA, ("T.KEU.01",), ""),
    "Analis Keuangan Pusat dan Daerah Ahli Pertama": (_J.AHLI_PERTAMA, ("T.KEU.01",), ""),
    "Analis Anggaran Ahli Pertama": (_J.AHLI_PERTAMA, ("T.KEU.01",), ""),
    "Auditor Ahli Muda": (_J.AHLI_MUDA, ("T.KEU.01",), ""),
    "Teknik Jalan dan Jembatan Ahli Muda": (_J.AHLI_MUDA, ("T.PBJ.01",), ""),
    "Pengelola Pengadaan Barang/Jasa Ahli Muda": (_J.AHLI_MUDA, ("T.PBJ.01",), ""),
    "Pengendali Dampak Lingkungan Ahli Pertama": (_J.AHLI_PERTAMA, ("T.REN.01",), ""),
    "Polisi Pamong Praja Ahli Pertama": (_J.AHLI_PERTAMA, ("T.TIB.01",), ""),
    "Pemadam Kebakaran Pemula": (_J.TERAMPIL, ("T.BEN.01",), ""),
    "Analis Kebencanaan Ahli Pertama": (_J.AHLI_PERTAMA, ("T.BEN.01",), ""),
    "Pekerja Sosial Ahli Muda": (_J.AHLI_MUDA, (), ""),
    "Analis Kebijakan Ahli Muda": (_J.AHLI_MUDA, ("T.REN.01",), ""),
    "Analis Kebijakan Ahli Pertama": (_J.AHLI_PERTAMA, ("T.IZN.01",), ""),
    "Perencana Ahli Muda": (_J.AHLI_MUDA, ("T.REN.01",), ""),
    "Statistisi Ahli Pertama": (_J.AHLI_PERTAMA, ("T.DAT.01",), ""),
    "Administrator Database Kependudukan Ahli Pertama": (_J.AHLI_PERTAMA, ("T.DAT.01",), ""),
    "Pamong Budaya Ahli Muda": (_J.AHLI_MUDA, ("T.BUD.01",), ""),
    "Pamong Budaya Ahli Pertama": (_J.AHLI_PERTAMA, ("T.BUD.01",), ""),
    "Adyatama Kepariwisataan dan Ekonomi Kreatif Ahli Pertama": (_J.AHLI_PERTAMA, ("T.PAR.01",), ""),
    "Mediator Hubungan Industrial Ahli Pertama": (_J.AHLI_PERTAMA, ("T.IZN.01",), ""),
    "Pengawas Perdagangan Ahli Pertama": (_J.AHLI_PERTAMA, ("T.IZN.01",), ""),
    "Penyuluh Pertanian Ahli Muda": (_J.AHLI_MUDA, (), ""),
    "Penyuluh Perikanan Ahli Pertama": (_J.AHLI_PERTAMA, (), ""),
    "Penggerak Swadaya Masyarakat Ahli Muda": (_J.AHLI_MUDA, ("T.REN.01",), ""),
    "Penyuluh Keluarga Berencana Ahli Muda": (_J.AHLI_MUDA, (), ""),
    "Analis Hukum Ahli Pertama": (_J.AHLI_PERTAMA, (), ""),
    "Pengadministrasi Perkantoran": (_J.PELAKSANA, ("T.ARS.01",), ""),
    "Camat Barangin": (_J.ADMINISTRATOR, ("T.TIB.01", "T.REN.01"), "KEC-BARANGIN"),
    "Kepala Dinas Pendidikan": (_J.JPT_PRATAMA, ("T.PDK.01",), "DISDIK"),
    "Direktur RSUD": (_J.JPT_PRATAMA, ("T.KES.01",), "RSUD"),
    "Kepala Dinas Komunikasi dan Informatika": (_J.JPT_PRATAMA, ("T.SPBE.01",), "DISKOMINFO"),
    "Kepala BKPSDM": (_J.JPT_PRATAMA, ("T.ASN.01",), "BKPSDM"),
    "Sekretaris Kecamatan": (_J.PENGAWAS, ("T.REN.01",), "KEC-LEMBAHSEGAR"),
}
# Managerial level by job type (stored per position; this only builds the demo's standards).
MANAGERIAL_LEVEL = {
    _J.PELAKSANA: 1,
    _J.TERAMPIL: 1,
    _J.AHLI_PERTAMA: 2,
    _J.AHLI_MUDA: 2,
    _J.PENGAWAS: 2,
    _J.AHLI_MADYA: 3,
    _J.ADMINISTRATOR: 3,
    _J.JPT_PRATAMA: 4,
}
MANAGERIAL = ("M.01", "M.02", "M.03", "M.04", "SK.01")

SHOWCASE = people.SHOWCASE_MEMBER.nip  # Desi Ratnasari, Guru Ahli Muda (DISDIK)
_HEAD = {person.unit: person.nip for person in people.HEADS}
SUPERVISORS: dict[str, tuple[str, ...]] = {  # supervisor NIP -> subordinate NIPs
    _HEAD["DISDIK"]: (SHOWCASE,),
    _HEAD["RSUD"]: ("197809122006041003",),
    _HEAD["DISKOMINFO"]: (people.MODERATOR.nip,),
    _HEAD["BKPSDM"]: (people.ORGANIZER.nip, "200003142025022001"),
    SHOWCASE: ("199107142022211004", "199402262022212002"),  # two PPPK teachers
    people.MODERATOR.nip: ("199509172021041001", "199608112022032006"),  # Diskominfo
    "197809122006041003": ("198604172009122001",),  # RSUD: the internist over a nurse
    "198403112009011007": ("199606172020122003",),  # Bappeda
    "198405052006121002": (),  # the camat heads the kecamatan
}
HEADS = {
    **_HEAD,
    "BAPPEDA": "198403112009011007",
    "KEC-BARANGIN": "198405052006121002",
}


def position_code(name: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")[:40].rstrip("-")


def standards_csv() -> bytes:
    """The demo positions as an import file (one line per required competency)."""
    lines = [",".join(positions.IMPORT_COLUMNS)]
    for name, (job_type, technical, unit_code) in JOBS.items():
        base = MANAGERIAL_LEVEL[job_type]
        levels = dict.fromkeys(MANAGERIAL, base) | {"M.05": min(base + 1, 5)}
        levels |= {code: min(base + 1, 5) for code in technical}
        code = position_code(name)
        lines += [f"{code},{name},{job_type.value},{unit_code},{c},{level}" for c, level in levels.items()]
    return ("\n".join(lines) + "\n").encode()


def _spread(nip: str, code: str) -> int:
    """A stable pseudo-random number for a person and competency, so re-runs give the same city."""
    return zlib.crc32(f"{nip}:{code}".encode())


def _users() -> dict[str, User]:
    nips = [person.nip for person in people.everyone()]
    found = (accounts.get_by_nip(nip) for nip in nips)
    return {user.nip: user for user in found if user is not None}


def _assign_positions(users: dict[str, User], counts: Counter[str]) -> None:
    for user in users.values():
        position = positions.get_by_code(position_code(user.position)) if user.position in JOBS else None
        fits = position is not None and position.unit_id in (None, user.unit_id)
        if fits and user.position_id is None:
            assert position is not None  # it fits
            user.position_id = position.id
            counts["jabatan ditetapkan"] += 1


def _assign_oversight(users: dict[str, User], counts: Counter[str]) -> None:
    for boss_nip, subordinate_nips in SUPERVISORS.items():
        boss = users.get(boss_nip)
        for nip in subordinate_nips:
            user = users.get(nip)
            if boss is not None and user is not None and user.supervisor_id is None:
                oversight.set_supervisor(user, boss)
                counts["atasan"] += 1
    for unit_code, nip in HEADS.items():
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
        head = users.get(nip)
        if unit is not None and head is not None and db.session.get(UnitHead, unit.id) is None:
            db.session.add(UnitHead(unit_id=unit.id, user_id=head.id))
            counts["kepala unit"] += 1


def _assess_everyone(users: dict[str, User], counts: Counter[str]) -> None:
    supervisor_of = {nip: boss for boss, nips in SUPERVISORS.items() for nip in nips}
    now = utcnow()
    for user in users.values():
        if not user.is_active or user.position_id is None or profile.assessments_of(user):
            continue
        boss = users.get(supervisor_of.get(user.nip, ""))
        for index, gap in enumerate(profile.gaps_for(user)):
            roll = _spread(user.nip, gap.competency.code)
            if roll % 7 == 0:
                continue  # some competencies stay "belum dinilai"
            level = max(1, min(5, gap.required - (0, 1, 1, 0, 2, -1)[roll % 6]))
            if user.nip == SHOWCASE and gap.competency.code == "M.05":
                level = 2  # the journey in the issue: Pelayanan Publik required 3, self-assessed 2
            assessment = CompetencyAssessment(
                user_id=user.id,
                competency_id=gap.competency.id,
                level=level,
                evidence="Contoh dari pekerjaan sehari-hari di unit kerja." if roll % 3 == 0 else "",
                assessed_at=now,
            )
            if boss is not None and index == 0:
                assessment.confirmed_level, assessment.confirmed_by_id, assessment.confirmed_at = level, boss.id, now
            db.session.add(assessment)
            counts["penilaian kompetensi"] += 1


def _plan(user: User | None, year: int, status: PlanStatus, decided_by: User | None, counts: Counter[str]) -> None:
    if user is None or plans.plan_for(user, year) is not None:
        return
    gaps = [gap.competency for gap in profile.gaps_for(user) if gap.has_gap][:3]
    plan = DevelopmentPlan(user_id=user.id, year=year, status=status, competencies=gaps)
    coaching = learning.get_development_type_by_code("NKL01")
    elearning = learning.get_development_type_by_code("NKL03")
    items: list[Any] = []
    upcoming = workshops.upcoming_for_competencies([c.id for c in gaps], 1, unit_id=user.unit_id) if gaps else []
    for workshop in upcoming:
        taught = {c.id for c in workshop.competencies}
        items.append(
            PlanItem(
                title=workshop.title,
                workshop_id=workshop.id,
                development_type_id=workshop.development_type_id,
                competency_id=next(c.id for c in gaps if c.id in taught),
                planned_jp=workshop.jp,
                planned_month=to_local(workshop.starts_at).month,
            )
        )
    items.append(
        PlanItem(
            title="Coaching bersama atasan langsung",
            development_type_id=coaching.id if coaching else None,
            competency_id=gaps[0].id if gaps else None,
            planned_jp=4,
            planned_month=8,
        )
    )
    items.append(
        PlanItem(
            title="E-learning pelayanan publik (LAN)",
            development_type_id=elearning.id if elearning else None,
            planned_jp=6,
            planned_month=10,
        )
    )
    for number, item in enumerate(items, start=1):
        item.position = number
    plan.items = items
    if status != PlanStatus.DRAFT:
        plan.submitted_at = utcnow()
    if decided_by is not None:
        plan.decided_by_id, plan.decided_at = decided_by.id, utcnow()
        plan.supervisor_note = "Sesuai kebutuhan unit; lanjutkan." if status == PlanStatus.APPROVED else ""
    db.session.add(plan)
    counts["rencana pengembangan"] += 1


def load(_context: Any = None) -> Counter[str]:
    """Positions and standards, supervisors and unit heads, assessments and plans for the demo city; commits."""
    counts: Counter[str] = Counter()
    if not competencies.get_by_code("M.05"):
        return counts  # no catalogue yet: nothing to build standards on
    report = position_import.import_positions(None, standards_csv())
    counts["jabatan"] = len(report.created)
    users = _users()
    _assign_positions(users, counts)
    _assign_oversight(users, counts)
    db.session.flush()
    _assess_everyone(users, counts)
    db.session.flush()
    year = learning.local_today().year
    _plan(users.get(SHOWCASE), year, PlanStatus.DRAFT, None, counts)
    _plan(users.get("199107142022211004"), year, PlanStatus.SUBMITTED, None, counts)  # waits for the showcase
    _plan(users.get("199509172021041001"), year, PlanStatus.APPROVED, users.get(people.MODERATOR.nip), counts)
    db.session.commit()
    # The demo command prints created/updated/unchanged; the other keys say what was created.
    counts["created"] = sum(counts.values())
    counts["updated"], counts["unchanged"] = len(report.updated), len(report.unchanged)
    return counts
