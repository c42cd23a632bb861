"""Demo workshops around today's date: two past ones with attendance, JP credit and certificates, upcoming ones
(the flagship "Pelatihan Pelayanan Prima di Mal Pelayanan Publik", a full one with a waiting list, one that
needs the organizer's approval) and a draft. The city's certificate signer is the head of BKPSDM (set by the admin
through ``certificate_profiles.save_signer``, :func:`load_city_signer`), so every demo certificate has a signer block.

Everything goes through the workshop services, as the organizer would do it. A workshop already loaded (by
its external_id) is left as it is, so re-running changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.demo import people
from portal.demo.context import DemoContext
from portal.extensions import db
from portal.learning import services as learning
from portal.learning.seed import upsert_development_types
from portal.units.models import Unit
from portal.workshops import services
from portal.workshops.models import ApprovalMode, Workshop
from portal.workshops.services import SessionInput, SignerInput, WorkshopInput

MPP_STAFF = "199212302019031005"
CITY_SIGNER = next(p for p in people.HEADS if p.unit == "BKPSDM")  # Hj. Elfia Murni, S.H., M.M.
CITY_SIGNER_POSITION = "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kota Sawahlunto"


@dataclass(frozen=True)
class DemoWorkshop:
    key: str
    title: str
    type_code: str
    competencies: tuple[str, ...]
    description: str
    days_from_today: int
    session_hours: tuple[tuple[int, int], ...]  # (start hour, end hour) WIB, one per consecutive day
    capacity: int
    location: str
    provider_unit: str = "BKPSDM"
    trainers: str = ""  # external trainers' names, separated by semicolons
    participants: tuple[str, ...] = ()  # NIPs, in sign-up order
    attended: tuple[str, ...] = ()  # NIPs present at every session (past workshops)
    status: str = "published"
    approval: ApprovalMode = ApprovalMode.AUTOMATIC


_M = people.MEMBERS
_ACTIVE_MEMBERS = tuple(p.nip for p in _M if p.state == people.State.ACTIVE)

WORKSHOPS: tuple[DemoWorkshop, ...] = (
    DemoWorkshop(
        "demo-ws-prima",
        "Pelatihan Pelayanan Prima di Mal Pelayanan Publik",
        "KL03",
        ("M.05", "M.03"),
        "Pelatihan dua sesi untuk petugas layanan: **standar pelayanan**, sapaan, menangani keluhan, dan "
        "simulasi loket MPP.\n\n- Sesi 1: standar dan etika pelayanan\n- Sesi 2: simulasi dan umpan balik",
        12,
        ((8, 11), (8, 11)),
        30,
        "Aula Mal Pelayanan Publik Sawahlunto",
        participants=(people.SHOWCASE_MEMBER.nip, MPP_STAFF, *_ACTIVE_MEMBERS[5:17]),
    ),
    DemoWorkshop(
        "demo-ws-spbe",
        "Bimtek Keamanan Informasi untuk Operator Aplikasi OPD",
        "KL10",
        ("M.07",),
        "Bimbingan teknis singkat: kata sandi, phishing, dan pencadangan data layanan.",
        6,
        ((9, 12),),
        5,
        "Ruang Rapat Diskominfo",
        provider_unit="DISKOMINFO",
        participants=(*_ACTIVE_MEMBERS[10:15], people.SHOWCASE_MEMBER.nip, *_ACTIVE_MEMBERS[15:18]),
    ),
    DemoWorkshop(
        "demo-ws-coaching",
        "Coaching Penyusunan Rencana Pengembangan Kompetensi",
        "NKL01",
        ("M.06",),
        "Coaching kelompok kecil untuk menyusun rencana pengembangan kompetensi pegawai. Pendaftaran disetujui "
        "penyelenggara.",
        20,
        ((13, 15),),
        10,
        "Ruang Rapat BKPSDM",
        participants=_ACTIVE_MEMBERS[18:21],
        approval=ApprovalMode.ORGANIZER,
    ),
    DemoWorkshop(
        "demo-ws-prima-1",
        "Pelatihan Pelayanan Prima Angkatan I",
        "KL03",
        ("M.05", "M.03"),
        "Angkatan pertama pelatihan pelayanan prima: ceramah standar pelayanan dan etika loket.",
        -200,
        ((8, 12), (8, 12)),
        25,
        "Aula BKPSDM",
        trainers="Dra. Hj. Rosna Dewi, M.Si.",
        participants=_ACTIVE_MEMBERS[0:18],
        attended=_ACTIVE_MEMBERS[0:16],
        status="completed",
    ),
    DemoWorkshop(
        "demo-ws-prima-2",
        "Pelatihan Pelayanan Prima Angkatan II",
        "KL03",
        ("M.05", "M.03"),
        "Angkatan kedua, dengan metode baru: simulasi loket, bermain peran menangani keluhan, dan umpan balik "
        "langsung dari warga.",
        -21,
        ((8, 12), (8, 12)),
        25,
        "Aula Mal Pelayanan Publik Sawahlunto",
        trainers="Dra. Hj. Rosna Dewi, M.Si.; Andri Yusman, S.Sos.",
        participants=_ACTIVE_MEMBERS[16:38],
        attended=_ACTIVE_MEMBERS[16:36],
        status="completed",
    ),
    DemoWorkshop(
        "demo-ws-arsip",
        "Workshop Pengelolaan Arsip Dinamis",
        "KL07",
        ("M.04",),
        "Lokakarya pemberkasan arsip aktif dan penyusutan arsip inaktif.",
        -30,
        ((8, 12), (8, 12)),
        25,
        "Perpustakaan dan Kearsipan Kota Sawahlunto",
        provider_unit="DISPUSIP",
        participants=(people.SHOWCASE_MEMBER.nip, *_ACTIVE_MEMBERS[1:9]),
        attended=(people.SHOWCASE_MEMBER.nip, *_ACTIVE_MEMBERS[1:7]),
        status="completed",
    ),
    DemoWorkshop(
        "demo-ws-integritas",
        "Seminar Integritas dan Budaya Antikorupsi",
        "KL06",
        ("M.01",),
        "Seminar setengah hari bersama Inspektorat tentang gratifikasi dan benturan kepentingan.",
        -9,
        ((8, 11),),
        40,
        "Gedung Pusat Kebudayaan Sawahlunto",
        provider_unit="INSPEKTORAT",
        participants=(*_ACTIVE_MEMBERS[3:12], MPP_STAFF),
        attended=(*_ACTIVE_MEMBERS[3:10], MPP_STAFF),
    ),
    DemoWorkshop(
        "demo-ws-draf",
        "Pelatihan Penyusunan Analisis Beban Kerja",
        "KL03",
        ("M.04",),
        "Draf: jadwal dan narasumber masih disusun.",
        40,
        ((8, 12),),
        25,
        "Aula BKPSDM",
        status="draft",
    ),
)


def _sessions(item: DemoWorkshop) -> list[SessionInput]:
    first_day = date.today() + timedelta(days=item.days_from_today)
    return [
        SessionInput(
            services.local_moment(first_day + timedelta(days=n), time(start)),
            services.local_moment(first_day + timedelta(days=n), time(end)),
        )
        for n, (start, end) in enumerate(item.session_hours)
    ]


def _unit_id(code: str) -> int | None:
    return db.session.scalar(select(Unit.id).where(Unit.code == code))


def _active(nips: tuple[str, ...]) -> list[User]:
    found = (accounts.get_by_nip(nip) for nip in dict.fromkeys(nips))
    return [user for user in found if user is not None and user.is_active]


def _load_one(item: DemoWorkshop, organizer: User) -> str:
    if db.session.scalar(select(Workshop.id).where(Workshop.external_id == item.key)):
        return "unchanged"
    development_type = learning.get_development_type_by_code(item.type_code)
    workshop = services.create(
        organizer,
        WorkshopInput(
            title=item.title,
            description=item.description,
            development_type_id=development_type.id if development_type else None,
            competency_codes=item.competencies,
            provider_unit_id=_unit_id(item.provider_unit),
            location=item.location,
            trainer_names=item.trainers,
            sessions=_sessions(item),
            capacity=item.capacity,
            approval_mode=item.approval,
        ),
    )
    workshop.external_id = item.key
    db.session.commit()
    if item.status == "draft":
        return "created"
    services.publish(organizer, workshop)
    past = workshop.starts_at < datetime.now(UTC)
    for user in _active(item.participants):
        if past:  # sign-up closed long ago: the organizer's list was entered by hand
            services.add_participant(organizer, workshop, user.nip)
        else:
            services.register(user, workshop.id)
    _record_attendance(workshop, organizer, item)
    if item.status == "completed":
        services.complete_workshop(organizer, _reloaded(workshop.id))
    return "created"


def _reloaded(workshop_id: int) -> Workshop:
    """A workshop the loader just created, read again through the services."""
    workshop = services.get(workshop_id)
    assert workshop is not None
    return workshop


def _record_attendance(workshop: Workshop, organizer: User, item: DemoWorkshop) -> None:
    present = {user.id for user in _active(item.attended)}
    workshop = _reloaded(workshop.id)
    for row in services.participants(organizer, workshop):
        if row.registration.user_id in present:
            for session in list(workshop.sessions):
                # Ticked as the organizer would have, at the end of each session: the last one completes it.
                services.set_attendance(organizer, workshop, row.registration.id, session.id, True, now=session.ends_at)


def load_development_types(_context: DemoContext) -> Mapping[str, int]:
    return upsert_development_types()


def load_city_signer(_context: DemoContext) -> Mapping[str, int]:
    """The city's default certificate signer, set once by the admin; a signer saved since is left as it is."""
    current = services.profile_of(None)
    admin = accounts.get_by_nip(people.demo_admin().nip)
    if current is not None and current.signer_name:
        return Counter(unchanged=1)
    if admin is None or not admin.is_active:
        return Counter()
    signer = SignerInput(name=CITY_SIGNER.name, position=CITY_SIGNER_POSITION, nip=CITY_SIGNER.nip)
    services.save_signer(admin, None, signer)
    return Counter(created=1)


def load(_context: DemoContext) -> Mapping[str, int]:
    organizer = accounts.get_by_nip(people.ORGANIZER.nip)
    if organizer is None or not organizer.is_active:
        return Counter()
    return Counter(_load_one(item, organizer) for item in WORKSHOPS)
