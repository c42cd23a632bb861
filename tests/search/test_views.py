"""Search page, live fragment, JSON API and the API-token pages, per role."""

from __future__ import annotations

import re

import pytest

from portal.core.permissions import Role
from portal.extensions import db
from portal.search import services
from portal.search.models import ApiToken


@pytest.fixture
def content(note_type, make_unit):
    other = make_unit("Dinas Pendidikan")
    note_type.add_note("Cara menilai kinerja pegawai", "Panduan penilaian kinerja untuk atasan.", public=True)
    note_type.add_note("Penilaian kinerja internal", "Hanya untuk anggota portal.")
    note_type.add_note("Kinerja guru", "Penilaian kinerja khusus unit.", unit_only=True, unit_id=other.id)
    services.apply_outbox()
    return note_type


def test_header_has_the_search_box(client):
    html = client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and 'hx-get="/cari/saran"' in html and 'hx-sync="this:replace"' in html


def _unmarked(html: str) -> str:
    """The page without the <mark> tags that highlight the query's words (titles and snippets)."""
    return re.sub(r"</?mark>", "", html)


def test_anonymous_search_page_shows_only_public_content(client, content):
    response = client.get("/cari?q=menilai+kinerja+pegawai")
    marked = response.get_data(as_text=True)
    html = _unmarked(marked)
    assert response.status_code == 200
    assert "Cara menilai kinerja pegawai" in html and "<mark>" in marked
    assert "Penilaian kinerja internal" not in html and "Kinerja guru" not in html


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANIZER, Role.MODERATOR, Role.ADMIN])
def test_signed_in_users_see_member_content_but_not_other_units(login_as, content, role):
    html = _unmarked(login_as(role).get("/cari?q=penilaian+kinerja").get_data(as_text=True))
    assert "Penilaian kinerja internal" in html
    assert "Kinerja guru" not in html
    assert "2 hasil" in html


def test_search_page_without_query_shows_the_form(member_client):
    response = member_client.get("/cari")
    assert response.status_code == 200
    assert 'name="q"' in response.get_data(as_text=True)


def test_bad_filter_gives_a_clear_message(member_client, content):
    response = member_client.get("/cari?q=kinerja&from=kemarin")
    assert response.status_code == 400
    assert "Tanggal tidak valid. Tulis hari/bulan/tahun" in response.get_data(as_text=True)


def test_date_filters_are_typed_day_first(member_client, content):
    response = member_client.get("/cari?q=kinerja&from=01/03/2020&to=2030-12-31")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="01/03/2020"' in page and 'value="31/12/2030"' in page and 'type="date"' not in page


def test_typo_suggestion_on_the_page(member_client, content):
    html = member_client.get("/cari?q=kinerjaa").get_data(as_text=True)
    assert "Maksud Anda" in html and "kinerja" in html


