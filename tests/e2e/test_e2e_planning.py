"""Journey (issue 18 items 1-2): the head of Disdik accepts a suggestion from the OPD's needs and gaps as a plan item
and submits it; BKPSDM merges it into a program of the city plan, approves it (the budget workbook downloads), and
creates the workshop from the program; the invite list shows the teacher below the "Pelayanan Publik" standard,
BKPSDM invites her, and she signs up in one click from the notification, on a phone."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.journeys import SHOWCASE_MEMBER, follow, signed_in_page
from tests.e2e.test_e2e_accessibility import _serious_violations

UNIT_HEAD = "196905121994031006"  # Drs. Hasnul Hadi, head of DISDIK
TEACHER = "Desi Ratnasari"  # SHOWCASE_MEMBER: Pelayanan Publik required 3, self-assessed 2


def _propose(head, year: int) -> None:
    head.goto(f"/rencana-tahunan?tahun={year}")
    follow(head.get_by_role("link", name="Dinas Pendidikan"))
    suggestion = head.get_by_role("row").filter(has_text="Pelayanan Publik").first
    follow(suggestion.get_by_role("link", name="Pakai"))
    form = head.locator("form").filter(has=head.get_by_role("button", name="Tambah butir"))
    competency = form.locator("#competency_id")
    expect(competency).to_have_value(competency.locator("option", has_text="Pelayanan Publik").get_attribute("value"))
    form.get_by_role("spinbutton", name="Jumlah peserta").fill("5")
    form.get_by_role("combobox", name="Triwulan").select_option("2")
    method = form.get_by_role("combobox", name="Metode (jenis pengembangan)")
    method.select_option(label="KL07 Workshop/lokakarya")
    form.get_by_role("spinbutton", name="Perkiraan biaya per peserta (Rp)").fill("750000")
    follow(form.get_by_role("button", name="Tambah butir"))
    expect(head.get_by_role("row").filter(has_text="Pelayanan Publik").last).to_contain_text("Rp3.750.000")
    follow(head.get_by_role("button", name="Ajukan ke BKPSDM"))
    expect(head.get_by_text("Diajukan ke BKPSDM", exact=True)).to_be_visible()


def _approve(admin, year: int, snapshot) -> None:
    admin.goto(f"/rencana-tahunan/{year}/kota")
    admin.get_by_label("Disdik · Pelayanan Publik").first.check()
    follow(admin.get_by_role("button", name="Gabungkan"))
    follow(admin.get_by_role("button", name="Setujui rencana kota"))
    expect(admin.get_by_text("Disetujui (terkunci)").first).to_be_visible()
    snapshot(admin, "planning-city-approved")
    with admin.expect_download() as download:
        admin.get_by_role("link", name="Unduh XLSX anggaran").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "Disdik" in book.sheetnames
    summary = [row for row in book["Ringkasan per OPD"].iter_rows(values_only=True) if row[0] == "Dinas Pendidikan"]
    assert summary and summary[0][1] >= 5 and summary[0][3] >= 3_750_000


def _create_workshop(admin) -> str:
    program = admin.locator("article").filter(has_text="Pelayanan Publik").first
    follow(program.get_by_role("link", name="Buat pelatihan untuk butir rencana ini"))
    expect(admin.get_by_label("Judul")).to_have_value("Pelayanan Publik")
    day = date.today() + timedelta(days=12)
    admin.locator("#sessions-0-day").fill(day.isoformat())
    admin.locator("#sessions-0-start").fill("09:00")
    admin.locator("#sessions-0-end").fill("15:00")
    admin.get_by_label("Lokasi").fill("Aula BKPSDM")
    follow(admin.get_by_role("button", name="Simpan"))
    expect(admin.get_by_text("Melaksanakan program Pelayanan Publik")).to_be_visible()
    follow(admin.get_by_role("button", name="Terbitkan"))
    return admin.url.split("/pelatihan/")[1].split("?")[0].split("#")[0]


def _invite(admin, workshop_id: str) -> None:
    admin.goto(f"/pelatihan/{workshop_id}/peserta")
    follow(admin.get_by_role("link", name="Daftar undangan"))
    admin.get_by_label("OPD").select_option(label="Dinas Pendidikan")
    follow(admin.get_by_role("button", name="Saring"))
    row = admin.get_by_role("row").filter(has_text=TEACHER)
    expect(row).to_contain_text("2 / 3")
    row.get_by_role("checkbox").check()
    follow(admin.get_by_role("button", name="Kirim undangan"))
    expect(admin.get_by_text("1 pegawai diundang.")).to_be_visible()


def test_from_needs_to_plan_to_workshop_to_one_click_sign_up(new_page, sign_in, snapshot):
    year = date.today().year + 1
    head = signed_in_page(new_page, sign_in, UNIT_HEAD)
    _propose(head, year)
    admin = new_page(as_admin=True)
    _approve(admin, year, snapshot)
    workshop_id = _create_workshop(admin)
    _invite(admin, workshop_id)

    teacher = signed_in_page(new_page, sign_in, SHOWCASE_MEMBER, viewport=PHONE)
    teacher.goto("/notifikasi/")
    follow(teacher.get_by_role("button", name="mengundang Anda ke pelatihan Pelayanan Publik").first)
    expect(teacher.get_by_text("Anda diundang ke pelatihan ini.")).to_be_visible()
    snapshot(teacher, "planning-invited-phone")
    box = teacher.get_by_role("region", name="Pendaftaran")
    box.get_by_role("button", name="Daftar").click()
    expect(box).to_contain_text("Anda terdaftar")

    admin.goto(f"/rencana-tahunan/pelatihan/{workshop_id}/undangan")
    expect(admin.get_by_role("heading", name="Mendaftar (1)")).to_be_visible()


@pytest.mark.parametrize("page_of", ["index", "city", "opd"])
def test_plan_pages_fit_a_phone_and_have_no_serious_violations(new_page, axe_script, snapshot, page_of):
    year = date.today().year + 1
    page = new_page(viewport=PHONE, as_admin=True, bypass_csp=True)
    page.goto(f"/rencana-tahunan?tahun={year}")
    if page_of == "city":
        follow(page.get_by_role("link", name=re.compile("rencana kota")).first)
    elif page_of == "opd":
        follow(page.get_by_role("link", name="Dinas Pendidikan"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide: it scrolls sideways"
    snapshot(page, f"planning-{page_of}")
    assert _serious_violations(page, axe_script) == []
