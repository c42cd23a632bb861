"""The plan's pages for each role: an OPD writes its proposal, BKPSDM consolidates and approves, every ASN reads
the approved plan; bad input answers with a message and changes nothing; the workshop form opens prefilled from a
program; organizers invite and invitees decline."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.learning.services import get_development_type_by_code
from portal.planning import services
from portal.planning.models import PlanInvitation, PlanLine
from tests.conftest import PortalClient, login
from tests.learning.profile_helpers import add_workshop
from tests.planning.conftest import line_input


def _client(app, user) -> PortalClient:
    client = app.test_client()
    login(client, user)
    return client


def _text(response) -> str:
    return response.get_data(as_text=True)


def _form(city, **fields) -> dict:
    data = {
        "competency_id": str(city.catalogue["M.05"].id),
        "title": "Pelatihan Pelayanan Prima",
        "participants": "8",
        "quarter": "2",
        "development_type_id": str(get_development_type_by_code("KL07").id),
        "jp": "10",
        "provider_kind": "bkpsdm",
        "cost_per_participant": "1500000",
    }
    data.update(fields)
    return data


def _lines() -> int:
    return db.session.scalar(select(func.count()).select_from(PlanLine)) or 0


def test_the_opd_organizer_writes_and_submits_the_proposal(app, city, year):
    client = _client(app, city.organizer)
    page = client.get(f"/rencana-tahunan/{year}/opd/{city.dinkes.id}")
    assert page.status_code == 200
    assert "Saran dari data OPD" in _text(page) and "M.05" in _text(page)
    accepted = client.get(
        f"/rencana-tahunan/{year}/opd/{city.dinkes.id}?kompetensi={city.catalogue['M.05'].id}&sumber=kesenjangan"
    )
    assert re.search(rf'<option selected value="{city.catalogue["M.05"].id}"', _text(accepted))
    response = client.post(f"/rencana-tahunan/{year}/opd/{city.dinkes.id}/butir", data=_form(city))
    assert response.status_code == 302
    page = _text(client.get(f"/rencana-tahunan/{year}/opd/{city.dinkes.id}"))
    assert "Pelatihan Pelayanan Prima" in page and "Rp12.000.000" in page
    plan = services.plan_of(year, city.dinkes.id)
    assert client.post(f"/rencana-tahunan/{plan.id}/ajukan").status_code == 302
    assert "Diajukan ke BKPSDM" in _text(client.get(f"/rencana-tahunan/{year}/opd/{city.dinkes.id}"))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cost_per_participant": "-5"}, "tidak negatif"),
        ({"quarter": "5"}, "Triwulan harus 1, 2, 3 atau 4"),
        ({"participants": "banyak"}, "Isi dengan bilangan bulat"),
        ({"provider_kind": "mitra", "provider_name": ""}, "Tuliskan nama lembaga mitra"),
    ],
)
def test_bad_input_answers_with_a_message_and_stores_nothing(app, city, year, fields, message):
    client = _client(app, city.organizer)
    response = client.post(f"/rencana-tahunan/{year}/opd/{city.dinkes.id}/butir", data=_form(city, **fields))
    assert response.status_code == 422
    assert message in _text(response)
    assert _lines() == 0


def test_other_people_cannot_read_or_write_an_opd_draft(app, city, year):
    services.add_line(city.organizer, city.dinkes.id, year, line_input(city))
    member = _client(app, city.gap_dinkes[0])
    assert member.get(f"/rencana-tahunan/{year}/opd/{city.dinkes.id}").status_code == 404
    assert member.post(f"/rencana-tahunan/{year}/opd/{city.dinkes.id}/butir", data=_form(city)).status_code == 403
    other_head = _client(app, city.head)  # heads Disdik, not Dinkes
    assert other_head.get(f"/rencana-tahunan/{year}/opd/{city.dinkes.id}").status_code == 404
    line = db.session.scalars(select(PlanLine)).one()
    assert other_head.post(f"/rencana-tahunan/butir/{line.id}/hapus").status_code == 404
    assert _lines() == 1
    assert _client(app, city.bkpsdm).get(f"/rencana-tahunan/{year}/opd/{city.dinkes.id}").status_code == 200


def _submitted(city, year):
    a = services.add_line(city.organizer, city.dinkes.id, year, line_input(city, participants=3))
    b = services.add_line(city.head, city.disdik.id, year, line_input(city, participants=2))
    services.submit(city.organizer, a.plan)
    services.submit(city.head, b.plan)
    return a, b


def test_bkpsdm_consolidates_and_approves_and_every_asn_reads_the_approved_plan(app, city, year):
    a, b = _submitted(city, year)
    member = _client(app, city.gap_disdik[0])
    assert "belum disetujui" in _text(member.get(f"/rencana-tahunan/{year}/kota"))
    admin = _client(app, city.bkpsdm)
    page = _text(admin.get(f"/rencana-tahunan/{year}/kota"))
    assert "Gabungkan usulan OPD" in page and "Dinkes · Pelatihan Pelayanan Prima" in page
    merged = admin.post(
        f"/rencana-tahunan/{year}/kota/gabung",
        data={"lines": [str(a.id), str(b.id)], "program_id": "0", "title": "Pelayanan Prima Kota"},
    )
    assert merged.status_code == 302
    program = services.plan_of(year, None).programs[0]
    assert (
        admin.post(
            f"/rencana-tahunan/program/{program.id}/kuota", data={"unit_id": str(city.disdik.id), "quota": "-1"}
        ).status_code
        == 302
    )
    assert program.quota_of(city.disdik.id) == 2
    assert member.post(f"/rencana-tahunan/{year}/kota/setujui").status_code == 403
    assert admin.post(f"/rencana-tahunan/{year}/kota/setujui").status_code == 302
    page = _text(member.get(f"/rencana-tahunan/{year}/kota"))
    assert "Pelayanan Prima Kota" in page and "Disetujui (terkunci)" in page and "Rp7.500.000" in page
    assert "Setujui rencana kota" not in page and "Buat pelatihan untuk butir rencana ini" not in page
    locked = admin.post(
        f"/rencana-tahunan/program/{program.id}/kuota", data={"unit_id": str(city.disdik.id), "quota": "9"}
    )
    assert "terkunci" in _text(admin.get(locked.headers["Location"]))
    assert program.quota_of(city.disdik.id) == 2

    download = member.get(f"/rencana-tahunan/{year}/kota.xlsx")
    assert download.status_code == 200 and download.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(download.data))
    assert book["Ringkasan per OPD"]["A4"].value == "Jumlah" and book["Ringkasan per OPD"]["D4"].value == 7_500_000


def test_a_program_opens_the_workshop_form_prefilled_and_the_workshop_shows_it(app, city, year):
    a, b = _submitted(city, year)
    program = services.merge(city.bkpsdm, year, [a.id, b.id], title="Pelayanan Prima Kota")
    organizer = _client(app, city.organizer)
    assert organizer.get(f"/rencana-tahunan/program/{program.id}/pelatihan-baru").status_code == 404  # not approved
    services.approve(city.bkpsdm, year)
    assert (
        _client(app, city.gap_dinkes[0]).get(f"/rencana-tahunan/program/{program.id}/pelatihan-baru").status_code == 403
    )
    assert "Buat pelatihan untuk butir rencana ini" in _text(organizer.get(f"/rencana-tahunan/{year}/kota"))
    response = organizer.get(f"/rencana-tahunan/program/{program.id}/pelatihan-baru")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["asal"] == [f"program:{program.id}"] and query["kompetensi"] == ["M.05"]
    form = _text(organizer.get(response.headers["Location"]))
    assert 'value="Pelayanan Prima Kota"' in form and f'value="program:{program.id}"' in form
    assert re.search(r'<option selected value="M\.05">', form)
    assert re.search(rf'<option selected value="{city.dinkes.id}">', form)

    workshop = add_workshop(city.organizer, [program.competency], origin=f"program:{program.id}")
    shown = _text(_client(app, city.gap_dinkes[0]).get(f"/pelatihan/{workshop.id}"))
    assert "Melaksanakan program Pelayanan Prima Kota" in shown


def test_organizer_invites_and_the_invitee_declines_from_the_workshop_page(app, city, year):
    a, b = _submitted(city, year)
    program = services.merge(city.bkpsdm, year, [a.id, b.id])
    services.approve(city.bkpsdm, year)
    workshop = add_workshop(city.organizer, [program.competency], origin=f"program:{program.id}")
    organizer = _client(app, city.organizer)
    dashboard = _text(organizer.get(f"/pelatihan/{workshop.id}/peserta"))
    assert "Daftar undangan" in dashboard
    page = _text(organizer.get(f"/rencana-tahunan/pelatihan/{workshop.id}/undangan?unit={city.disdik.id}"))
    assert "Guru 0" in page and "Perawat 0" not in page and "sisa kuota 2" in page
    invitee = city.gap_disdik[0]
    sent = organizer.post(f"/rencana-tahunan/pelatihan/{workshop.id}/undangan", data={"users": [str(invitee.id)]})
    assert sent.status_code == 302
    assert _client(app, city.gap_disdik[1]).get(f"/rencana-tahunan/pelatihan/{workshop.id}/undangan").status_code == 404

    asn = _client(app, invitee)
    shown = _text(asn.get(f"/pelatihan/{workshop.id}"))
    assert "Anda diundang ke pelatihan ini." in shown and "Tolak undangan" in shown and "Daftar" in shown
    assert asn.post(f"/rencana-tahunan/pelatihan/{workshop.id}/tolak").status_code == 302
    assert "Anda menolak undangan ini" in _text(asn.get(f"/pelatihan/{workshop.id}"))
    answers = _text(organizer.get(f"/rencana-tahunan/pelatihan/{workshop.id}/undangan"))
    assert "Menolak (1)" in answers
    assert db.session.scalars(select(PlanInvitation)).one().user_id == invitee.id


def test_the_index_lists_the_opds_a_person_plans_for(app, city, year):
    head = _text(_client(app, city.head).get(f"/rencana-tahunan?tahun={year}"))
    assert "Dinas Pendidikan" in head and "Dinas Kesehatan" not in head
    admin = _text(_client(app, city.bkpsdm).get(f"/rencana-tahunan?tahun={year}"))
    assert "Dinas Pendidikan" in admin and "Dinas Kesehatan" in admin and "Susun rencana kota" in admin
    assert _client(app, city.gap_dinkes[0]).get("/rencana-tahunan").status_code == 200


def test_pages_need_a_sign_in(client, city, year):
    assert client.get(f"/rencana-tahunan/{year}/kota").status_code == 302
    assert client.get(f"/rencana-tahunan/{year + 10}/kota").status_code in (302, 404)


def test_a_need_opens_the_workshop_form_and_the_workshop_names_the_need(app, city, year):
    organizer = _client(app, city.organizer)
    competency = city.catalogue["M.05"]
    form = _text(organizer.get(f"/pelatihan/baru?kompetensi=M.05&asal=kebutuhan:{competency.id}"))
    assert re.search(r'<option selected value="M\.05">', form) and f'value="kebutuhan:{competency.id}"' in form
    workshop = add_workshop(city.organizer, [competency], origin=f"kebutuhan:{competency.id}")
    shown = _text(_client(app, city.gap_dinkes[0]).get(f"/pelatihan/{workshop.id}"))
    assert "Menjawab kebutuhan kompetensi" in shown and "M.05 Pelayanan Publik" in shown
    other = add_workshop(city.organizer, [city.catalogue["M.01"]], origin=f"kebutuhan:{competency.id}")
    assert "Menjawab kebutuhan kompetensi" not in _text(organizer.get(f"/pelatihan/{other.id}"))


def test_the_organizer_records_the_realised_cost_on_the_dashboard(app, city, year):
    a, b = _submitted(city, year)
    program = services.merge(city.bkpsdm, year, [a.id, b.id])
    services.approve(city.bkpsdm, year)
    workshop = add_workshop(city.organizer, [program.competency], origin=f"program:{program.id}")
    organizer = _client(app, city.organizer)
    refused = organizer.post(f"/rencana-tahunan/pelatihan/{workshop.id}/biaya", data={"realised_cost": "-100"})
    assert "tidak negatif" in _text(organizer.get(refused.headers["Location"]))
    assert services.link_of(workshop.id).realised_cost is None
    member = _client(app, city.gap_dinkes[0])
    assert (
        member.post(f"/rencana-tahunan/pelatihan/{workshop.id}/biaya", data={"realised_cost": "5"}).status_code == 404
    )
    organizer.post(f"/rencana-tahunan/pelatihan/{workshop.id}/biaya", data={"realised_cost": "4250000"})
    db.session.expire_all()
    assert services.link_of(workshop.id).realised_cost == 4_250_000
    assert 'value="4250000"' in _text(organizer.get(f"/pelatihan/{workshop.id}/peserta"))
