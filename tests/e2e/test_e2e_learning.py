"""Journey: an ASN reports an e-learning course with its certificate, the form suggests the JP from the rule,
BKPSDM verifies it from the queue without leaving the page, and the JP count toward the ASN's annual target;
the head of the ASN's unit sees the unit on the development dashboard."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fpdf import FPDF
from playwright.sync_api import expect

from tests.e2e.journeys import follow, signed_in_page

ASN = "199107142022211004"  # Hendri Saputra, PPPK teacher at DISDIK: a 24 JP ceiling (PP 49/2018 Pasal 40)
UNIT_HEAD = "196905121994031006"  # Drs. Hasnul Hadi, head of DISDIK
COURSE = "E-learning Literasi Data untuk Guru"
PROGRESS = re.compile(r"(\d+) dari (?:batas )?(\d+) JP")


def _certificate(tmp_path) -> str:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, "SERTIFIKAT E-LEARNING")
    path = tmp_path / "sertifikat.pdf"
    path.write_bytes(bytes(pdf.output()))
    return str(path)


def _verified_jp(page) -> tuple[int, int]:
    page.goto("/rekam-jejak")
    text = page.get_by_role("region", name=re.compile("^Capaian JP")).inner_text()
    found = PROGRESS.search(text)
    return int(found.group(1)), int(found.group(2))


def _report(page, tmp_path, snapshot) -> None:
    follow(page.get_by_role("link", name="Ajukan kegiatan"))
    form = page.locator("#record-form")
    kind = form.get_by_label("Jenis pengembangan kompetensi")
    kind.select_option(kind.locator("option", has_text="E-learning").get_attribute("value"))
    form.get_by_label("Nama kegiatan").fill(COURSE)
    form.get_by_label("Penyelenggara").fill("LAN RI (ASN Unggul)")
    finished = date.today() - timedelta(days=5)
    form.get_by_label("Tanggal mulai").fill(finished.strftime("%d/%m/%Y"))  # typed day first
    form.get_by_label("Tanggal selesai").fill(finished.strftime("%d/%m/%Y"))
    expect(page.locator("#jp-suggestion")).to_contain_text("3 JP")  # the rule: e-learning counts 3 JP a course
    form.get_by_label("JP yang diajukan").fill("3")
    form.get_by_label(re.compile("^Bukti")).set_input_files(_certificate(tmp_path))
    snapshot(page, "learning-record-form")
    follow(page.get_by_role("button", name="Ajukan", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE)
    expect(page.get_by_text("Diajukan", exact=True).first).to_be_visible()


def _verify(admin, snapshot) -> None:
    admin.goto("/rekam-jejak/verifikasi")
    card = admin.locator("article.queue-row").filter(has_text=COURSE)
    expect(card).to_contain_text("Hendri Saputra")
    admin.evaluate("window.__sameDocument = true")
    card.get_by_label("JP diakui").fill("3")
    card.get_by_role("button", name="Setujui").click()
    expect(card).to_contain_text("Diakui 3 JP.")
    assert admin.evaluate("window.__sameDocument") is True, "verifying reloaded the page"
    snapshot(admin, "learning-queue-verified")


def test_reported_course_is_verified_and_counts_toward_the_target(new_page, sign_in, tmp_path, snapshot):
    asn = signed_in_page(new_page, sign_in, ASN)
    before, target = _verified_jp(asn)
    assert target == 24, "a PPPK's yearly figure is a ceiling of 24 JP"
    expect(asn.get_by_role("region", name=re.compile("^Capaian JP"))).to_contain_text("Batas, bukan target")
    _report(asn, tmp_path, snapshot)
    assert _verified_jp(asn)[0] == before, "a record waiting for verification does not count yet"

    _verify(new_page(as_admin=True), snapshot)

    assert _verified_jp(asn) == (before + 3, 24)
    expect(asn.get_by_role("row").filter(has_text=COURSE)).to_contain_text("Terverifikasi")
    snapshot(asn, "learning-ledger")


def test_unit_head_sees_the_unit_on_the_dashboard(new_page, sign_in, snapshot):
    head = signed_in_page(new_page, sign_in, UNIT_HEAD)
    head.goto("/dasbor-pengembangan")
    expect(head.get_by_role("heading", level=1)).to_have_text("Dasbor Pengembangan Kompetensi")
    expect(head.get_by_text("Dinas Pendidikan").first).to_be_visible()
    expect(head.locator("figure.chart canvas").first).to_be_visible()  # Chart.js drew the data tables
    snapshot(head, "learning-dashboard-head")
    assert head.request.get("/rekam-jejak/verifikasi").status == 403  # verifying stays with BKPSDM
