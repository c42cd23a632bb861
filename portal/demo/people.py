"""Demo accounts: the admin, an organizer, a moderator and members across Sawahlunto's units.

Every account uses the demo password (``DEMO_ADMIN_PASSWORD``) so testers can log in as any role. NIPs follow
the real structure (birth date, TMT CPNS or PPPK appointment year, gender digit matching the name, sequence).
Three members are still waiting for verification and one is deactivated, so the admin screens have work to show.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass

from flask import current_app

from portal.accounts import services as accounts
from portal.accounts.importing import (
    AccountRow,
    Outcome,
    UnitDirectory,
    check_row,
    replace_password_hash,
    upsert_account,
)
from portal.accounts.models import EmploymentStatus, User
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Role
from portal.demo.context import DemoContext
from portal.extensions import db

EMAIL_DOMAIN = "sawahluntokota.go.id"

PNS = EmploymentStatus.PNS
CPNS = EmploymentStatus.CPNS
PPPK = EmploymentStatus.PPPK
PPPK_PW = EmploymentStatus.PPPK_PART_TIME


class State(enum.Enum):
    ACTIVE = "active"
    PENDING = "pending"  # registered, waiting for an admin to verify
    INACTIVE = "inactive"  # deactivated by an admin


@dataclass(frozen=True)
class DemoPerson:
    nip: str
    name: str
    email_user: str
    unit: str  # unit code from portal.units.seed
    position: str
    status: EmploymentStatus = PNS
    role: Role = Role.MEMBER
    state: State = State.ACTIVE

    @property
    def email(self) -> str:
        return f"{self.email_user}@{EMAIL_DOMAIN}"

    def as_row(self) -> AccountRow:
        return AccountRow(
            nip=self.nip,
            name=self.name,
            email=self.email,
            unit=self.unit,
            position=self.position,
            status=self.status.value,
            role=self.role.value,
        )


def demo_admin() -> DemoPerson:
    # The default DEMO_ADMIN_NIP has gender digit 1, hence a man's name.
    return DemoPerson(
        current_app.config["DEMO_ADMIN_NIP"],
        "Rizal Efendi, S.Psi., M.M.",
        "rizal.efendi",
        "BKPSDM",
        "Analis SDM Aparatur Ahli Madya",
        role=Role.ADMIN,
    )


ORGANIZER = DemoPerson(
    "198707222011012004",
    "Yulia Rahmi, S.E., M.Si.",
    "yulia.rahmi",
    "BKPSDM",
    "Analis Kepegawaian Ahli Muda",
    role=Role.ORGANIZER,
)
MODERATOR = DemoPerson(
    "199103052015031002",
    "Fajri Ananda, S.Kom.",
    "fajri.ananda",
    "DISKOMINFO",
    "Pranata Komputer Ahli Muda",
    role=Role.MODERATOR,
)
SHOWCASE_MEMBER = DemoPerson(
    "198512102010012007", "Desi Ratnasari, S.Pd.", "desi.ratnasari", "DISDIK", "Guru Ahli Muda"
)

_P = DemoPerson
# Heads of four units: they see their unit's learning records and dashboard, and supervise some members.
HEADS: tuple[DemoPerson, ...] = (
    _P("196905121994031006", "Drs. Hasnul Hadi, M.Pd.", "hasnul.hadi", "DISDIK", "Kepala Dinas Pendidikan"),
    _P("197103081998032004", "dr. Yurnita Sari, M.Kes.", "yurnita.sari", "RSUD", "Direktur RSUD"),
    _P(
        "197402151999031003",
        "Ir. Syahrial, M.T.",
        "syahrial",
        "DISKOMINFO",
        "Kepala Dinas Komunikasi dan Informatika",
    ),
    _P("197508202000122001", "Hj. Elfia Murni, S.H., M.M.", "elfia.murni", "BKPSDM", "Kepala BKPSDM"),
)
MEMBERS: tuple[DemoPerson, ...] = (
    SHOWCASE_MEMBER,
    _P("197809122006041003", "dr. Nofriadi Putra, Sp.PD.", "nofriadi.putra", "RSUD", "Dokter Ahli Madya"),
    _P("198604172009122001", "Ns. Sri Wahyuni, S.Kep.", "sri.wahyuni", "RSUD", "Perawat Ahli Muda"),
    _P(
        "199708192024212001",
        "Widya Astuti, A.Md.Kep.",
        "widya.astuti",
        "RSUD",
        "Perawat Terampil",
        PPPK,
        state=State.PENDING,
    ),
    _P("199006212014022003", "Rahmawati, A.Md.Keb.", "rahmawati", "DINKES", "Bidan Terampil"),
    _P("199302082020031005", "dr. Andika Pratama", "andika.pratama", "DINKES", "Dokter Ahli Pertama"),
    _P("199402022019031008", "Ahmad Fauzi, S.Kep., Ners", "ahmad.fauzi", "DINKES", "Perawat Ahli Pertama"),
    _P("199107142022211004", "Hendri Saputra, S.Pd.", "hendri.saputra", "DISDIK", "Guru Ahli Pertama", PPPK),
    _P("199402262022212002", "Mira Susanti, S.Pd.", "mira.susanti", "DISDIK", "Guru Ahli Pertama", PPPK),
    _P("197911032005011002", "Zulkifli, S.Sos.", "zulkifli", "DISPUSIP", "Arsiparis Ahli Muda"),
    _P("198808152012122002", "Nurhayati, A.Md.", "nurhayati", "DISPUSIP", "Pustakawan Terampil"),
    _P("199509172021041001", "Ikhsan Maulana, S.Kom.", "ikhsan.maulana", "DISKOMINFO", "Pranata Komputer Ahli Pertama"),
    _P(
        "199608112022032006",
        "Putri Andalas, S.I.Kom.",
        "putri.andalas",
        "DISKOMINFO",
        "Pranata Hubungan Masyarakat Ahli Pertama",
    ),
    _P("198101262006041004", "Afrizal, S.E.", "afrizal", "BPKD", "Analis Keuangan Pusat dan Daerah Ahli Muda"),
    _P("198403302008012003", "Yenni Marlina, S.E., Ak.", "yenni.marlina", "BPKD", "Analis Anggaran Ahli Pertama"),
    _P("198206192008011005", "Rudi Hartono, S.T.", "rudi.hartono", "PUPR", "Teknik Jalan dan Jembatan Ahli Muda"),
    _P(
        "199011052015032004",
        "Fitri Handayani, S.T.",
        "fitri.handayani",
        "PERKIMLH",
        "Pengendali Dampak Lingkungan Ahli Pertama",
    ),
    _P(
        "198907232014021002",
        "Deni Kurniawan, S.H.",
        "deni.kurniawan",
        "SATPOLPP-DAMKAR",
        "Polisi Pamong Praja Ahli Pertama",
    ),
    _P("198512042023241008", "Syafril", "syafril", "SATPOLPP-DAMKAR", "Pemadam Kebakaran Pemula", PPPK),
    _P("198205142009022001", "Elvi Susanti, S.Sos.", "elvi.susanti", "DINSOS-P3A", "Pekerja Sosial Ahli Muda"),
    _P("199204012019031007", "Riko Saputra, S.T.", "riko.saputra", "BPBD", "Analis Kebencanaan Ahli Pertama"),
    _P("198710202011011003", "Wahyu Hidayat, S.IP.", "wahyu.hidayat", "KESBANGPOL", "Analis Kebijakan Ahli Muda"),
    _P(
        "199001252015032001",
        "Lili Suryani, S.Kom.",
        "lili.suryani",
        "DISDUKCAPIL",
        "Administrator Database Kependudukan Ahli Pertama",
    ),
    _P(
        "198311172009011004",
        "Jonni Afrizal",
        "jonni.afrizal",
        "DISHUB",
        "Penguji Kendaraan Bermotor Terampil",
        state=State.INACTIVE,
    ),
    _P("198602222010012005", "Ratna Dewi, S.S.", "ratna.dewi", "DISBUD", "Pamong Budaya Ahli Muda"),
    _P("199207092019031002", "Yoserizal, S.Hum.", "yoserizal", "DISBUD", "Pamong Budaya Ahli Pertama"),
    _P(
        "199512232021012005",
        "Suci Ramadhani, S.Par.",
        "suci.ramadhani",
        "DISPARPORA",
        "Adyatama Kepariwisataan dan Ekonomi Kreatif Ahli Pertama",
    ),
    _P(
        "198809302014031003",
        "Boy Candra, S.E.",
        "boy.candra",
        "DPMPTSP-NAKER",
        "Mediator Hubungan Industrial Ahli Pertama",
    ),
    _P("197805062006042002", "Yusnimar, S.P.", "yusnimar", "DKP3", "Penyuluh Pertanian Ahli Muda"),
    _P("199103182019031004", "Ferdi Chaniago, S.Pi.", "ferdi.chaniago", "DKP3", "Penyuluh Perikanan Ahli Pertama"),
    _P("198910242015032003", "Nelfa Yanti, S.E.", "nelfa.yanti", "KUKMDAG", "Pengawas Perdagangan Ahli Pertama"),
    _P(
        "197912112005011006", "Armen Piliang, S.Sos.", "armen.piliang", "DPMD", "Penggerak Swadaya Masyarakat Ahli Muda"
    ),
    _P("198107082006042004", "Rosmaini, S.ST.", "rosmaini", "DPPKB", "Penyuluh Keluarga Berencana Ahli Muda"),
    _P("198403112009011007", "Erwin Syahputra, S.E., M.M.", "erwin.syahputra", "BAPPEDA", "Perencana Ahli Muda"),
    _P("199606172020122003", "Dian Permata Sari, S.Stat.", "dian.permatasari", "BAPPEDA", "Statistisi Ahli Pertama"),
    _P("198502192010011004", "Hendra Guswandi, S.E., Ak.", "hendra.guswandi", "INSPEKTORAT", "Auditor Ahli Muda"),
    _P("199310102019032006", "Rika Oktaviani, S.H.", "rika.oktaviani", "SETDA", "Analis Hukum Ahli Pertama"),
    _P("198008252006041005", "Agus Salim, S.Sos.", "agus.salim", "SETDA", "Pengelola Pengadaan Barang/Jasa Ahli Muda"),
    _P(
        "198612152011012003",
        "Marlina Sikumbang, S.E.",
        "marlina.sikumbang",
        "SETWAN",
        "Analis Keuangan Pusat dan Daerah Ahli Pertama",
    ),
    _P("199212302019031005", "Fadhilah Rahman, S.AP.", "fadhilah.rahman", "MPP", "Analis Kebijakan Ahli Pertama"),
    _P("198405052006121002", "Irwan Koto, S.STP., M.Si.", "irwan.koto", "KEC-BARANGIN", "Camat Barangin"),
    _P("198209132008012006", "Sri Rahayu, S.Sos.", "sri.rahayu", "KEC-LEMBAHSEGAR", "Sekretaris Kecamatan"),
    _P(
        "199007072023211012",
        "Yulianto, S.Kom.",
        "yulianto",
        "KEC-SILUNGKANG",
        "Pranata Komputer Terampil",
        PPPK,
        state=State.PENDING,
    ),
    _P("198601012025241003", "Gusnaldi", "gusnaldi", "KEC-TALAWI", "Pengadministrasi Perkantoran", PPPK_PW),
    _P(
        "200003142025022001",
        "Nadia Safitri, S.Psi.",
        "nadia.safitri",
        "BKPSDM",
        "Analis SDM Aparatur Ahli Pertama",
        CPNS,
        state=State.PENDING,
    ),
)


def everyone() -> list[DemoPerson]:
    return [demo_admin(), ORGANIZER, MODERATOR, *MEMBERS, *HEADS]


def showcase() -> list[tuple[object, DemoPerson]]:
    """One account per role, printed after loading so testers know how to log in."""
    return [
        (_l("Admin"), demo_admin()),
        (_l("Penyelenggara"), ORGANIZER),
        (_l("Moderator"), MODERATOR),
        (_l("Anggota"), SHOWCASE_MEMBER),
    ]


def showcase_accounts() -> list[tuple[object, User]]:
    """The showcase accounts that exist and can log in."""
    found = [(label, accounts.get_by_nip(person.nip)) for label, person in showcase()]
    return [(label, user) for label, user in found if user is not None and user.is_active]


def _load_person(person: DemoPerson, directory: UnitDirectory, context: DemoContext) -> Outcome:
    existing = accounts.get_by_nip(person.nip)
    data = check_row(person.as_row(), directory, existing)
    user, outcome, _changes = upsert_account(
        data,
        existing,
        password_hash=context.password_hash,
        verified=person.state != State.PENDING,
        active=person.state != State.INACTIVE,
    )
    if not context.is_demo_password(user.password_hash):  # changed by a tester: the printed login must work
        replace_password_hash(user, context.password_hash)
        outcome = Outcome.UPDATED
    return outcome


def load(context: DemoContext) -> Counter[str]:
    """Create or restore every demo account; commits. Raises RowInvalid if a record breaks an account rule."""
    directory = UnitDirectory.load()
    counts: Counter[str] = Counter(_load_person(person, directory, context) for person in everyone())
    db.session.commit()
    return counts
