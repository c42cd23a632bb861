"""NIP / NI PPPK validation: every rule has its own message, valid numbers of each status pass."""

from datetime import date

import pytest

from portal.accounts.models import EmploymentStatus
from portal.accounts.nip import NipError, normalize_nip, parse_nip

TODAY = date(2026, 6, 1)


def message_for(nip: str, status: str = "PNS") -> str:
    with pytest.raises(NipError) as caught:
        parse_nip(nip, status, today=TODAY)
    return str(caught.value)


def test_valid_pns_nip_is_split_into_its_parts():
    info = parse_nip("198503142010011002", "PNS", today=TODAY)
    assert info.nip == "198503142010011002"
    assert info.birth_date == date(1985, 3, 14)
    assert (info.appointment_year, info.appointment_month) == (2010, 1)
    assert info.gender == "L"


def test_valid_cpns_nip_of_a_woman_appointed_this_year():
    info = parse_nip("200012312026042015", EmploymentStatus.CPNS, today=TODAY)
    assert info.birth_date == date(2000, 12, 31)
    assert (info.appointment_year, info.appointment_month) == (2026, 4)
    assert info.gender == "P"


@pytest.mark.parametrize("code", ["21", "24", "00", "99"])
def test_valid_pppk_number_has_a_code_instead_of_a_month(code):
    info = parse_nip(f"199001012021{code}2001", "PPPK", today=TODAY)
    assert info.appointment_year == 2021
    assert info.appointment_month is None
    assert info.gender == "P"


def test_part_time_pppk_follows_the_pppk_rules():
    assert parse_nip("199001012024242001", "PPPK_PW", today=TODAY).appointment_year == 2024


def test_the_same_digits_are_no_pns_nip_when_the_code_is_no_month():
    assert message_for("199001012021212001", "PNS") == "Digit 13-14 NIP harus bulan TMT CPNS (01-12)."


def test_spaces_are_stripped():
    assert normalize_nip(" 19850314 201001 1 002 ") == "198503142010011002"
    assert parse_nip("19850314 201001 1 002", today=TODAY).nip == "198503142010011002"


@pytest.mark.parametrize(
    ("nip", "status", "message"),
    [
        ("", "PNS", "NIP wajib diisi."),
        ("   ", "PNS", "NIP wajib diisi."),
        ("19850314201001100A", "PNS", "NIP hanya boleh berisi angka."),
        ("1985-0314-2010-011002", "PNS", "NIP hanya boleh berisi angka."),
        ("١٩٨٥٠٣١٤٢٠١٠٠١١٠٠٢", "PNS", "NIP hanya boleh berisi angka."),  # Arabic-Indic digits
        ("19850314201001100", "PNS", "NIP harus 18 digit (Anda memasukkan 17 digit)."),
        ("1985031420100110021", "PNS", "NIP harus 18 digit (Anda memasukkan 19 digit)."),
        ("198502302010011002", "PNS", "Digit 1-8 NIP harus tanggal lahir yang valid (ttttbbhh)."),
        ("198513012010011002", "PNS", "Digit 1-8 NIP harus tanggal lahir yang valid (ttttbbhh)."),
        ("193001012010011002", "PNS", "Tanggal lahir pada digit 1-8 NIP tidak masuk akal."),
        ("202701012010011002", "PNS", "Tanggal lahir pada digit 1-8 NIP tidak masuk akal."),
        ("198503141995011002", "PNS", "Digit 9-12 NIP harus tahun TMT CPNS yang valid."),
        ("198503142030011002", "CPNS", "Digit 9-12 NIP harus tahun TMT CPNS yang valid."),
        ("198503141995211002", "PPPK", "Digit 9-12 NI PPPK harus tahun pengangkatan yang valid."),
        ("198503142010001002", "PNS", "Digit 13-14 NIP harus bulan TMT CPNS (01-12)."),
        ("198503142010131002", "CPNS", "Digit 13-14 NIP harus bulan TMT CPNS (01-12)."),
        ("198503142010013002", "PNS", "Digit 15 NIP harus kode jenis kelamin: 1 (laki-laki) atau 2 (perempuan)."),
        ("198503142021210002", "PPPK", "Digit 15 NIP harus kode jenis kelamin: 1 (laki-laki) atau 2 (perempuan)."),
        ("198503142010011000", "PNS", "Digit 16-18 NIP (nomor urut) tidak boleh 000."),
        ("198503142021211000", "PPPK_PW", "Digit 16-18 NIP (nomor urut) tidak boleh 000."),
    ],
)
def test_each_broken_rule_has_its_own_message(nip, status, message):
    assert message_for(nip, status) == message
