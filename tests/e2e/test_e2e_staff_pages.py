"""The accessibility pass (axe: nothing serious or critical) and the 360 px phone pass over the pages BKPSDM and
organizers work in: forms and their results with charts, needs analysis, program review, the verification
queue, JP rules, positions and the development dashboard, seen by the demo admin."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.journeys import follow
from tests.e2e.test_e2e_accessibility import _serious_violations
from tests.e2e.test_e2e_responsive import _assert_header_on_one_row, _assert_no_sideways_scroll

# (name, where to start, links to follow from there in turn: demo content whose id the test does not know)
PAGES = [
    ("feedback-manage", "/evaluasi/kelola", ()),
    ("feedback-results", "/evaluasi/kelola", ("Evaluasi Pelatihan: Pelatihan Pelayanan Prima Angkatan II", "Hasil")),
    ("feedback-needs", "/kebutuhan-kompetensi", ()),
    ("feedback-programs", "/evaluasi/program", ()),
    ("feedback-program", "/evaluasi/program", ("Pelayanan Prima",)),
    ("learning-queue", "/rekam-jejak/verifikasi", ()),
    ("learning-rules", "/rekam-jejak/pengaturan", ()),
    ("learning-dashboard", "/dasbor-pengembangan", ()),
    ("learning-positions", "/admin/jabatan", ()),
]


def _open(new_page, start: str, links: tuple[str, ...], **options):
    page = new_page(as_admin=True, **options)
    page.goto(start)
    for link in links:
        follow(page.get_by_role("link", name=link, exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


@pytest.mark.parametrize(("name", "start", "links"), PAGES)
def test_staff_page_has_no_serious_violations(new_page, axe_script, snapshot, name, start, links):
    page = _open(new_page, start, links, bypass_csp=True)
    snapshot(page, name)
    assert _serious_violations(page, axe_script) == []


@pytest.mark.parametrize(("name", "start", "links"), PAGES)
def test_staff_page_fits_a_phone(new_page, snapshot, name, start, links):
    page = _open(new_page, start, links, viewport=PHONE)
    _assert_no_sideways_scroll(page)
    _assert_header_on_one_row(page)
    snapshot(page, name)


def test_results_draw_their_charts(new_page):
    page = _open(new_page, *PAGES[1][1:])
    expect(page.locator("figure.chart canvas").first).to_be_visible()
    expect(page.locator("figure.chart details.chart-data").first).not_to_have_attribute("open", "")
