"""The page at ``/`` for each kind of visitor: what they see and that every item is one click away."""

from __future__ import annotations

from portal.core.permissions import Role
from portal.extensions import db
from portal.forums import services as forums
from portal.learning.services import local_today
from portal.units.models import UnitHead
from portal.workshops import services as workshops
from portal.workshops.models import ApprovalMode
from tests.conftest import login
from tests.home.builders import completed, evaluation
from tests.learning.profile_helpers import add_record, add_workshop


def test_anonymous_visitors_get_the_public_landing_page(client, workshop):
    page = client.get("/").get_data(as_text=True)
    assert "Daftar dengan NIP" in page
    assert "Pelatihan mendatang" in page
    assert f'href="/pelatihan/{workshop.id}"' in page
    assert "Sesi saya berikutnya" not in page


def test_a_member_reaches_their_next_session_and_evaluation_in_one_click(
    app, make_user, organizer, workshop, catalogue
):
    member = make_user(name="Rina Anggota")
    workshops.register(member, workshop.id)
    done = add_workshop(organizer, [catalogue["M.01"]], days_ahead=40, title="Integritas ASN")
    completed(done, member)
    form = evaluation(organizer, done, title="Evaluasi Integritas ASN")
    client = login(app.test_client(), member)

    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Selamat datang kembali, Rina Anggota" in page
    assert f'href="/pelatihan/{workshop.id}"' in page and "Aula" in page
    assert f'href="/evaluasi/{form.id}/isi"' in page
    assert "Kurang" in page  # JP still missing against the target
    assert "Pekerjaan menunggu" not in page and "Tim saya" not in page
    assert client.get(f"/evaluasi/{form.id}/isi").status_code == 200


def test_a_supervisor_sees_the_team_below_target(login_as, make_user):
    client = login_as(Role.MEMBER)
    make_user(supervisor_id=client.user.id)
    page = client.get("/").get_data(as_text=True)
    assert "Bawahan di bawah target JP: 1 dari 1" in page
    assert 'href="/tim?hubungan=bawahan"' in page


def test_a_unit_head_sees_the_units_figure(login_as, make_user, unit):
    client = login_as(Role.MEMBER)
    db.session.add(UnitHead(unit_id=unit.id, user_id=client.user.id))
    db.session.commit()
    add_record(make_user(), 40, local_today())
    make_user()
    page = client.get("/").get_data(as_text=True)
    assert "Pegawai unit di bawah target JP: 1 dari 2" in page
    assert 'href="/tim?hubungan=unit"' in page


def test_an_organizer_sees_pending_registrations(app, organizer, make_user, workshop):
    workshop.approval_mode = ApprovalMode.ORGANIZER
    db.session.commit()
    workshops.register(make_user(), workshop.id)
    page = login(app.test_client(), organizer).get("/").get_data(as_text=True)
    assert "Pekerjaan menunggu" in page
    pending = 'href="/pelatihan/kelola">Pendaftaran menunggu persetujuan</a> <span class="badge text-bg-warning">1<'
    assert pending in page
    assert 'href="/evaluasi/program?tinjau=1"' in page


def test_a_moderator_sees_reports_and_the_review_queue(login_as, make_user):
    client = login_as(Role.MODERATOR)
    author = make_user()
    thread = forums.create_thread(author, forums.ensure_general_category(), "Topik uji", "Isi topik uji coba.")
    forums.report(make_user(), forums.post_by_number(thread, 1), "Isinya menyinggung rekan kerja.")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/forum/moderasi">Laporan forum terbuka</a> <span class="badge text-bg-warning">1<' in page
    assert 'href="/artikel/tinjauan"' in page
    assert "Pendaftaran menunggu persetujuan" not in page


def test_an_admin_sees_every_queue(admin_client):
    page = admin_client.get("/").get_data(as_text=True)
    for link in ("/artikel/tinjauan", "/forum/moderasi", "/pelatihan/kelola", "/evaluasi/program?tinjau=1"):
        assert f'href="{link}"' in page
    assert 'href="/rekam-jejak/verifikasi">Klaim JP menunggu verifikasi</a>' in page


def test_empty_sections_say_so(member_client):
    page = member_client.get("/").get_data(as_text=True)
    assert "Tidak ada sesi terjadwal." in page
    assert "Tidak ada yang perlu Anda isi atau selesaikan." in page


def test_english(member_client):
    member_client.post("/bahasa", data={"locale": "en"})
    page = member_client.get("/").get_data(as_text=True)
    assert "No sessions scheduled." in page
