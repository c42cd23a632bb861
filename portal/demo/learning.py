"""Demo learning records: what ASN reported beyond the portal's workshops, verified or still in BKPSDM's queue.

A city with a realistic spread: people in some units learn a lot (above the 20 JP target), others little; a
few records wait for verification, one was returned for revision and one rejected. The showcase member tells
the issue's story: a workshop credited from attendance, a coaching session and an e-learning course verified.
Every record goes through the learning services with a small PDF certificate as its evidence, and is verified
by the demo admin. A person who already has a self-reported record is left alone, so re-running changes nothing.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO

from fpdf import FPDF
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.demo import people
from portal.demo.context import DemoContext
from portal.extensions import db
from portal.learning import services as learning
from portal.learning.models import LearningRecord, LearningSource
from portal.learning.services import RecordInput
from portal.learning.services.duplicates import LikelyDuplicate


@dataclass(frozen=True)
class Activity:
    type_code: str
    title: str
    provider: str
    quantity: int  # days, sessions or activities, as the JP rule counts them
    jp: int
    competencies: tuple[str, ...] = ()


CATALOGUE: tuple[Activity, ...] = (
    Activity("NKL03", "E-learning Pelayanan Publik Berorientasi Hasil", "LAN RI (ASN Unggul)", 1, 3, ("M.05",)),
    Activity("NKL01", "Coaching Penyusunan SKP bersama Atasan", "Unit kerja sendiri", 1, 2, ("M.04",)),
    Activity("KL06", "Seminar Nasional Transformasi Digital Pemerintah Daerah", "Kementerian PANRB", 1, 4, ("M.07",)),
    Activity("KL07", "Lokakarya Penyusunan Standar Pelayanan", "Ombudsman RI Perwakilan Sumbar", 2, 10, ("M.05",)),
    Activity("NKL10", "Komunitas Belajar Analis Kebijakan Sumatera Barat", "Komunitas praktisi", 1, 2, ("M.08",)),
    Activity("NKL04", "Pelatihan Jarak Jauh Manajemen Risiko", "BPSDM Provinsi Sumatera Barat", 1, 4, ("M.04",)),
    Activity("KL10", "Bimbingan Teknis Pengelolaan Keuangan Daerah", "BPKP Perwakilan Sumbar", 3, 15, ("M.04",)),
    Activity("NKL07", "Patok Banding Mal Pelayanan Publik Padang Panjang", "Pemerintah Kota Padang Panjang", 1, 10),
)
# Units whose people learn a lot this year (the rest stay below target, so the dashboard has work to show).
ACTIVE_UNITS = {"DISDIK", "RSUD", "BKPSDM", "DISKOMINFO", "INSPEKTORAT", "BAPPEDA", "MPP"}
SHOWCASE_STORY = (  # the journey: 8-10 JP from a workshop, 2 JP coaching, 4 JP e-learning
    (CATALOGUE[1], 2),
    (CATALOGUE[0], 4),  # claims 4 JP for a course the rule counts as 3: the verifier recognised its curriculum
)


def _certificate(person: User, activity: Activity) -> FileStorage:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(0, 12, "SERTIFIKAT", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("Helvetica", size=11)
    for line in (person.name, activity.title, activity.provider):
        pdf.cell(0, 8, line.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT", align="C")
    return FileStorage(BytesIO(bytes(pdf.output())), filename="sertifikat.pdf", content_type="application/pdf")


def _roll(nip: str, salt: str) -> int:
    """A stable pseudo-random number per person, so every demo city looks the same."""
    return zlib.crc32(f"{nip}:{salt}".encode())


def _submit(person: User, activity: Activity, end: date, jp: int | None = None) -> LearningRecord:
    development_type = learning.get_development_type_by_code(activity.type_code)
    return learning.submit(
        person,
        RecordInput(
            development_type_id=development_type.id if development_type else None,
            title=activity.title,
            provider=activity.provider,
            start_date=end - timedelta(days=activity.quantity - 1),
            end_date=end,
            quantity=activity.quantity,
            jp_claimed=jp or activity.jp,
            competency_codes=activity.competencies,
            certificate_number=f"DEMO/{_roll(person.nip, activity.title) % 100000:05d}",
            description="Materi langsung dipakai dalam pekerjaan sehari-hari di unit kerja.",
            evidence=_certificate(person, activity),
        ),
    )


def _activities_of(person: User, year: int, today: date) -> list[tuple[Activity, date]]:
    """This year's (and last year's) activities of a person: many in active units, few elsewhere."""
    unit_code = person.unit.code if person.unit else ""
    count = 3 + _roll(person.nip, "n") % 3 if unit_code in ACTIVE_UNITS else _roll(person.nip, "n") % 3
    chosen = []
    for index in range(count):
        activity = CATALOGUE[_roll(person.nip, f"a{index}") % len(CATALOGUE)]
        day_of_year = 20 + _roll(person.nip, f"d{index}") % 300
        end = min(date(year, 1, 1) + timedelta(days=day_of_year), today - timedelta(days=3))
        chosen.append((activity, end))
    last_year = CATALOGUE[_roll(person.nip, "last") % len(CATALOGUE)]
    chosen.append((last_year, date(year - 1, 6, 1) + timedelta(days=_roll(person.nip, "ly") % 150)))
    return chosen


def _decide(admin: User, record: LearningRecord, person: User, last: bool, counts: Counter[str]) -> None:
    roll = _roll(person.nip, "decision")
    if last and roll % 4 == 0:
        counts["menunggu verifikasi"] += 1  # stays diajukan: the verification queue has work
        return
    if last and roll % 11 == 1:
        learning.return_for_revision(admin, record.id, "Sertifikat yang diunggah tidak terbaca; unggah ulang.")
        counts["perlu revisi"] += 1
        return
    if last and roll % 13 == 2:
        learning.reject(admin, record.id, "Kegiatan ini sudah tercatat dari pelatihan di portal.")
        counts["ditolak"] += 1
        return
    learning.approve(admin, record.id, record.jp_claimed)
    counts["terverifikasi"] += 1


def _has_reported(person: User) -> bool:
    return (
        db.session.scalar(
            select(LearningRecord.id)
            .where(LearningRecord.user_id == person.id, LearningRecord.source == LearningSource.SELF_REPORTED)
            .limit(1)
        )
        is not None
    )


def _showcase(admin: User, person: User, today: date, counts: Counter[str]) -> None:
    for index, (activity, jp) in enumerate(SHOWCASE_STORY):
        record = _submit(person, activity, today - timedelta(days=40 + 25 * index), jp)
        learning.approve(admin, record.id, jp, "Kurikulum e-learning ini 4 JP." if jp > activity.jp else "")
        counts["terverifikasi"] += 1


def load(_context: DemoContext) -> Mapping[str, int]:
    admin = accounts.get_by_nip(people.demo_admin().nip)
    if admin is None or learning.get_development_type_by_code("NKL03") is None:
        return Counter()
    today = learning.local_today()
    counts: Counter[str] = Counter()
    for demo_person in people.everyone():
        person = accounts.get_by_nip(demo_person.nip)
        if person is None or not person.is_active or person.id == admin.id:  # nobody verifies their own records
            continue
        if _has_reported(person):
            counts["unchanged"] += 1
            continue
        if demo_person.nip == people.SHOWCASE_MEMBER.nip:
            _showcase(admin, person, today, counts)
            continue
        activities = _activities_of(person, today.year, today)
        for index, (activity, end) in enumerate(activities):
            try:
                record = _submit(person, activity, end)
            except LikelyDuplicate:  # the same activity drawn twice, or inside a workshop attended: counted once
                continue
            _decide(admin, record, person, last=index == len(activities) - 2, counts=counts)
        counts["created"] += 1
    return counts
