"""The dashboard pages: numbers as shown, privacy per role, htmx fragment, XLSX export, the reminder action."""

from __future__ import annotations

import io
import re

import pytest
from flask import render_template_string
from flask_login import login_user
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.core.permissions import Role
from portal.extensions import db
from portal.feedback.models import Program
from portal.feedback.services import NeedRow, ProgramSummary, TrendPoint
from portal.learning.models import LearningReminder
from portal.learning.services import dashboard, reminders
from portal.learning.services.profile import UnitGap
from portal.notifications.models import Notification
from portal.units.models import UnitHead
from tests.conftest import login
from tests.learning.dashboard_city import build_city

YEAR = 2025


@pytest.fixture
def city(make_unit, make_user):
    return build_city(YEAR, make_unit, make_user)


@pytest.fixture
def admin(app, make_user):
    return login(app.test_client(), make_user(Role.ADMIN, name="Admin BKPSDM"))


def _head_of(app, make_user, unit, name="Kepala Unit"):
    head = make_user(name=name, unit_id=unit.id)
    db.session.add(UnitHead(unit_id=unit.id, user_id=head.id))
    db.session.commit()
    client = login(app.test_client(), head)
    client.user = head
    return client


def _text(response) -> str:
    """The page's text without tags and with collapsed spaces, to read numbers as a person would."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _table_rows(html: str, caption_start: str) -> list[list[str]]:
    table = html[html.index(caption_start) :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# ---------------------------------------------------------------- what BKPSDM sees


def test_city_figures_as_shown(city, admin):
    response = admin.get(f"/dasbor-pengembangan?tahun={YEAR}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _table_rows(html, "<caption>Capaian per unit") == [
        # PPPK (citra in Alpha, eka in Beta) have a ceiling, not a target: not in the share, never below target
        ["Dinas Beta", "2", "1", "100,0 %", "34,5", "0", "0"],
        ["Dinas Alpha", "4", "1", "33,3 %", "13,0", "2", "0"],
        ["Dinas Komunikasi dan Informatika", "1", "0", "0,0 %", "0,0", "1", "0"],  # the admin is an ASN too
    ]
    text = _text(response)
    assert "Mencapai target 40,0 % 2 dari 5 ASN dengan target (PNS, CPNS)" in text
    assert "Melebihi batas 0 PPPK di atas batas JP tahun kontrak" in text
    assert "Rata-rata JP 17,3" in text  # 121 / 7
    distribution = _table_rows(html, "Sebaran JP terverifikasi per ASN")
    assert distribution == [["0 JP", "2"], ["1–9 JP", "0"], ["10–19 JP", "1"], ["20–39 JP", "3"], ["40+ JP", "1"]]
    assert _table_rows(html, "JP terverifikasi per jenis pengembangan")[0] == ["KL03 Pelatihan teknis", "69"]
    assert _table_rows(html, "JP terverifikasi per kompetensi")[0] == ["M.05 Pelayanan Publik", "42"]
    assert "Pegawai di bawah target" not in text  # the list needs a unit
    assert 'src="/static/js/charts.js"' in html


def test_units_sorted_lowest_first_on_request(city, admin):
    admin_unit = "Dinas Komunikasi dan Informatika"
    html = admin.get(f"/dasbor-pengembangan?tahun={YEAR}&urut=persen-terendah").get_data(as_text=True)
    assert [row[0] for row in _table_rows(html, "<caption>Capaian per unit")] == [
        admin_unit,
        "Dinas Alpha",
        "Dinas Beta",
    ]
    html = admin.get(f"/dasbor-pengembangan?tahun={YEAR}&urut=nama").get_data(as_text=True)
    assert [row[0] for row in _table_rows(html, "<caption>Capaian per unit")] == [
        "Dinas Alpha",
        "Dinas Beta",
        admin_unit,
    ]


def test_unit_filter_shows_who_is_below_target(city, admin):
    response = admin.get(f"/dasbor-pengembangan?tahun={YEAR}&unit={city.a.id}")
    html = response.get_data(as_text=True)
    rows = _table_rows(html, "Pegawai di bawah target, dari")
    assert [row[:7] for row in rows] == [
        ["Dedi Kurniawan", city["dedi"].nip, "PNS", "0", "18", "18", "6"],
        ["Budi Santoso", city["budi"].nip, "CPNS", "12", "18", "6", "8"],
    ]  # citra (PPPK, 20 of a 24 JP ceiling) is not below a target
    assert "Pengingat hanya dapat dikirim untuk tahun berjalan." in html  # 2025 is not the current year
    assert 'name="user_ids"' not in html
    assert "Eka Putri" not in html


def test_htmx_gets_the_body_fragment(city, admin):
    response = admin.get(f"/dasbor-pengembangan?tahun={YEAR}", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div id="dashboard-body">')


def test_other_sections_render_their_contracts(city, admin, monkeypatch):
    m05 = city.competencies["M.05"]
    program = Program(name="Pelatihan Pelayanan Prima", l1_threshold=3.5)
    db.session.add(program)
    db.session.commit()
    monkeypatch.setattr(
        dashboard.profile, "unit_gaps", lambda unit_id=None, limit=10: [UnitGap(city.a, m05, 4, 3, 1.33)]
    )
    monkeypatch.setattr(
        dashboard.needs_analysis, "top_needs", lambda limit=5, unit_id=None, year=None: [NeedRow(m05, 4.25, 0.75, 12)]
    )
    monkeypatch.setattr(
        dashboard.scores,
        "evaluation_trend",
        lambda year, unit_id=None: [TrendPoint(m, 4.1 if m == 3 else None, 9 if m == 3 else 0) for m in range(1, 13)],
    )
    summary = ProgramSummary(program, [], 3.1, None, 0.2, ["Rata-rata reaksi 3,10 di bawah 3,50"], True)
    monkeypatch.setattr(dashboard.program_review, "flagged_programs", lambda: [summary])
    html = admin.get(f"/dasbor-pengembangan?tahun={YEAR}").get_data(as_text=True)
    assert _table_rows(html, "Rata-rata selisih level") == [
        ["M.05 Pelayanan Publik", "Dinas Alpha", "1,33", "3 dari 4"]
    ]
    assert _table_rows(html, "Kompetensi yang paling dibutuhkan") == [["M.05 Pelayanan Publik", "4,25", "75 %", "12"]]
    trend = _table_rows(html, "Rata-rata evaluasi reaksi peserta")
    assert len(trend) == 12 and trend[2] == ["Mar", "4,10"] and trend[0] == ["Jan", "—"]
    text = _text(admin.get(f"/dasbor-pengembangan?tahun={YEAR}"))
    assert "Pelatihan Pelayanan Prima" in text and "Rata-rata reaksi 3,10 di bawah 3,50" in text
    assert "Perubahan perilaku (L3) 20 %" in text


# ---------------------------------------------------------------- privacy


def test_unit_head_sees_only_their_unit(app, city, make_user):
    head = _head_of(app, make_user, city.a)
    response = head.get(f"/dasbor-pengembangan?tahun={YEAR}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Dinas Alpha · 2025" in _text(response)
    assert "Capaian per unit" not in html and "Dinas Beta" not in html and "Fajar Hidayat" not in html
    assert head.get(f"/dasbor-pengembangan?tahun={YEAR}&unit={city.a.id}").status_code == 200
    assert head.get(f"/dasbor-pengembangan?unit={city.b.id}").status_code == 403
    assert head.get("/dasbor-pengembangan?unit=999999").status_code == 404
    assert head.get(f"/dasbor-pengembangan/unduh.xlsx?unit={city.b.id}").status_code == 403
    assert head.post(f"/dasbor-pengembangan/pengingat?unit={city.b.id}", data={"semua": "1"}).status_code == 403


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANIZER, Role.MODERATOR])
def test_others_are_refused(login_as, city, role):
    client = login_as(role)
    for url in (
        "/dasbor-pengembangan",
        f"/dasbor-pengembangan?unit={client.user.unit_id}",
        "/dasbor-pengembangan/unduh.xlsx",
    ):
        assert client.get(url).status_code == 403
    assert client.post("/dasbor-pengembangan/pengingat", data={"semua": "1"}).status_code == 403


# ---------------------------------------------------------------- the XLSX export


def test_xlsx_export_holds_every_table(city, admin):
    response = admin.get(f"/dasbor-pengembangan/unduh.xlsx?tahun={YEAR}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="dasbor-pengembangan-kota-{YEAR}.xlsx"'
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Capaian per unit",
        "Di bawah target",
        "Melebihi batas",
        "Sebaran JP",
        "JP per jenis",
        "JP per kompetensi",
        "Kesenjangan kompetensi",
        "Kebutuhan pelatihan",
        "Pelatihan",
        "Tren evaluasi",
        "Program perlu ditinjau",
    ]
    sheet = lambda name: [list(row) for row in book[name].iter_rows(values_only=True)]  # noqa: E731
    assert sheet("Capaian per unit") == [
        [
            "Unit",
            "Jumlah ASN",
            "ASN dengan target",
            "Mencapai target",
            "Mencapai target (%)",
            "Rata-rata JP",
            "Total JP",
            "Melebihi batas (PPPK)",
        ],
        ["Dinas Beta", 2, 1, 1, 100, 34.5, 69, 0],
        ["Dinas Alpha", 4, 3, 1, 33.3, 13, 52, 0],
        ["Dinas Komunikasi dan Informatika", 1, 1, 0, 0, 0, 0, 0],
        ["Seluruh Kota Sawahlunto", 7, 5, 2, 40, 17.3, 121, 0],
    ]
    below = sheet("Di bawah target")
    assert below[1][2] == "Admin BKPSDM"  # 18 missing, like dedi: then by name
    assert [row[:3] + row[4:8] for row in below[2:]] == [
        ["Dinas Alpha", city["dedi"].nip, "Dedi Kurniawan", 0, 18, 18, 6],
        ["Dinas Alpha", city["budi"].nip, "Budi Santoso", 12, 18, 6, 8],
    ]  # citra (PPPK) is never below a target
    assert sheet("Melebihi batas") == [
        ["Unit", "NIP", "Nama", "Status", "JP", "Batas", "Kelebihan JP", "Periode", "Dasar hukum"]
    ]
    assert sheet("Sebaran JP")[1:] == [["0", 2], ["1–9", 0], ["10–19", 1], ["20–39", 3], ["40+", 1]]
    assert sheet("JP per jenis")[1] == ["KL03", "Pelatihan teknis", 69, 3, 3]
    assert sheet("JP per kompetensi")[1:] == [["M.05", "Pelayanan Publik", 42, 3, 3], ["M.03", "Komunikasi", 37, 2, 2]]
    assert len(sheet("Tren evaluasi")) == 13


def test_unit_xlsx_export_name(app, city, make_user):
    head = _head_of(app, make_user, city.a)
    response = head.get(f"/dasbor-pengembangan/unduh.xlsx?tahun={YEAR}")
    assert response.headers["Content-Disposition"].endswith(
        f'filename="dasbor-pengembangan-unit-{city.a.id}-{YEAR}.xlsx"'
    )
    rows = list(load_workbook(io.BytesIO(response.data))["Capaian per unit"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Dinas Alpha", "Dinas Alpha"]  # the unit's row, then its total


# ---------------------------------------------------------------- the reminder action


@pytest.fixture
def this_year(make_unit, make_user):
    return build_city(dashboard.current_year(), make_unit, make_user)


def _reminded() -> int:
    return db.session.scalar(select(func.count()).select_from(LearningReminder))


def test_head_reminds_chosen_then_everyone(app, this_year, make_user):
    city = this_year
    head = _head_of(app, make_user, city.a)
    page = head.get("/dasbor-pengembangan").get_data(as_text=True)
    assert f'name="user_ids" value="{city["budi"].id}"' in page
    assert "Kirim pengingat ke semua (3)" in page  # the head counts too, but is never reminded by themself

    response = head.post(
        "/dasbor-pengembangan/pengingat",
        data={"unit": city.a.id, "tahun": city.year, "user_ids": [city["budi"].id]},
        follow_redirects=True,
    )
    assert "Pengingat dikirim ke 1 pegawai." in _text(response)
    assert (
        db.session.scalar(select(Notification.user_id).where(Notification.kind == reminders.UNIT_KIND))
        == city["budi"].id
    )

    response = head.post(
        "/dasbor-pengembangan/pengingat",
        data={"unit": city.a.id, "tahun": city.year, "semua": "1"},
        follow_redirects=True,
    )
    assert "Pengingat dikirim ke 1 pegawai. 1 pegawai sudah diingatkan hari ini." in _text(response)
    assert _reminded() == 2  # budi and dedi; citra is PPPK (a ceiling, not a target)


def test_reminder_bad_input_changes_nothing(app, this_year, make_user, admin):
    city = this_year
    head = _head_of(app, make_user, city.a)
    response = head.post("/dasbor-pengembangan/pengingat", data={"tahun": city.year}, follow_redirects=True)
    assert "Pilih pegawai yang akan diingatkan." in _text(response)
    response = head.post(
        "/dasbor-pengembangan/pengingat", data={"tahun": city.year - 1, "semua": "1"}, follow_redirects=True
    )
    assert "Pengingat hanya dapat dikirim untuk tahun berjalan." in _text(response)
    response = admin.post("/dasbor-pengembangan/pengingat", data={"semua": "1"}, follow_redirects=True)
    assert "Pilih unit terlebih dahulu." in _text(response)
    assert _reminded() == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_template_global_tells_who_has_a_dashboard(app, city, make_user):
    head = make_user(name="Kepala Alpha", unit_id=city.a.id)
    db.session.add(UnitHead(unit_id=city.a.id, user_id=head.id))
    db.session.commit()
    for user, expected in ((head, "True"), (make_user(Role.ADMIN), "True"), (city["budi"], "False"), (None, "False")):
        with app.test_request_context():
            if user is not None:
                login_user(user)
            assert render_template_string("{{ can_open_dashboard() }}") == expected
