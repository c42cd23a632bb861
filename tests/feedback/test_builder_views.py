"""The builder pages per role, bad input (400, nothing saved), htmx reordering, and the workshop's forms page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.core.permissions import Role
from portal.extensions import db
from portal.feedback import services
from portal.feedback.models import FeedbackForm, FormAudience, FormPurpose, FormStatus, Question, QuestionKind
from portal.feedback.services import FormInput, library
from tests.feedback.builder_support import choice, likert, make_workshop
from tests.feedback.factories import make_response


@pytest.fixture
def organizer_form(organizer_client):
    form = services.create_form(organizer_client.user, FormInput(title="Survei Layanan Kepegawaian"))
    services.add_question(organizer_client.user, form, likert("Pertanyaan pertama"))
    services.add_question(organizer_client.user, form, likert("Pertanyaan kedua"))
    return form


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def body(response) -> str:
    return response.get_data(as_text=True)


def base(form) -> str:
    return f"/evaluasi/kelola/{form.id}"


# ---------------------------------------------------------------- who sees what


def test_anonymous_is_sent_to_login(client):
    response = client.get("/evaluasi/kelola")
    assert response.status_code == 302
    assert "/masuk" in response.location


def test_members_are_refused(member_client, organizer_form):
    assert member_client.get("/evaluasi/kelola").status_code == 403
    assert member_client.get(base(organizer_form)).status_code == 403
    assert member_client.post("/evaluasi/kelola/baru", data={"title": "Survei saya"}).status_code == 403
    assert count(FeedbackForm) == 1


def test_organizer_lists_own_forms_only(organizer_client, login_as, organizer_form):
    other = login_as(Role.ORGANIZER)
    services.create_form(other.user, FormInput(title="Survei Dinas Pendidikan"))
    page = body(organizer_client.get("/evaluasi/kelola"))
    assert "Survei Layanan Kepegawaian" in page
    assert "Survei Dinas Pendidikan" not in page
    assert other.get(base(organizer_form)).status_code == 404
    assert other.post(f"{base(organizer_form)}/status/buka").status_code == 404
    assert organizer_form.status == FormStatus.DRAFT


def test_admin_manages_every_form(admin_client, organizer_form):
    assert "Survei Layanan Kepegawaian" in body(admin_client.get("/evaluasi/kelola"))
    page = admin_client.get(base(organizer_form))
    assert page.status_code == 200
    assert "Pertanyaan kedua" in body(page)
    response = admin_client.post(f"{base(organizer_form)}/status/buka")
    assert response.status_code == 302
    assert organizer_form.status == FormStatus.OPEN


def test_list_filters(organizer_client, organizer_form):
    services.publish(organizer_client.user, organizer_form)
    services.create_form(organizer_client.user, FormInput(title="Draf kedua"))
    page = body(organizer_client.get("/evaluasi/kelola?status=open"))
    assert "Survei Layanan Kepegawaian" in page and "Draf kedua" not in page
    page = body(organizer_client.get("/evaluasi/kelola?status=palsu&kegunaan=survey"))
    assert "Survei Layanan Kepegawaian" in page and "Draf kedua" in page


# ---------------------------------------------------------------- creating and settings


def test_create_form_page_and_post(organizer_client):
    page = body(organizer_client.get("/evaluasi/kelola/baru"))
    assert "Evaluasi pelatihan standar (L1)" in page
    response = organizer_client.post(
        "/evaluasi/kelola/baru",
        data={"title": "Survei Kebutuhan 2027", "purpose": "needs_survey", "audience": "all_asn", "is_anonymous": "y"},
    )
    form = db.session.scalar(select(FeedbackForm))
    assert response.status_code == 302
    assert response.location.endswith(f"/evaluasi/kelola/{form.id}")
    assert (form.purpose, form.audience, form.is_anonymous) == (FormPurpose.NEEDS_SURVEY, FormAudience.ALL_ASN, True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "ab", "purpose": "survey", "audience": "all_asn"}, "Judul wajib diisi, 3-200 karakter."),
        (
            {"title": "Survei", "purpose": "survey", "audience": "units", "units": ["999999"]},
            "Unit kerja tidak ditemukan.",
        ),
        (
            {
                "title": "Survei",
                "purpose": "survey",
                "audience": "all_asn",
                "opens_at": "2026-05-02T08:00",
                "closes_at": "2026-05-01T08:00",
            },
            "Tanggal tutup harus setelah tanggal buka.",
        ),
        ({"title": "", "purpose": "survey"}, "Judul wajib diisi."),
    ],
)
def test_create_form_bad_input(organizer_client, data, message):
    response = organizer_client.post("/evaluasi/kelola/baru", data=data)
    assert response.status_code == 400
    assert message in body(response)
    assert count(FeedbackForm) == 0


def test_edit_settings(organizer_client, organizer_form):
    page = body(organizer_client.get(f"{base(organizer_form)}/pengaturan"))
    assert 'value="Survei Layanan Kepegawaian"' in page
    response = organizer_client.post(
        f"{base(organizer_form)}/pengaturan",
        data={"title": "Survei Publik Layanan", "purpose": "survey", "audience": "public"},
    )
    assert response.status_code == 302
    assert (organizer_form.title, organizer_form.audience, organizer_form.is_anonymous) == (
        "Survei Publik Layanan",
        FormAudience.PUBLIC,
        True,
    )
    bad = organizer_client.post(f"{base(organizer_form)}/pengaturan", data={"title": "x", "purpose": "survey"})
    assert bad.status_code == 400
    db.session.refresh(organizer_form)
    assert organizer_form.title == "Survei Publik Layanan"


def test_settings_of_an_answered_form_say_what_is_fixed(organizer_client, organizer_form, make_user):
    services.publish(organizer_client.user, organizer_form)
    make_response(organizer_form, make_user(), {0: 4, 1: 5})
    page = body(organizer_client.get(f"{base(organizer_form)}/pengaturan"))
    assert "tidak dapat diubah lagi" in page
    builder = body(organizer_client.get(base(organizer_form)))
    assert "sudah dijawab 1 kali" in builder
    assert "/hapus" not in builder.split('id="fb-questions"')[1]  # no delete buttons for questions


def test_public_survey_shows_its_full_link(organizer_client, organizer_form):
    data = services.settings_input(organizer_form)
    data.audience = "public"
    services.update_settings(organizer_client.user, organizer_form, data)
    assert "Tautan dibuat saat formulir dibuka." in body(organizer_client.get(base(organizer_form)))
    services.publish(organizer_client.user, organizer_form)
    page = body(organizer_client.get(base(organizer_form)))
    assert f'value="http://localhost/survei/{organizer_form.public_token}"' in page
    old = organizer_form.public_token
    assert organizer_client.post(f"{base(organizer_form)}/tautan-baru").status_code == 302
    assert organizer_form.public_token != old


# ---------------------------------------------------------------- questions


def test_add_question_page_for_every_kind(organizer_client, organizer_form):
    for kind in QuestionKind:
        response = organizer_client.get(f"{base(organizer_form)}/pertanyaan/baru?jenis={kind.value}")
        assert response.status_code == 200
        assert f'<option selected value="{kind.value}">' in body(response)


def test_option_rows_leave_room_for_more(organizer_client, organizer_form):
    page = body(organizer_client.get(f"{base(organizer_form)}/pertanyaan/baru?jenis=single"))
    assert 'name="options-4-label"' in page and 'name="options-5-label"' not in page
    question = services.add_question(
        organizer_client.user, organizer_form, choice(options=[services.OptionInput(str(n)) for n in range(4)])
    )
    page = body(organizer_client.get(f"{base(organizer_form)}/pertanyaan/{question.id}"))
    assert 'name="options-6-label"' in page and 'name="options-7-label"' not in page  # 4 filled, 3 blank


def test_add_single_choice_with_options(organizer_client, organizer_form):
    response = organizer_client.post(
        f"{base(organizer_form)}/pertanyaan/baru",
        data={
            "kind": "single",
            "label": "Nilai dasar ASN disebut …",
            "required": "y",
            "section_id": "0",
            "points": "25",
            "options-0-label": "BerAKHLAK",
            "options-0-is_correct": "y",
            "options-1-label": "SIGAP",
            "options-2-label": "",
        },
    )
    assert response.status_code == 302
    question = services.questions_in_order(organizer_form)[-1]
    assert response.location.endswith(f"#q{question.id}")
    assert (question.kind, question.points, question.required) == (QuestionKind.SINGLE, 25, True)
    assert [(o.label, o.is_correct) for o in question.options] == [("BerAKHLAK", True), ("SIGAP", False)]


def test_add_and_another_returns_to_the_same_kind(organizer_client, organizer_form):
    response = organizer_client.post(
        f"{base(organizer_form)}/pertanyaan/baru",
        data={"kind": "long_text", "label": "Saran", "section_id": "0", "next": "another"},
    )
    assert "jenis=long_text" in response.location
    assert not services.questions_in_order(organizer_form)[-1].required  # unchecked box: optional


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "single", "label": "Pilih", "options-0-label": "Ya"}, "paling sedikit dua pilihan"),
        ({"kind": "likert", "label": "", "scale": "quality"}, "Teks pertanyaan wajib diisi."),
        ({"kind": "number", "label": "Umur", "min_value": "60", "max_value": "18"}, "Nilai terkecil tidak boleh"),
        ({"kind": "likert", "label": "Skala", "scale": "bintang"}, "Pilih skala jawaban."),
    ],
)
def test_add_question_bad_input_saves_nothing(organizer_client, organizer_form, data, message):
    response = organizer_client.post(f"{base(organizer_form)}/pertanyaan/baru", data={"section_id": "0", **data})
    assert response.status_code == 400
    assert message in body(response)
    assert count(Question) == 2


def test_edit_question(organizer_client, organizer_form):
    question = services.questions_in_order(organizer_form)[0]
    page = body(organizer_client.get(f"{base(organizer_form)}/pertanyaan/{question.id}"))
    assert "Pertanyaan pertama" in page
    response = organizer_client.post(
        f"{base(organizer_form)}/pertanyaan/{question.id}",
        data={"kind": "likert", "label": "Pertanyaan pertama, diperbaiki", "scale": "quality", "section_id": "0"},
    )
    assert response.status_code == 302
    assert (question.label, question.scale.value) == ("Pertanyaan pertama, diperbaiki", "quality")


def test_edit_question_of_an_answered_form(organizer_client, make_user):
    form = services.create_form(organizer_client.user, FormInput(title="Pre-test"))
    question = services.add_question(organizer_client.user, form, choice())
    services.publish(organizer_client.user, form)
    make_response(form, make_user(), {0: 0})
    url = f"{base(form)}/pertanyaan/{question.id}"
    page = body(organizer_client.get(url))
    assert "Formulir ini sudah dijawab" in page
    assert 'name="options-2-label"' not in page  # no rows for new options
    changed = organizer_client.post(
        url,
        data={"kind": "multiple", "label": "Nilai dasar", "options-0-label": "BerAKHLAK", "options-1-label": "SIGAP"},
    )
    assert changed.status_code == 400
    assert question.kind == QuestionKind.SINGLE
    wording = organizer_client.post(
        url,
        data={
            "kind": "single",
            "label": "Nilai dasar ASN saat ini disebut …",
            "required": "y",
            "points": "1",
            "options-0-label": "BerAKHLAK",
            "options-0-is_correct": "y",
            "options-1-label": "SIGAP",
        },
    )
    assert wording.status_code == 302
    assert question.label == "Nilai dasar ASN saat ini disebut …"


def test_delete_question(organizer_client, organizer_form):
    question = services.questions_in_order(organizer_form)[0]
    response = organizer_client.post(f"{base(organizer_form)}/pertanyaan/{question.id}/hapus")
    assert response.status_code == 302
    assert [q.label for q in services.questions_in_order(organizer_form)] == ["Pertanyaan kedua"]


def test_question_of_another_form_is_missing(organizer_client, organizer_form):
    other = services.create_form(organizer_client.user, FormInput(title="Survei lain"))
    question = services.questions_in_order(organizer_form)[0]
    assert organizer_client.get(f"{base(other)}/pertanyaan/{question.id}").status_code == 404
    assert organizer_client.post(f"{base(other)}/pertanyaan/{question.id}/hapus").status_code == 404
    assert count(Question) == 2


# ---------------------------------------------------------------- reordering


def test_htmx_move_returns_the_list_fragment(organizer_client, organizer_form):
    second = services.questions_in_order(organizer_form)[1]
    response = organizer_client.post(
        f"{base(organizer_form)}/pertanyaan/{second.id}/naik", headers={"HX-Request": "true"}
    )
    page = body(response)
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<div id="fb-questions">')
    assert 'data-fb-moved="naik"' in page
    assert "Pertanyaan dipindah ke nomor 1." in page
    assert page.index("Pertanyaan kedua") < page.index("Pertanyaan pertama")
    assert [q.label for q in services.questions_in_order(organizer_form)] == ["Pertanyaan kedua", "Pertanyaan pertama"]


def test_move_without_javascript_redirects_to_the_question(organizer_client, organizer_form):
    first = services.questions_in_order(organizer_form)[0]
    response = organizer_client.post(f"{base(organizer_form)}/pertanyaan/{first.id}/turun")
    assert response.status_code == 302
    assert response.location.endswith(f"{base(organizer_form)}#q{first.id}")
    assert [q.label for q in services.questions_in_order(organizer_form)] == ["Pertanyaan kedua", "Pertanyaan pertama"]


def test_builder_disables_moves_that_go_nowhere(organizer_client, organizer_form):
    page = body(organizer_client.get(base(organizer_form)))
    assert page.count("disabled>↑") == 1 and page.count("disabled>↓") == 1


# ---------------------------------------------------------------- sections


def test_sections_add_rename_delete(organizer_client, organizer_form):
    url = f"{base(organizer_form)}/bagian"
    assert organizer_client.post(url, data={"title": ""}).status_code == 400
    response = organizer_client.post(url, data={"title": "Materi", "description": "Tentang materi."})
    section = services.sections_in_order(organizer_form)[0]
    assert response.location.endswith(f"#bagian-{section.id}")
    assert organizer_client.post(f"{url}/{section.id}", data={"title": "Materi pelatihan"}).status_code == 302
    assert section.title == "Materi pelatihan"
    assert organizer_client.post(f"{url}/{section.id}", data={"title": " "}).status_code == 400
    assert section.title == "Materi pelatihan"
    assert organizer_client.post(f"{url}/{section.id}/hapus").status_code == 302
    assert services.sections_in_order(organizer_form) == []
    assert count(Question) == 2


# ---------------------------------------------------------------- preview, status, copy, delete


def test_preview_shows_the_questions_read_only(organizer_client, organizer_form):
    first = services.questions_in_order(organizer_form)[0]
    page = body(organizer_client.get(f"{base(organizer_form)}/pratinjau"))
    assert "Pertanyaan pertama" in page
    assert "Sangat Setuju" in page
    assert f'name="q{first.id}"' in page
    assert "disabled" in page
    assert 'method="post"' not in page.split('id="main"')[1]  # nothing to submit


def test_publish_with_problems_is_refused(organizer_client):
    form = services.create_form(organizer_client.user, FormInput(title="Survei kosong"))
    response = organizer_client.post(f"{base(form)}/status/buka", follow_redirects=True)
    assert "Tambahkan paling sedikit satu pertanyaan." in body(response)
    assert form.status == FormStatus.DRAFT


def test_close_and_reopen_views(organizer_client, organizer_form):
    for action, status in (("buka", FormStatus.OPEN), ("tutup", FormStatus.CLOSED), ("buka-lagi", FormStatus.OPEN)):
        assert organizer_client.post(f"{base(organizer_form)}/status/{action}").status_code == 302
        assert organizer_form.status == status


def test_duplicate_and_delete_views(organizer_client, organizer_form):
    response = organizer_client.post(f"{base(organizer_form)}/salin")
    copy = db.session.scalar(select(FeedbackForm).where(FeedbackForm.id != organizer_form.id))
    assert response.location.endswith(base(copy))
    assert [q.label for q in services.questions_in_order(copy)] == ["Pertanyaan pertama", "Pertanyaan kedua"]
    assert organizer_client.post(f"{base(copy)}/hapus").location.endswith("/evaluasi/kelola")
    assert count(FeedbackForm) == 1


# ---------------------------------------------------------------- a workshop's forms


def test_workshop_dashboard_offers_the_standard_evaluation(organizer_client):
    workshop = make_workshop(organizer_client.user, trainer_names="Budi Santoso")
    dashboard = body(organizer_client.get(f"/pelatihan/{workshop.id}/peserta"))
    assert "Pasang evaluasi standar" in dashboard
    response = organizer_client.post("/evaluasi/kelola/templat", data={"key": "evaluation", "workshop_id": workshop.id})
    form = services.evaluation_of(workshop.id) or services.forms_of_workshop(workshop.id)[0]
    assert response.location.endswith(base(form))
    assert (form.purpose, form.workshop_id) == (FormPurpose.EVALUATION, workshop.id)
    assert any(q.trainer_name == "Budi Santoso" for q in services.questions_in_order(form))
    dashboard = body(organizer_client.get(f"/pelatihan/{workshop.id}/peserta"))
    assert "Pasang evaluasi standar" not in dashboard
    assert form.title in dashboard


def test_workshop_forms_page_roles(organizer_client, login_as):
    workshop = make_workshop(organizer_client.user)
    url = f"/evaluasi/kelola/pelatihan/{workshop.id}"
    assert organizer_client.get(url).status_code == 200
    assert login_as(Role.ORGANIZER).get(url).status_code == 403
    assert login_as(Role.ADMIN).get(url).status_code == 200
    assert login_as(Role.MEMBER).get(url).status_code == 403
    other = login_as(Role.ORGANIZER)
    response = other.post("/evaluasi/kelola/templat", data={"key": "evaluation", "workshop_id": workshop.id})
    assert response.status_code == 403
    assert count(FeedbackForm) == 0


def test_attach_existing_form_from_the_workshop_page(organizer_client, organizer_form):
    workshop = make_workshop(organizer_client.user)
    url = f"/evaluasi/kelola/pelatihan/{workshop.id}"
    assert "Survei Layanan Kepegawaian" in body(organizer_client.get(url))
    bad = organizer_client.post(f"{url}/pasang", data={"form_id": organizer_form.id, "purpose": "needs_survey"})
    assert bad.status_code == 400
    assert "Pilih kegunaan formulir untuk pelatihan." in body(bad)
    assert organizer_form.workshop_id is None
    response = organizer_client.post(
        f"{url}/pasang", data={"form_id": organizer_form.id, "purpose": "followup_participant", "followup_days": "60"}
    )
    assert response.status_code == 302
    assert (organizer_form.workshop_id, organizer_form.purpose, organizer_form.followup_days) == (
        workshop.id,
        FormPurpose.FOLLOWUP_PARTICIPANT,
        60,
    )


def test_attach_someone_elses_form_is_refused(organizer_client, login_as):
    workshop = make_workshop(organizer_client.user)
    theirs = services.create_form(login_as(Role.ORGANIZER).user, FormInput(title="Survei orang lain"))
    response = organizer_client.post(
        f"/evaluasi/kelola/pelatihan/{workshop.id}/pasang", data={"form_id": theirs.id, "purpose": "evaluation"}
    )
    assert response.status_code == 400
    assert theirs.workshop_id is None


def test_template_gallery_creates_standalone_forms(organizer_client):
    response = organizer_client.post("/evaluasi/kelola/templat", data={"key": "needs_survey"})
    form = db.session.scalar(select(FeedbackForm))
    assert response.location.endswith(base(form))
    assert form.template_key == "needs_survey"
    unknown = organizer_client.post("/evaluasi/kelola/templat", data={"key": "kuis"}, follow_redirects=True)
    assert "Templat tidak dikenal." in body(unknown)
    assert count(FeedbackForm) == 1
    gallery = body(organizer_client.get("/evaluasi/kelola/baru"))
    assert all(f'name="key" value="{key}"' in gallery for key in library.TEMPLATES)
