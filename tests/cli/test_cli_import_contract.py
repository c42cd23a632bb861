"""The account import's PPPK contract columns (contract_start/contract_end or mulai_kontrak/akhir_kontrak)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.cli.conftest import audit_entries, users

HEADER = "nip,name,email,unit,position,status,role,mulai_kontrak,akhir_kontrak"
HENDRI = "199107142022211004,Hendri Saputra,hendri@sawahluntokota.go.id,BKPSDM,Analis Kepegawaian,PPPK,"
SRI = "198604172009122001,Sri Wahyuni,sri.wahyuni@sawahluntokota.go.id,RSUD,Perawat Ahli Muda,PNS,"


@pytest.fixture
def run_import(cli, bkpsdm, rsud, tmp_path):
    def run(*lines: str, options: tuple[str, ...] = ()):
        path = Path(tmp_path, "pegawai.csv")
        path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
        return cli.invoke(args=["users", "import", str(path), *options])

    return run


def test_contract_dates_are_imported_in_either_format(run_import):
    result = run_import(HEADER, f"{HENDRI},2026-03-01,28/02/2031")
    assert result.exit_code == 0, result.output
    (hendri,) = users()
    assert (hendri.contract_start, hendri.contract_end) == (date(2026, 3, 1), date(2031, 2, 28))


def test_empty_cells_keep_the_dates_and_a_change_is_audited(run_import):
    run_import(HEADER, f"{HENDRI},2026-03-01,")
    result = run_import(HEADER, f"{HENDRI},,")
    assert "0 diperbarui, 1 tidak berubah" in result.output
    assert users()[0].contract_start == date(2026, 3, 1)

    run_import(HEADER, f"{HENDRI},01-03-2027,")
    assert users()[0].contract_start == date(2027, 3, 1)
    (update,) = audit_entries("user.update")
    assert update.details["changes"]["contract"] == {"old": ["2026-03-01", ""], "new": ["2027-03-01", ""]}


def test_an_account_that_stops_being_pppk_loses_its_contract(run_import):
    run_import(HEADER, SRI.replace(",PNS,", ",PPPK,") + ",2026-03-01,")
    assert users()[0].contract_start == date(2026, 3, 1)
    result = run_import(HEADER, f"{SRI},,")  # now PNS: no contract dates
    assert result.exit_code == 0, result.output
    assert (users()[0].contract_start, users()[0].contract_end) == (None, None)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"{HENDRI},1 Maret 2026,", "Tanggal kontrak “1 Maret 2026” tidak dikenal"),
        (f"{HENDRI},2026-03-01,2025-03-01", "Tanggal akhir kontrak tidak boleh sebelum tanggal mulainya."),
        (f"{SRI},2026-03-01,", "Tanggal kontrak hanya diisi untuk PPPK."),
    ],
)
def test_bad_contract_cells_fail_the_row_only(run_import, row, message):
    result = run_import(HEADER, row)
    assert result.exit_code == 1
    assert message in result.output
    assert users() == []


def test_pns_rows_without_contract_cells_are_fine(run_import):
    result = run_import(HEADER, f"{SRI},,")
    assert result.exit_code == 0, result.output
    assert users()[0].contract_start is None
