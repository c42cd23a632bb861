"""NIP (Nomor Induk Pegawai) validation.

PNS/CPNS: ``yyyymmdd yyyymm g nnn`` - birth date, TMT CPNS year+month, gender (1/2), sequence.
PPPK: birth date, appointment year (4 digits), a 2-digit code, gender, sequence.
Each rule has its own message so the user knows which part to fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.accounts.models import EmploymentStatus
from portal.core.i18n import lazy_gettext as _l

MIN_BIRTH_YEAR = 1940
MIN_APPOINTMENT_YEAR = 1960


class NipError(ValueError):
    """The NIP is malformed; ``str(error)`` is a message for the user."""


@dataclass(frozen=True)
class NipInfo:
    nip: str
    birth_date: date
    appointment_year: int
    appointment_month: int | None  # None for PPPK (digits 13-14 are a code)
    gender: str  # "L" or "P"


def normalize_nip(raw: str) -> str:
    return "".join((raw or "").split())


def parse_nip(raw: str, status: EmploymentStatus | str = EmploymentStatus.PNS, today: date | None = None) -> NipInfo:
    status = EmploymentStatus(status)
    today = today or date.today()
    nip = normalize_nip(raw)
    if not nip:
        raise NipError(_l("NIP wajib diisi."))
    if not nip.isdigit() or not nip.isascii():
        raise NipError(_l("NIP hanya boleh berisi angka."))
    if len(nip) != 18:
        raise NipError(_l("NIP harus 18 digit (Anda memasukkan %(count)d digit).", count=len(nip)))

    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError(_l("Digit 1-8 NIP harus tanggal lahir yang valid (ttttbbhh).")) from None
    if birth.year < MIN_BIRTH_YEAR or birth > today:
        raise NipError(_l("Tanggal lahir pada digit 1-8 NIP tidak masuk akal."))

    appointment_year = int(nip[8:12])
    if not MIN_APPOINTMENT_YEAR <= appointment_year <= today.year + 1 or appointment_year < birth.year + 15:
        if status.is_pppk:
            raise NipError(_l("Digit 9-12 NI PPPK harus tahun pengangkatan yang valid."))
        raise NipError(_l("Digit 9-12 NIP harus tahun TMT CPNS yang valid."))

    appointment_month: int | None = None
    if not status.is_pppk:
        appointment_month = int(nip[12:14])
        if not 1 <= appointment_month <= 12:
            raise NipError(_l("Digit 13-14 NIP harus bulan TMT CPNS (01-12)."))

    if nip[14] not in "12":
        raise NipError(_l("Digit 15 NIP harus kode jenis kelamin: 1 (laki-laki) atau 2 (perempuan)."))
    if nip[15:18] == "000":
        raise NipError(_l("Digit 16-18 NIP (nomor urut) tidak boleh 000."))

    return NipInfo(
        nip=nip,
        birth_date=birth,
        appointment_year=appointment_year,
        appointment_month=appointment_month,
        gender="L" if nip[14] == "1" else "P",
    )
