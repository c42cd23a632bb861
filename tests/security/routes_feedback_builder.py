"""Authorization rows for the feedback form builder (format: see test_access_matrix.py).

Building needs ``Permission.ORGANIZE`` (members and moderators: 403). The forms and workshops the needs create
belong to a separate organizer, so the organizer persona is *another* organizer: someone else's form answers 404
(it may be a private draft), someone else's workshop 403 (it is visible, just not theirs); admins manage all.
"""

from datetime import UTC, datetime, timedelta

from portal.core.permissions import Role
from portal.feedback import services
from portal.feedback.services import FormInput, OptionInput, QuestionInput
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code
from portal.workshops import services as workshops
from portal.workshops.services import SessionInput, WorkshopInput

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")


def _outcomes(anonymous, signed_in, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


def _workshop(owner):
    upsert_development_types()
    start = datetime.now(UTC) + timedelta(days=10)
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
    return workshop


def _form_need(ctx):
    owner = ctx.make_user(Role.ORGANIZER)
    workshop = _workshop(owner)
    form = services.create_form(
        owner, FormInput(title="Evaluasi Pelatihan", purpose="evaluation", workshop_id=workshop.id)
    )
    section = services.add_section(owner, form, "Materi")
    question = services.add_question(
        owner,
        form,
        QuestionInput(
            kind="single", label="Metode", section_id=section.id, options=[OptionInput("A"), OptionInput("B")]
        ),
    )
    services.add_question(owner, form, QuestionInput(kind="likert", label="Manfaat", scale="agreement"))
    return {"fb_form_id": form.id, "fb_section_id": section.id, "fb_question_id": question.id}


def _workshop_need(ctx):
    return {"fb_workshop_id": _workshop(ctx.make_user(Role.ORGANIZER)).id}


NEEDS = {"feedback_builder_form": _form_need, "feedback_builder_workshop": _workshop_need}

BUILDER_PAGE = _outcomes("login", 403, organizer=200, admin=200)
BUILDER_POST = _outcomes("login", 403, organizer="ok", admin="ok")
FORM_PAGE = _outcomes("login", 403, organizer=404, admin=200)
FORM_POST = _outcomes("login", 403, organizer=404, admin="ok")
FORM_ACTION = _outcomes("login", 403, organizer=404, admin="redirect")
WORKSHOP_PAGE = _outcomes("login", 403, admin=200)
WORKSHOP_POST = _outcomes("login", 403, admin="ok")
F = "/evaluasi/kelola/{fb_form_id}"
Q = F + "/pertanyaan/{fb_question_id}"
S = F + "/bagian/{fb_section_id}"
W = "/evaluasi/kelola/pelatihan/{fb_workshop_id}"
FORM, WORKSHOP = "feedback_builder_form", "feedback_builder_workshop"


def _row(endpoint, method, path, expect, *needs, data=None, headers=None):
    row = {"endpoint": endpoint, "method": method, "path": path, "expect": expect, "needs": list(needs)}
    if data:
        row["data"] = data
    if headers:
        row["headers"] = headers
    return row


ROUTES = [
    _row("feedback.manage", "GET", "/evaluasi/kelola", BUILDER_PAGE, FORM),
    _row("feedback.create_form", "GET", "/evaluasi/kelola/baru", BUILDER_PAGE),
    _row("feedback.create_form", "POST", "/evaluasi/kelola/baru", BUILDER_POST),
    _row("feedback.use_template", "POST", "/evaluasi/kelola/templat", BUILDER_POST, data={"key": "needs_survey"}),
    _row("feedback.builder", "GET", F, FORM_PAGE, FORM),
    _row("feedback.edit_settings", "GET", F + "/pengaturan", FORM_PAGE, FORM),
    _row("feedback.edit_settings", "POST", F + "/pengaturan", FORM_POST, FORM),
    _row("feedback.preview", "GET", F + "/pratinjau", FORM_PAGE, FORM),
    _row("feedback.change_status", "POST", F + "/status/buka", FORM_ACTION, FORM),
    _row("feedback.change_status", "POST", F + "/status/tutup", FORM_ACTION, FORM),
    _row("feedback.duplicate", "POST", F + "/salin", FORM_ACTION, FORM),
    _row("feedback.delete_form", "POST", F + "/hapus", FORM_ACTION, FORM),
    _row("feedback.renew_link", "POST", F + "/tautan-baru", FORM_ACTION, FORM),
    _row("feedback.add_section", "POST", F + "/bagian", FORM_POST, FORM),
    _row("feedback.edit_section", "POST", S, FORM_POST, FORM, data={"title": "Materi pelatihan"}),
    _row("feedback.delete_section", "POST", S + "/hapus", FORM_ACTION, FORM),
    _row("feedback.add_question", "GET", F + "/pertanyaan/baru", FORM_PAGE, FORM),
    _row("feedback.add_question", "POST", F + "/pertanyaan/baru", FORM_POST, FORM),
    _row("feedback.edit_question", "GET", Q, FORM_PAGE, FORM),
    _row("feedback.edit_question", "POST", Q, FORM_POST, FORM),
    _row("feedback.delete_question", "POST", Q + "/hapus", FORM_ACTION, FORM),
    _row("feedback.move_question", "POST", Q + "/turun", FORM_ACTION, FORM),
    _row(
        "feedback.move_question",
        "POST",
        Q + "/naik",
        _outcomes("login", 403, organizer=404, admin=200),
        FORM,
        headers={"HX-Request": "true"},
    ),
    _row("feedback.workshop_forms", "GET", W, WORKSHOP_PAGE, WORKSHOP),
    _row("feedback.attach", "POST", W + "/pasang", WORKSHOP_POST, WORKSHOP),
]