def test_live_fragment_lists_titles_for_htmx(client, content):
    response = client.get("/cari/saran?q=kinerja", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert "Cara menilai kinerja pegawai" in html and "Catatan" in html
    assert "Penilaian kinerja internal" not in html
    assert client.get("/cari/saran?q=k", headers={"HX-Request": "true"}).get_data(as_text=True).strip() == ""


# ---------------------------------------------------------------- JSON API


def test_api_needs_a_session_or_a_token(client, content):
    response = client.get("/api/search?q=kinerja")
    assert response.status_code == 401
    assert "token API" in response.get_json()["error"]["message"]


def test_api_with_session(member_client, content):
    body = member_client.get("/api/search?q=kinerja&type=note&per_page=5").get_json()
    assert body["query"] == "kinerja" and body["total"] == 2 and body["page"] == 1
    hit = body["hits"][0]
    assert set(hit) == {"type", "id", "title", "url", "snippet", "score", "created_at"}
    assert hit["type"] == "note" and hit["url"].startswith("http")
    assert body["suggestion"] is None


def test_api_with_token_then_revoked(client, make_user, content):
    user = make_user(Role.MEMBER)
    token, plain = services.create_token(user, "Skrip rekap")
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/search?q=kinerja", headers=headers).get_json()["total"] == 2
    assert db.session.get(ApiToken, token.id).token_hash != plain
    services.revoke_token(user, token.id)
    response = client.get("/api/search?q=kinerja", headers=headers)
    assert response.status_code == 401
    assert "dicabut" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("header", ["Bearer pks_salah", "Bearer ", "Basic dXNlcjpwdw==", "token"])
def test_api_refuses_bad_tokens(member_client, content, header):
    response = member_client.get("/api/search?q=kinerja", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["error"]["message"]


def test_api_token_of_a_deactivated_user_stops_working(client, make_user, content):
    user = make_user(Role.MEMBER)
    _token, plain = services.create_token(user, "Skrip")
    user.active = False
    db.session.commit()
    assert client.get("/api/search?q=kinerja", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("q=", 400, "Ketik kata"),
        ("q=kinerja&page=0", 400, "Nomor halaman"),
        ("q=kinerja&page=9", 404, "di luar jangkauan"),
        ("q=kinerja&per_page=500", 400, "per_page"),
        ("q=kinerja&type=forum", 400, "Jenis konten"),
    ],
)
def test_api_errors_are_json_with_a_message(member_client, content, query, status, message):
    response = member_client.get(f"/api/search?{query}")
    assert response.status_code == status
    assert message in response.get_json()["error"]["message"]


# ---------------------------------------------------------------- personal API tokens


def test_token_page_create_shows_the_token_once(member_client):
    response = member_client.post("/akun/token-api", data={"name": "Rekap bulanan"})
    html = response.get_data(as_text=True)
    token = db.session.query(ApiToken).one()
    assert response.status_code == 200 and "Salin sekarang" in html
    plain = html.split('user-select-all">')[1].split("<")[0]
    assert plain.startswith("pks_") and token.prefix == plain[:10] and plain not in token.token_hash
    assert "Salin sekarang" not in member_client.get("/akun/token-api").get_data(as_text=True)


def test_token_without_a_name_is_refused_and_nothing_written(member_client):
    response = member_client.post("/akun/token-api", data={"name": "  "})
    assert response.status_code == 400
    assert "Beri nama token" in response.get_data(as_text=True)
    assert db.session.query(ApiToken).count() == 0


def test_revoke_own_token_but_not_someone_elses(member_client, make_user):
    _mine, _plain = services.create_token(member_client.user, "Punya saya")
    theirs, _plain2 = services.create_token(make_user(Role.MEMBER), "Punya orang")
    response = member_client.post(f"/akun/token-api/{theirs.id}/cabut")
    assert response.status_code == 404
    assert db.session.get(ApiToken, theirs.id).revoked_at is None
    response = member_client.post(f"/akun/token-api/{_mine.id}/cabut", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Token dicabut" in response.get_data(as_text=True)
    assert services.list_tokens(member_client.user) == []


def test_profile_shows_the_token_section_only_to_its_owner(member_client, make_user):
    own = member_client.get(f"/pegawai/{member_client.user.id}").get_data(as_text=True)
    assert "/akun/token-api" in own
    other = make_user(Role.MEMBER)
    assert "/akun/token-api" not in member_client.get(f"/pegawai/{other.id}").get_data(as_text=True)


def test_the_query_words_are_highlighted_in_result_titles(client, content):
    html = client.get("/cari?q=menilai+kinerja").get_data(as_text=True)
    assert "Cara <mark>menilai</mark> <mark>kinerja</mark> pegawai</a></h3>" in html


def test_a_title_is_escaped_around_its_highlights(client, note_type):
    note_type.add_note("<b>Kinerja</b> & disiplin", "Isi catatan.", public=True)
    services.apply_outbox()
    html = client.get("/cari?q=kinerja").get_data(as_text=True)
    assert "&lt;b&gt;<mark>Kinerja</mark>&lt;/b&gt; &amp; disiplin</a></h3>" in html
