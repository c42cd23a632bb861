"""SIASN exports: exact content (header and rows), verified records only, formula-safe cells, privacy."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.core.permissions import Role
from portal.extensions import db
from portal.learning.services import dashboard, exports
from portal.units.models import UnitHead
from tests.conftest import login
from tests.learning.dashboard_city import add_record, build_city

YEAR = 2025
HEADER = [
    "NIP",
    "Nama",
    "Kode Jenis Pengembangan",
    "Jenis Pengembangan",
    "Nama Kegiatan",
    "Penyelenggara",
    "Tanggal Mulai",
    "Tanggal Selesai",
    "Tahun",
    "JP",
    "Nomor Sertifikat",
    "jenisDiklatId",
    "tanggalKursus",
    "tanggalSelesaiKursus",
    "Tingkat Diklat Struktural",
    "latihanStrukturalId",
]
BKPSDM = "BKPSDM Kota Sawahlunto"


@pytest.fixture
def city(make_unit, make_user):
    return build_city(YEAR, make_unit, make_user)


def _ani_rows(city, with_next_year=True):
    nip = city["ani"].nip
    rows = [
        [
            nip,
            "Ani Rahmawati",
            "KL07",
            "Workshop/lokakarya",
            "Lokakarya SPBE",
            BKPSDM,
            date(YEAR, 3, 10),
            date(YEAR, 3, 10),
            YEAR,
            10,
            "",
            4,  # SIASN's jenisDiklatId for a workshop
            f"10-03-{YEAR}",
            f"10-03-{YEAR}",
            "",
            None,
        ],
        [
            nip,
            "Ani Rahmawati",
            "NKL03",
            "E-learning",
            "E-learning ASN",
            BKPSDM,
            date(YEAR, 12, 1),
            date(YEAR, 12, 31),
            YEAR,
            10,
            "",
            None,  # e-learning: no SIASN number stated yet, BKPSDM enters it
            f"01-12-{YEAR}",
            f"31-12-{YEAR}",
            "",
            None,
        ],
    ]
    if with_next_year:
        rows.append(
            [nip, "Ani Rahmawati", "KL06", "Seminar/konferensi/sarasehan", "Seminar tahun baru", BKPSDM,
             date(YEAR + 1, 1, 1), date(YEAR + 1, 1, 1), YEAR + 1, 5, "", 9, f"01-01-{YEAR + 1}",
             f"01-01-{YEAR + 1}", "", None]
        )  # fmt: skip
    return rows


def test_the_header_is_the_documented_layout():
    assert list(exports.HEADER) == HEADER


def test_person_table_every_year_and_one_year(city):
    assert exports.person_table(city["ani"]) == [HEADER, *_ani_rows(city)]
    assert exports.person_table(city["ani"], YEAR) == [HEADER, *_ani_rows(city, with_next_year=False)]


def test_only_verified_records_are_exported(city):
    # budi: a verified record and a submitted one; eka: a verified and a rejected one; dedi: needs revision.
    assert [row[4] for row in exports.person_table(city["budi"], YEAR)[1:]] == ["Pelatihan"]
    assert [row[9] for row in exports.person_table(city["budi"], YEAR)[1:]] == [12]
    assert [row[9] for row in exports.person_table(city["eka"], YEAR)[1:]] == [24]
    assert exports.person_table(city["dedi"], YEAR) == [HEADER]


def test_unit_table_lists_counted_people_of_the_unit(city):
    admin_scope = dashboard.Scope(year=YEAR, unit=city.a, choices=[], city_wide=True)
    table = exports.unit_table(admin_scope)
    assert table[0] == HEADER
    # By name, then start date; the inactive account's record, ani's next-year record and pending ones are out.
    assert [(row[1], row[4], row[9]) for row in table[1:]] == [
        ("Ani Rahmawati", "Lokakarya SPBE", 10),
        ("Ani Rahmawati", "E-learning ASN", 10),
        ("Budi Santoso", "Pelatihan", 12),
        ("Citra Lestari", "Pelatihan", 20),
    ]
    budi = table[3]
    assert (budi[6], budi[7], budi[8]) == (date(YEAR - 1, 12, 30), date(YEAR, 1, 2), YEAR)
    city_table = exports.unit_table(dashboard.Scope(year=YEAR, unit=None, choices=[], city_wide=True))
    assert len(city_table) == 1 + 4 + 1 + 2  # A, eka, fajar (two records, one without a type)
    assert city_table[-1][2:4] == ["", ""]


def test_filenames(city):
    scope = dashboard.Scope(year=YEAR, unit=city.a, choices=[], city_wide=True)
    assert exports.unit_filename(scope, "csv") == f"siasn-unit-{city.a.id}-{YEAR}.csv"
    assert exports.unit_filename(dashboard.Scope(YEAR, None, [], True), "xlsx") == f"siasn-kota-{YEAR}.xlsx"
    assert exports.person_filename(city["ani"], "csv") == f"siasn-{city['ani'].nip}.csv"
    assert exports.person_filename(city["ani"], "xlsx", YEAR) == f"siasn-{city['ani'].nip}-{YEAR}.xlsx"


# ---------------------------------------------------------------- over HTTP


def _client(app, user):
    return login(app.test_client(), user)


def test_own_csv_exact_bytes_with_formulas_neutralised(app, city):
    ani = city["ani"]
    add_record(
        ani,
        4,
        date(YEAR, 9, 1),
        type_code="KL06",
        title='=HYPERLINK("http://evil.example","klik")',
        provider="@SUM(A1)",
        certificate="+62-123",
    )
    response = _client(app, ani).get(f"/rekam-jejak/siasn.csv?tahun={YEAR}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="siasn-{ani.nip}-{YEAR}.csv"'
    assert response.data.decode("utf-8") == (
        "\ufeff"
        "NIP,Nama,Kode Jenis Pengembangan,Jenis Pengembangan,Nama Kegiatan,Penyelenggara,Tanggal Mulai,"
        "Tanggal Selesai,Tahun,JP,Nomor Sertifikat,jenisDiklatId,tanggalKursus,tanggalSelesaiKursus,"
        "Tingkat Diklat Struktural,latihanStrukturalId\r\n"
        f"{ani.nip},Ani Rahmawati,KL07,Workshop/lokakarya,Lokakarya SPBE,{BKPSDM},"
        f"{YEAR}-03-10,{YEAR}-03-10,{YEAR},10,,4,10-03-{YEAR},10-03-{YEAR},,\r\n"
        f"{ani.nip},Ani Rahmawati,KL06,Seminar/konferensi/sarasehan,"
        f'"\'=HYPERLINK(""http://evil.example"",""klik"")",\'@SUM(A1),{YEAR}-09-01,{YEAR}-09-01,{YEAR},4,\'+62-123,'
        f"9,01-09-{YEAR},01-09-{YEAR},,\r\n"
        f"{ani.nip},Ani Rahmawati,NKL03,E-learning,E-learning ASN,{BKPSDM},{YEAR}-12-01,{YEAR}-12-31,{YEAR},10,,"
        f",01-12-{YEAR},31-12-{YEAR},,\r\n"
    )


def test_own_xlsx_has_text_nip_and_real_dates(app, city):
    ani = city["ani"]
    add_record(ani, 4, date(YEAR, 9, 1), type_code="KL06", title="=1+1", certificate="-5")
    response = _client(app, ani).get("/rekam-jejak/siasn.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "Riwayat Diklat"
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert len(rows) == 1 + 4
    assert rows[1][0] == ani.nip and isinstance(rows[1][0], str)  # 18 digits stay text, not 1.98E+17
    assert rows[1][6].date() == date(YEAR, 3, 10)
    assert (rows[2][4], rows[2][10]) == ("'=1+1", "'-5")


def test_person_export_privacy(app, city, make_user):
    budi = city["budi"]
    url = f"/rekam-jejak/pegawai/{budi.id}/siasn.csv"
    assert _client(app, city["citra"]).get(url).status_code == 404  # a colleague
    assert _client(app, city["eka"]).get(url).status_code == 404  # another unit
    assert _client(app, make_user(Role.ORGANIZER)).get(url).status_code == 404
    head = make_user(name="Kepala Alpha", unit_id=city.b.id)
    db.session.add(UnitHead(unit_id=city.a.id, user_id=head.id))
    supervisor = make_user(name="Atasan Budi", unit_id=city.b.id)
    budi.supervisor_id = supervisor.id
    db.session.commit()
    for viewer in (head, supervisor, make_user(Role.ADMIN), budi):
        response = _client(app, viewer).get(url)
        assert response.status_code == 200, viewer.name
        assert f"{budi.nip},Budi Santoso,KL07" in response.data.decode()
    assert _client(app, make_user(Role.ADMIN)).get("/rekam-jejak/pegawai/999999/siasn.csv").status_code == 404


def test_unit_export_for_head_and_bkpsdm(app, city, make_user):
    head = make_user(name="Kepala Alpha", unit_id=city.a.id)
    db.session.add(UnitHead(unit_id=city.a.id, user_id=head.id))
    db.session.commit()
    head_client = _client(app, head)
    response = head_client.get(f"/dasbor-pengembangan/siasn.csv?tahun={YEAR}")  # the head's own unit by default
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'filename="siasn-unit-{city.a.id}-{YEAR}.csv"')
    lines = response.data.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 4 and "Eka Putri" not in response.data.decode()
    assert head_client.get(f"/dasbor-pengembangan/siasn.csv?unit={city.b.id}").status_code == 403
    assert _client(app, city["budi"]).get("/dasbor-pengembangan/siasn.csv").status_code == 403

    admin = _client(app, make_user(Role.ADMIN))
    whole = admin.get(f"/dasbor-pengembangan/siasn.xlsx?tahun={YEAR}")
    assert whole.headers["Content-Disposition"].endswith(f'filename="siasn-kota-{YEAR}.xlsx"')
    rows = list(load_workbook(io.BytesIO(whole.data)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 7
    assert admin.get(f"/dasbor-pengembangan/siasn.csv?unit={city.b.id}&tahun={YEAR}").data.decode().count("\n") == 4
    assert admin.get("/dasbor-pengembangan/siasn.csv?unit=999999").status_code == 404
