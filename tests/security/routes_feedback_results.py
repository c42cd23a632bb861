"""Authorization rows for results, needs analysis and program review (format: see test_access_matrix.py).

Everything the needs create belongs to a separate organizer, so the organizer persona is *another* organizer:
a form's results answer 404 to them (someone else's private results), a workshop's evaluation summary and
someone else's program edits answer 403. Moderators see only text answers (and hide them); admins see all.
Needs analysis and program review are for organizers and admins (reading every program is allowed to both).
"""

from datetime import timedelta

from portal.core.permissions import Role
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import NeedLink
from portal.feedback.services import program_review
from portal.workshops.models import WorkshopStatus
from tests.feedback.factories import Q, make_form, make_response
from tests.feedback.results_support import LIKERT, SHORT, make_competency, make_workshop

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")


def _outcomes(anonymous, signed_in, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


def _form_need(ctx):
    owner = ctx.make_user(Role.ORGANIZER)
    workshop = make_workshop(owner)
    form = make_form(owner, [Q(LIKERT, "Penyelenggaraan"), Q(SHORT, "Saran")], workshop=workshop)
    response = make_response(form, ctx.make_user(), {0: 4, 1: "Bagus"})
    twin_workshop = make_workshop(owner, "Angkatan 2")
    twin = make_form(owner, [Q(LIKERT, "Penyelenggaraan")], workshop=twin_workshop, template_key="training_evaluation")
    form.template_key = "training_evaluation"
    db.session.commit()
    text = next(a for a in response.answers if a.value_text)
    return {
        "fb_form_id": form.id,
        "fb_twin_id": twin.id,
        "fb_text_question_id": form.questions[1].id,
        "fb_answer_id": text.id,
        "fb_workshop_id": workshop.id,
    }


def _need_link_need(ctx):
    owner = ctx.make_user(Role.ORGANIZER)
    competency = make_competency("T.01", "Analisis Data")
    planned = make_workshop(owner, starts_at=utcnow() + timedelta(days=10), status=WorkshopStatus.PUBLISHED)
    link = NeedLink(workshop_id=planned.id, competency_id=competency.id, created_by_id=owner.id)
    db.session.add(link)
    db.session.commit()
    return {"fb_need_link_id": link.id}


def _program_need(ctx):
    owner = ctx.make_user(Role.ORGANIZER)
    program = program_review.create_program(owner, program_review.ProgramInput("Pelayanan Prima"))
    workshop = make_workshop(owner)
    program_review.assign_workshop(owner, program, workshop.id)
    return {"fb_program_id": program.id, "fb_program_workshop_id": workshop.id}


NEEDS = {"fb_results_form": _form_need, "fb_need_link": _need_link_need, "fb_program": _program_need}

RESULTS = _outcomes("login", 404, admin="ok")
TEXTS = _outcomes("login", 404, moderator="ok", admin="ok")
MODERATORS = _outcomes("login", 403, moderator="ok", admin="ok")
ORGANIZERS = _outcomes("login", 403, organizer="ok", admin="ok")
OWNER_ONLY = _outcomes("login", 403, admin="ok")

ROUTES = [
    {
        "endpoint": "feedback.results_page",
        "method": "GET",
        "path": "/evaluasi/{fb_form_id}/hasil",
        "needs": ["fb_results_form"],
        "expect": TEXTS,
    },
    {
        "endpoint": "feedback.results_export",
        "method": "GET",
        "path": "/evaluasi/{fb_form_id}/hasil.csv",
        "needs": ["fb_results_form"],
        "expect": RESULTS,
    },
    {
        "endpoint": "feedback.results_answers_export",
        "method": "GET",
        "path": "/evaluasi/{fb_form_id}/jawaban.xlsx",
        "needs": ["fb_results_form"],
        "expect": RESULTS,
    },
    {
        "endpoint": "feedback.results_texts",
        "method": "GET",
        "path": "/evaluasi/{fb_form_id}/hasil/teks/{fb_text_question_id}",
        "needs": ["fb_results_form"],
        "expect": TEXTS,
    },
    {
        "endpoint": "feedback.results_hide",
        "method": "POST",
        "path": "/evaluasi/{fb_form_id}/hasil/jawaban/{fb_answer_id}/sembunyikan",
        "needs": ["fb_results_form"],
        "expect": TEXTS,
    },
    {
        "endpoint": "feedback.results_hide",
        "method": "POST",
        "path": "/evaluasi/{fb_form_id}/hasil/jawaban/{fb_answer_id}/tampilkan",
        "needs": ["fb_results_form"],
        "headers": {"HX-Request": "true"},
        "expect": TEXTS,
    },
    {
        "endpoint": "feedback.results_moderation",
        "method": "GET",
        "path": "/evaluasi/moderasi",
        "expect": MODERATORS,
    },
    {
        "endpoint": "feedback.results_compare",
        "method": "GET",
        "path": "/evaluasi/{fb_form_id}/bandingkan",
        "needs": ["fb_results_form"],
        "expect": _outcomes("login", 403, organizer=404, admin="ok"),
    },
    {
        "endpoint": "feedback.results_workshop",
        "method": "GET",
        "path": "/evaluasi/pelatihan/{fb_workshop_id}/ringkasan",
        "needs": ["fb_results_form"],
        "expect": OWNER_ONLY,
    },
    {"endpoint": "feedback.needs", "method": "GET", "path": "/kebutuhan-kompetensi", "expect": ORGANIZERS},
    {
        "endpoint": "feedback.needs_code",
        "method": "POST",
        "path": "/kebutuhan-kompetensi/tertulis/{fb_answer_id}",
        "needs": ["fb_results_form"],
        "expect": _outcomes("login", 403, admin="ok"),
    },
    {"endpoint": "feedback.needs_export", "method": "GET", "path": "/kebutuhan-kompetensi.csv", "expect": ORGANIZERS},
    {"endpoint": "feedback.needs_link", "method": "POST", "path": "/kebutuhan-kompetensi/tautan", "expect": ORGANIZERS},
    {
        "endpoint": "feedback.needs_unlink",
        "method": "POST",
        "path": "/kebutuhan-kompetensi/tautan/{fb_need_link_id}/hapus",
        "needs": ["fb_need_link"],
        "expect": OWNER_ONLY,
    },
    {"endpoint": "feedback.programs", "method": "GET", "path": "/evaluasi/program", "expect": ORGANIZERS},
    {"endpoint": "feedback.program_new", "method": "GET", "path": "/evaluasi/program/baru", "expect": ORGANIZERS},
    {"endpoint": "feedback.program_new", "method": "POST", "path": "/evaluasi/program/baru", "expect": ORGANIZERS},
    {
        "endpoint": "feedback.program",
        "method": "GET",
        "path": "/evaluasi/program/{fb_program_id}",
        "needs": ["fb_program"],
        "expect": ORGANIZERS,
    },
    {
        "endpoint": "feedback.program_edit",
        "method": "GET",
        "path": "/evaluasi/program/{fb_program_id}/ubah",
        "needs": ["fb_program"],
        "expect": OWNER_ONLY,
    },
    {
        "endpoint": "feedback.program_edit",
        "method": "POST",
        "path": "/evaluasi/program/{fb_program_id}/ubah",
        "needs": ["fb_program"],
        "expect": OWNER_ONLY,
    },
    {
        "endpoint": "feedback.program_assign",
        "method": "POST",
        "path": "/evaluasi/program/{fb_program_id}/pelatihan",
        "needs": ["fb_program"],
        "expect": OWNER_ONLY,
    },
    {
        "endpoint": "feedback.program_unassign",
        "method": "POST",
        "path": "/evaluasi/program/{fb_program_id}/pelatihan/{fb_program_workshop_id}/lepas",
        "needs": ["fb_program"],
        "expect": OWNER_ONLY,
    },
    {
        "endpoint": "feedback.program_review",
        "method": "POST",
        "path": "/evaluasi/program/{fb_program_id}/tinjauan",
        "needs": ["fb_program"],
        "expect": OWNER_ONLY,
    },
    *(
        {
            "endpoint": "feedback.program_evaluation",
            "method": method,
            "path": "/evaluasi/program/{fb_program_id}/evaluasi",
            "needs": ["fb_program"],
            "expect": OWNER_ONLY,
        }
        for method in ("GET", "POST")
    ),
]
