"""Authorization rows for answering feedback forms (format: see test_access_matrix.py).

The forms the needs create belong to a separate organizer. The member persona completed the workshop whose
evaluation the needs open, so only they may answer it; nobody else is a participant (not even admins: answering
is for respondents, managing is elsewhere). The unit survey is for the main unit, so the other unit's member is
refused. Public survey links need no sign-in; their posts are CSRF-protected like every other post.
"""

from datetime import UTC, datetime, timedelta

from portal.core.permissions import Role
from portal.extensions import db
from portal.feedback.models import FormAudience, FormPurpose, FormStatus, QuestionKind
from portal.feedback.services import answering
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code
from portal.workshops import services as workshops
from portal.workshops.services import SessionInput, WorkshopInput
from tests.feedback.factories import Q, make_form

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")
QUESTIONS = [Q(QuestionKind.LIKERT, "Penyelenggaraan pelatihan")]


def _outcomes(anonymous, signed_in, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


def _completed_evaluation(ctx):
    """An open evaluation of a finished workshop the member completed."""
    upsert_development_types()
    owner = ctx.make_user(Role.ORGANIZER)
    start = datetime.now(UTC) - timedelta(days=2)
    workshop = workshops.create(
        owner,
        WorkshopInput(
            title="Pelatihan Pelayanan Prima",
            development_type_id=get_development_type_by_code("KL03").id,
            provider_name="BKPSDM",
            sessions=[SessionInput(start, start + timedelta(hours=3))],
            capacity=30,
        ),
    )
    workshops.publish(owner, workshop)
    workshop = workshops.get(workshop.id)
    registration = workshops.add_participant(owner, workshop, ctx.member.nip)
    workshops.set_attendance(owner, workshop, registration.id, workshop.sessions[0].id, True)
    return owner, make_form(owner, QUESTIONS, workshop=workshop)


def _evaluation_need(ctx):
    return {"eval_form_id": _completed_evaluation(ctx)[1].id}


def _answered_need(ctx):
    _owner, form = _completed_evaluation(ctx)
    answering.submit(ctx.member, form, {f"q{form.questions[0].id}": "4"})
    return {"answered_form_id": form.id}


def _unit_survey_need(ctx):
    form = make_form(ctx.make_user(Role.ORGANIZER), QUESTIONS, purpose=FormPurpose.SURVEY, audience=FormAudience.UNITS)
    form.units.append(ctx.unit)
    db.session.commit()
    return {"unit_survey_id": form.id}


def _draft_form_need(ctx):
    owner = ctx.make_user(Role.ORGANIZER)
    form = make_form(owner, QUESTIONS, audience=FormAudience.ALL_ASN, status=FormStatus.DRAFT)
    return {"draft_form_id": form.id}


def _public_need(ctx):
    owner = ctx.make_user(Role.ORGANIZER)
    token = "tautan-survei-publik-uji-matriks"
    make_form(owner, QUESTIONS, purpose=FormPurpose.SURVEY, audience=FormAudience.PUBLIC, public_token=token)
    return {"public_token": token}


NEEDS = {
    "fb_evaluation": _evaluation_need,
    "fb_answered": _answered_need,
    "fb_unit_survey": _unit_survey_need,
    "fb_draft_form": _draft_form_need,
    "fb_public": _public_need,
}

PARTICIPANT_ONLY = _outcomes("login", 403, member=200)


def _row(endpoint, method, path, expect, *needs, data=None):
    row = {"endpoint": endpoint, "method": method, "path": path, "expect": expect}
    if needs:
        row["needs"] = list(needs)
    if data:
        row["data"] = data
    return row


E = "/evaluasi/{eval_form_id}"
ROUTES = [
    _row("feedback.index", "GET", "/evaluasi", _outcomes("login", 200), "fb_evaluation"),
    _row("feedback.answer", "GET", E + "/isi", PARTICIPANT_ONLY, "fb_evaluation"),
    _row("feedback.answer", "POST", E + "/isi", _outcomes("login", 403, member="ok"), "fb_evaluation"),
    _row(
        "feedback.answer",
        "POST",
        E + "/isi",
        _outcomes("login", 403, member="redirect"),
        "fb_evaluation",
        data={"action": "draft"},
    ),  # fmt: skip
    _row("feedback.answer", "GET", "/evaluasi/{draft_form_id}/isi", _outcomes("login", 404), "fb_draft_form"),
    _row(
        "feedback.answer",
        "GET",
        "/evaluasi/{unit_survey_id}/isi",
        _outcomes("login", 200, other_unit_member=403),
        "fb_unit_survey",
    ),  # fmt: skip
    _row("feedback.discard_draft", "POST", E + "/isi/hapus-draf", _outcomes("login", "redirect"), "fb_evaluation"),
    _row(
        "feedback.discard_draft",
        "POST",
        "/evaluasi/{draft_form_id}/isi/hapus-draf",
        _outcomes("login", 404),
        "fb_draft_form",
    ),  # fmt: skip
    _row(
        "feedback.thanks",
        "GET",
        "/evaluasi/{answered_form_id}/selesai",
        _outcomes("login", "redirect", member=200),
        "fb_answered",
    ),  # fmt: skip
    _row("feedback.public", "GET", "/survei/{public_token}", _outcomes(200, 200), "fb_public"),
    _row("feedback.public", "POST", "/survei/{public_token}", _outcomes("ok", "ok"), "fb_public"),
    _row("feedback.public", "GET", "/survei/token-palsu", _outcomes(404, 404)),
    _row("feedback.technical_options", "GET", "/evaluasi/kompetensi-teknis", _outcomes(200, 200)),
    _row("feedback.public_thanks", "GET", "/survei/{public_token}/terima-kasih", _outcomes(200, 200), "fb_public"),
    _row("feedback.public_thanks", "GET", "/survei/token-palsu/terima-kasih", _outcomes(404, 404)),
]
