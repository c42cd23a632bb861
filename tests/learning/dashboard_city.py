"""A small city with hand-computed figures, shared by the dashboard, export and reminder tests.

Year ``Y`` (PNS target overridden to 18 by an AnnualTarget row; PPPK keep the default *ceiling* of 24 and have no
contract dates, so they count per calendar year):

=====  =======  ==========  =====================================================  ========  =======
who    unit     status      verified records ending in Y                            JP in Y   reached
=====  =======  ==========  =====================================================  ========  =======
ani    A        PNS         10 KL07 (M.05), 10 NKL03 ending 31 Dec                  20        yes
budi   A        CPNS        12 KL07 (M.03, M.05) from 30 Dec Y-1 to 2 Jan Y         12        no (6)
citra  A        PPPK        20 KL03 (M.05)                                          20        — (within 24)
dedi   A        PNS         none (10 JP ending 31 Dec Y-1 count in Y-1)             0         no (18)
eka    B        PPPK_PW     24 KL03 (a rejected 10 JP does not count)               24        — (within 24)
fajar  B        PNS         25 KL03 (M.03), 20 without a type                       45        yes
=====  =======  ==========  =====================================================  ========  =======

Not counted: an inactive account in A (30 JP), an unverified account in A, and ani's 5 JP ending 1 Jan Y+1.
Pending (waiting) JP: budi 8 (diajukan), dedi 6 (perlu revisi). Unit C has nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.accounts.models import EmploymentStatus, User
from portal.competencies.models import Competency, CompetencyCategory
from portal.extensions import db
from portal.learning.models import AnnualTarget, LearningRecord, LearningSource, LearningStatus, TargetGroup
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code
from portal.units.models import Unit


@dataclass
class City:
    year: int
    a: Unit
    b: Unit
    c: Unit
    people: dict[str, User]
    competencies: dict[str, Competency]

    def __getitem__(self, name: str) -> User:
        return self.people[name]


def add_record(
    user: User,
    jp: int,
    end: date,
    start: date | None = None,
    status: LearningStatus = LearningStatus.VERIFIED,
    type_code: str | None = None,
    competencies: list[Competency] | None = None,
    title: str = "Pelatihan",
    provider: str = "BKPSDM Kota Sawahlunto",
    certificate: str = "",
    jp_claimed: int | None = None,
) -> LearningRecord:
    dev_type = get_development_type_by_code(type_code) if type_code else None
    record = LearningRecord(
        user_id=user.id,
        title=title,
        provider=provider,
        development_type_id=dev_type.id if dev_type else None,
        start_date=start or end,
        end_date=end,
        jp=jp if status == LearningStatus.VERIFIED else 0,
        jp_claimed=jp if jp_claimed is None else jp_claimed,
        source=LearningSource.SELF_REPORTED,
        status=status,
        certificate_number=certificate,
        competencies=competencies or [],
    )
    db.session.add(record)
    db.session.commit()
    return record


def build_city(year: int, make_unit, make_user) -> City:
    upsert_development_types()
    m03 = Competency(code="M.03", category=CompetencyCategory.MANAGERIAL, name="Komunikasi")
    m05 = Competency(code="M.05", category=CompetencyCategory.MANAGERIAL, name="Pelayanan Publik")
    db.session.add_all([m03, m05, AnnualTarget(year=year, group=TargetGroup.PNS, jp=18)])
    db.session.commit()
    a, b, c = make_unit("Dinas Alpha"), make_unit("Dinas Beta"), make_unit("Dinas Gamma")
    pns, cpns, pppk, pppk_pw = (
        EmploymentStatus.PNS,
        EmploymentStatus.CPNS,
        EmploymentStatus.PPPK,
        EmploymentStatus.PPPK_PART_TIME,
    )
    people = {
        "ani": make_user(name="Ani Rahmawati", unit_id=a.id, employment_status=pns),
        "budi": make_user(name="Budi Santoso", unit_id=a.id, employment_status=cpns),
        "citra": make_user(name="Citra Lestari", unit_id=a.id, employment_status=pppk),
        "dedi": make_user(name="Dedi Kurniawan", unit_id=a.id, employment_status=pns),
        "eka": make_user(name="Eka Putri", unit_id=b.id, employment_status=pppk_pw),
        "fajar": make_user(name="Fajar Hidayat", unit_id=b.id, employment_status=pns),
        "gone": make_user(name="Gita Nonaktif", unit_id=a.id, employment_status=pns, active=False),
        "unverified": make_user(name="Hadi Baru", unit_id=a.id, employment_status=pns, is_verified=False),
    }
    add_record(people["ani"], 10, date(year, 3, 10), type_code="KL07", competencies=[m05], title="Lokakarya SPBE")
    add_record(people["ani"], 10, date(year, 12, 31), date(year, 12, 1), type_code="NKL03", title="E-learning ASN")
    add_record(people["ani"], 5, date(year + 1, 1, 1), type_code="KL06", title="Seminar tahun baru")
    add_record(people["budi"], 12, date(year, 1, 2), date(year - 1, 12, 30), type_code="KL07", competencies=[m03, m05])
    add_record(people["budi"], 8, date(year, 6, 1), status=LearningStatus.SUBMITTED, type_code="NKL03")
    add_record(people["citra"], 20, date(year, 5, 20), type_code="KL03", competencies=[m05])
    add_record(people["dedi"], 10, date(year - 1, 12, 31), type_code="KL03")
    add_record(people["dedi"], 6, date(year, 7, 7), status=LearningStatus.NEEDS_REVISION, type_code="NKL01")
    add_record(people["eka"], 24, date(year, 8, 8), type_code="KL03")
    add_record(people["eka"], 10, date(year, 9, 9), status=LearningStatus.REJECTED, type_code="KL03")
    add_record(people["fajar"], 25, date(year, 4, 4), type_code="KL03", competencies=[m03])
    add_record(people["fajar"], 20, date(year, 10, 10))
    add_record(people["gone"], 30, date(year, 2, 2), type_code="KL07")
    return City(year, a, b, c, people, {"M.03": m03, "M.05": m05})
