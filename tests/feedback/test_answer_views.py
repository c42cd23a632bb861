"""The answering pages as respondents meet them: "Evaluasi", the answer page (every kind, errors next to the
question, typed answers kept, drafts), once-only, the thank-you page with the score and the certificate, and the
certificate refused until the evaluation is in."""

# ruff: noqa: F811 - pytest fixtures imported from answering_setup are parameters of the tests
from __future__ import annotations

import re
from html import unescape

from portal.core.permissions import Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import (
    FollowUpRequest,
    FollowUpRole,
    FormAudience,
    FormPurpose,
    FormSection,
    FormStatus,
    QuestionKind,
)
from portal.feedback.services import scale_labels
from portal.workshops import services as workshops
from tests.conftest import login
from tests.feedback.answering_setup import (  # noqa: F401 - fixtures
    EVERY_KIND,
    attend,
    catalogue,
    counts,
    development_types,
    evaluation,
    every_kind_answers,
    make_workshop,
    organizer,
    participant,
    past_workshop,
    session_times,
    survey,
)
from tests.feedback.factories import Q, make_form

ALREADY = "Anda sudah mengisi formulir ini."


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _page(html: str) -> str:
    """The page without its header and footer (the header lists sections whose names could match)."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


# ---------------------------------------------------------------- the landing page


def test_evaluasi_lists_what_to_fill_in_and_what_was_filled_in(app, participant, evaluation, survey):
    client = _client(app, participant)
    page = _page(_text(client.get("/evaluasi")))
    assert "Perlu diisi" in page and "Sudah diisi" in page
    assert f'href="/evaluasi/{evaluation.id}/isi"' in page
    assert f'href="/evaluasi/{survey.id}/isi"' in page
    assert "Anda belum mengisi evaluasi atau survei apa pun." in page

    client.post(f"/evaluasi/{evaluation.id}/isi", data=every_kind_answers(evaluation))
    page = _page(_text(client.get("/evaluasi")))
    assert f'href="/evaluasi/{evaluation.id}/isi"' not in page
    assert f'href="/evaluasi/{evaluation.id}/selesai"' in page


def test_organizers_find_the_form_builder_from_evaluasi(app, make_user, organizer_client, member_client):
    assert "feedback.manage" in app.view_functions
    assert 'href="/evaluasi/kelola"' in _page(_text(organizer_client.get("/evaluasi")))
    assert 'href="/evaluasi/kelola"' not in _page(_text(member_client.get("/evaluasi")))


def test_evaluasi_needs_a_sign_in(client):
    response = client.get("/evaluasi")
    assert response.status_code == 302 and "/masuk" in response.location


# ---------------------------------------------------------------- the answer page


def test_the_answer_page_shows_every_kind_accessibly(app, participant, evaluation):
    html = _text(_client(app, participant).get(f"/evaluasi/{evaluation.id}/isi"))
    likert, grid, single, multiple, number, short, long = evaluation.questions

    for value, label in enumerate(scale_labels(likert.scale), start=1):
        assert f'name="q{likert.id}" id="q{likert.id}-{value}" value="{value}"' in html
        assert label in html
    assert html.count(f'name="q{likert.id}"') == 5
    for item in grid.options:
        assert html.count(f'name="q{grid.id}_{item.id}"') == 5
        assert f'<legend class="fb-grid-label">{item.label}</legend>' in html
    assert html.count(f'type="radio" name="q{single.id}"') == 2
    assert html.count(f'type="checkbox" name="q{multiple.id}"') == 3
    assert f'inputmode="decimal" id="q{number.id}"' in html
    assert "Angka antara 0 dan 40." in html
    assert 'maxlength="300"' in html and f'<textarea class="form-control" id="q{long.id}"' in html
    assert f'<p id="q{long.id}-help" class="form-text mt-0">Tulis saran Anda.</p>' in html
    assert f'aria-describedby="q{long.id}-help"' in html
    assert html.count('<span class="visually-hidden">(wajib)</span>') == 5  # the two texts are optional
    assert "<fieldset" in html and "<legend" in html
    assert "Simpan dulu" in html and "Kirim jawaban" in html
    assert 'style="' not in html


def test_sections_are_headings(app, make_user, organizer):
    form = make_form(organizer, [Q(QuestionKind.LIKERT, "Materi jelas")], audience=FormAudience.ALL_ASN)
    section = FormSection(form_id=form.id, title="Materi", position=0)
    db.session.add(section)
    db.session.flush()
    form.questions[0].section_id = section.id
    db.session.commit()
    html = _text(_client(app, make_user()).get(f"/evaluasi/{form.id}/isi"))
    assert f'<h2 class="h5 fb-section-title" id="bagian-{section.id}">Materi</h2>' in html


def test_bad_answers_are_shown_next_to_their_question_and_what_was_typed_is_kept(app, participant, evaluation):
    likert, grid, single, multiple, number, short, long = evaluation.questions
    data = every_kind_answers(evaluation, **{f"q{likert.id}": None, f"q{number.id}": "99"})
    data[f"q{long.id}"] = "Ruang <b>panas</b>, tambah kipas."

    response = _client(app, participant).post(f"/evaluasi/{evaluation.id}/isi", data=data)

    html = _text(response)
    assert response.status_code == 400
    assert "Periksa kembali jawaban yang ditandai: 2 pertanyaan." in html
    assert (
        f'<div id="q{likert.id}-error" class="invalid-feedback d-block fw-semibold">Pertanyaan ini wajib dijawab.</div>'
        in html
    )
    assert (
        f'<div id="q{number.id}-error" class="invalid-feedback d-block fw-semibold">Isi angka antara 0 dan 40.</div>'
        in html
    )
    assert 'value="99"' in html
    assert "Ruang &lt;b&gt;panas&lt;/b&gt;, tambah kipas." in response.get_data(as_text=True)  # kept, escaped
    assert f'value="{single.options[1].id}" checked' in html
    assert f'id="q{grid.id}_{grid.options[0].id}-5" value="5" checked' in html
    assert counts() == {"responses": 0, "answers": 0, "respondents": 0, "drafts": 0}


def test_a_valid_answer_thanks_and_then_refuses_a_second_time(app, participant, evaluation):
    client = _client(app, participant)
    response = client.post(f"/evaluasi/{evaluation.id}/isi", data=every_kind_answers(evaluation))
    assert response.status_code == 302 and response.location.endswith(f"/evaluasi/{evaluation.id}/selesai")
    page = _text(client.get(response.location))
    assert "Terima kasih, jawaban Anda sudah terkirim." in page
    assert f'Jawaban Anda untuk "{evaluation.title}" sudah kami terima.' in page

    again = client.get(f"/evaluasi/{evaluation.id}/isi")
    assert again.status_code == 302 and again.location.endswith(f"/evaluasi/{evaluation.id}/selesai")
    assert ALREADY in _text(client.get(again.location))
    second = client.post(f"/evaluasi/{evaluation.id}/isi", data=every_kind_answers(evaluation))
    assert second.status_code == 302
    assert counts() == {"responses": 1, "answers": 9, "respondents": 1, "drafts": 0}


def test_two_sessions_of_one_person_store_one_answer(app, participant, evaluation):
    phone, laptop = _client(app, participant), _client(app, participant)
    phone.get(f"/evaluasi/{evaluation.id}/isi")
    laptop.get(f"/evaluasi/{evaluation.id}/isi")
    assert phone.post(f"/evaluasi/{evaluation.id}/isi", data=every_kind_answers(evaluation)).status_code == 302
    late = laptop.post(f"/evaluasi/{evaluation.id}/isi", data=every_kind_answers(evaluation), follow_redirects=True)
    assert ALREADY in _text(late)
    assert counts()["responses"] == 1


def test_draft_save_resume_and_discard(app, participant, evaluation):
    client = _client(app, participant)
    likert, _grid, _single, _multiple, number, _short, long = evaluation.questions
    saved = client.post(
        f"/evaluasi/{evaluation.id}/isi",
        data={"action": "draft", f"q{likert.id}": "2", f"q{number.id}": "dua", f"q{long.id}": "Separuh jalan"},
    )
    assert saved.status_code == 302 and saved.location.endswith(f"/evaluasi/{evaluation.id}/isi")

    html = _text(client.get(saved.location))
    assert "Isian Anda disimpan." in html
    assert "Melanjutkan isian yang Anda simpan" in html
    assert f'id="q{likert.id}-2" value="2" checked' in html
    assert 'value="dua"' in html and "Separuh jalan</textarea>" in html
    assert counts()["drafts"] == 1
    assert "Lanjutkan<span" in _text(client.get("/evaluasi"))

    assert client.post(f"/evaluasi/{evaluation.id}/isi/hapus-draf").status_code == 302
    assert counts()["drafts"] == 0
    assert "Separuh jalan" not in _text(client.get(f"/evaluasi/{evaluation.id}/isi"))

    client.post(f"/evaluasi/{evaluation.id}/isi", data={"action": "draft", f"q{likert.id}": "3"})
    client.post(f"/evaluasi/{evaluation.id}/isi", data=every_kind_answers(evaluation))
    assert counts() == {"responses": 1, "answers": 9, "respondents": 1, "drafts": 0}


def test_people_who_may_not_answer_are_told_why(app, make_user, evaluation):
    response = _client(app, make_user()).get(f"/evaluasi/{evaluation.id}/isi")
    assert response.status_code == 403
    assert "Formulir ini untuk peserta yang telah menyelesaikan pelatihan ini." in _text(response)
    posted = _client(app, make_user()).post(f"/evaluasi/{evaluation.id}/isi", data=every_kind_answers(evaluation))
    assert posted.status_code == 403
    assert counts()["responses"] == 0


def test_closed_forms_say_so(app, participant, evaluation):
    evaluation.status = FormStatus.CLOSED
    db.session.commit()
    response = _client(app, participant).get(f"/evaluasi/{evaluation.id}/isi")
    assert response.status_code == 403
    assert "Formulir ini sudah ditutup dan tidak menerima jawaban lagi." in _text(response)


def test_draft_and_unknown_forms_are_not_found(app, make_user, organizer):
    draft = make_form(organizer, [Q(QuestionKind.LIKERT, "X")], audience=FormAudience.ALL_ASN, status=FormStatus.DRAFT)
    client = _client(app, make_user())
    assert client.get(f"/evaluasi/{draft.id}/isi").status_code == 404
    assert client.get("/evaluasi/999999/isi").status_code == 404
    assert client.get("/evaluasi/999999/selesai").status_code == 404


def test_the_thank_you_page_is_only_for_those_who_answered(app, make_user, survey):
    response = _client(app, make_user()).get(f"/evaluasi/{survey.id}/selesai")
    assert response.status_code == 302 and response.location.endswith(f"/evaluasi/{survey.id}/isi")


def test_a_signed_in_visit_to_a_public_form_goes_to_its_link(app, make_user, organizer):
    form = make_form(
        organizer, [Q(QuestionKind.LIKERT, "X")], audience=FormAudience.PUBLIC, public_token="tautan-publik-uji"
    )
    response = _client(app, make_user()).get(f"/evaluasi/{form.id}/isi")
    assert response.status_code == 302 and response.location.endswith("/survei/tautan-publik-uji")


# ---------------------------------------------------------------- tests and follow-ups


def test_the_participant_sees_the_post_test_score(app, organizer, past_workshop, participant):
    form = make_form(
        organizer,
        [
            Q(QuestionKind.SINGLE, "Asas", options=["Cepat", "Lambat"], correct=(0,), columns={"points": 2}),
            Q(QuestionKind.SINGLE, "Standar", options=["A", "B"], correct=(1,), columns={"points": 2}),
        ],
        purpose=FormPurpose.POST_TEST,
        workshop=past_workshop,
    )
    first, second = form.questions
    client = _client(app, participant)
    data = {f"q{first.id}": str(first.options[0].id), f"q{second.id}": str(second.options[0].id)}
    page = _text(client.post(f"/evaluasi/{form.id}/isi", data=data, follow_redirects=True))
    assert "Nilai Anda" in page
    assert re.search(r">\s*2 / 4\s*<", page)
    assert "50% benar" in page


def test_an_anonymous_test_shows_the_score_once_from_the_session(app, organizer, past_workshop, participant):
    form = make_form(
        organizer,
        [Q(QuestionKind.SINGLE, "Asas", options=["Cepat", "Lambat"], correct=(0,), columns={"points": 3})],
        purpose=FormPurpose.POST_TEST,
        workshop=past_workshop,
        anonymous=True,
    )
    question = form.questions[0]
    client = _client(app, participant)
    page = _text(
        client.post(
            f"/evaluasi/{form.id}/isi", data={f"q{question.id}": str(question.options[0].id)}, follow_redirects=True
        )
    )
    assert re.search(r">\s*3 / 3\s*<", page)
    assert "Nilai Anda" not in _text(_client(app, participant).get(f"/evaluasi/{form.id}/selesai"))  # nothing stored


def test_a_supervisor_answers_for_a_named_participant(app, make_user, organizer, past_workshop, participant):
    form = make_form(
        organizer,
        [Q(QuestionKind.LIKERT, "Perubahan kinerja")],
        purpose=FormPurpose.FOLLOWUP_SUPERVISOR,
        workshop=past_workshop,
    )
    boss = make_user(Role.MEMBER, name="Pak Kepala")
    db.session.add(
        FollowUpRequest(
            form_id=form.id,
            participant_id=participant.id,
            respondent_id=boss.id,
            role=FollowUpRole.SUPERVISOR,
            due_at=utcnow(),
        )
    )
    db.session.commit()
    client = _client(app, boss)
    assert f'href="/evaluasi/{form.id}/isi?untuk={participant.id}"' in _text(client.get("/evaluasi"))
    page = client.get(f"/evaluasi/{form.id}/isi?untuk={participant.id}")
    assert page.status_code == 200
    assert f"Anda mengisi sebagai atasan dari {participant.name}." in _text(page)
    assert client.get(f"/evaluasi/{form.id}/isi").status_code == 403
    assert client.get(f"/evaluasi/{form.id}/isi?untuk=999999").status_code == 404
    other = make_user(name="Bukan Bawahan")
    assert client.get(f"/evaluasi/{form.id}/isi?untuk={other.id}").status_code == 403

    name = f"q{form.questions[0].id}"
    done = client.post(f"/evaluasi/{form.id}/isi?untuk={participant.id}", data={name: "4"})
    assert done.status_code == 302
    assert client.get(f"/evaluasi/{form.id}/isi?untuk={participant.id}").status_code == 302
    assert counts()["respondents"] == 1


# ---------------------------------------------------------------- the certificate waits for the evaluation


def test_the_certificate_is_refused_until_the_evaluation_is_submitted(app, participant, evaluation):
    workshop_id = evaluation.workshop_id
    client = _client(app, participant)
    certificate = f"/pelatihan/{workshop_id}/sertifikat.pdf"

    refused = client.get(certificate)
    assert refused.status_code == 302
    box = _text(client.get(f"/pelatihan/{workshop_id}"))
    assert "Sertifikat terbuka setelah Anda mengisi evaluasi pelatihan." in box
    assert f'href="/evaluasi/{evaluation.id}/isi"' in box and "Isi evaluasi" in box
    assert f'href="{certificate}"' not in box

    thanks = _text(
        client.post(f"/evaluasi/{evaluation.id}/isi", data=every_kind_answers(evaluation), follow_redirects=True)
    )
    assert f'href="{certificate}"' in thanks
    downloaded = client.get(certificate)
    assert downloaded.status_code == 200 and downloaded.mimetype == "application/pdf"
    box = _text(client.get(f"/pelatihan/{workshop_id}"))
    assert f'href="{certificate}"' in box and "Isi evaluasi" not in box


def test_without_an_evaluation_form_the_certificate_comes_with_completion(app, past_workshop, participant):
    client = _client(app, participant)
    assert client.get(f"/pelatihan/{past_workshop.id}/sertifikat.pdf").status_code == 200
    assert "Isi evaluasi" not in _text(client.get(f"/pelatihan/{past_workshop.id}"))


def test_one_participants_evaluation_does_not_unlock_anothers_certificate(
    app, make_user, organizer, past_workshop, participant, evaluation
):
    other = make_user(name="Peserta Lain")
    attend(organizer, past_workshop, other)
    _client(app, other).post(f"/evaluasi/{evaluation.id}/isi", data=every_kind_answers(evaluation))
    assert workshops.certificate_unlocked(workshops.registration_of(other, past_workshop.id))
    assert not workshops.certificate_unlocked(workshops.registration_of(participant, past_workshop.id))
