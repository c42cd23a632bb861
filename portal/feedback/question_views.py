"""Form builder routes for a form's sections and questions (add, edit, delete, move), on the feedback blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal.accounts.current import current_user
from portal.competencies import services as competencies
from portal.core.forms import apply_error
from portal.core.htmx import is_htmx, redirect_to, render
from portal.core.inputs import int_arg
from portal.core.permissions import Permission, role_required
from portal.feedback import services
from portal.feedback.forms import QuestionForm, SectionForm
from portal.feedback.models import FeedbackForm, FormPurpose, Question, QuestionKind
from portal.feedback.services import FeedbackError, OptionInput, QuestionInput
from portal.feedback.views import (
    _builder_context,
    _builder_url,
    _enum_arg,
    _flash_error,
    _managed,
    _question_of,
    _status,
    bp,
)

BLANK_OPTION_ROWS, MIN_OPTION_ROWS = 3, 5  # empty option rows offered below the filled ones; rows at least


@bp.post("/evaluasi/kelola/<int:form_id>/bagian")
@role_required(Permission.ORGANIZE)
def add_section(form_id: int):
    form = _managed(form_id)
    section_form = SectionForm()
    if section_form.validate_on_submit():
        try:
            section = services.add_section(
                current_user, form, section_form.title.data or "", section_form.description.data or ""
            )
        except FeedbackError as error:
            apply_error(section_form, error)
        else:
            flash(_("Bagian ditambahkan."), "success")
            return redirect_to(_builder_url(form_id, f"bagian-{section.id}"))
    return render("feedback/builder/show.html", status=400, **_builder_context(form, section_form=section_form))


@bp.post("/evaluasi/kelola/<int:form_id>/bagian/<int:section_id>")
@role_required(Permission.ORGANIZE)
def edit_section(form_id: int, section_id: int):
    form = _managed(form_id)
    section = services.get_section(form, section_id) or abort(404)
    try:
        services.update_section(
            current_user, section, request.form.get("title", ""), request.form.get("description", "")
        )
    except FeedbackError as error:
        _flash_error(error)
        return render("feedback/builder/show.html", status=400, **_builder_context(form))
    flash(_("Bagian disimpan."), "success")
    return redirect_to(_builder_url(form_id, f"bagian-{section_id}"))


@bp.post("/evaluasi/kelola/<int:form_id>/bagian/<int:section_id>/hapus")
@role_required(Permission.ORGANIZE)
def delete_section(form_id: int, section_id: int):
    form = _managed(form_id)
    section = services.get_section(form, section_id) or abort(404)
    services.delete_section(current_user, section)
    flash(_("Bagian dihapus; pertanyaannya pindah ke bagian sebelumnya."), "success")
    return redirect_to(_builder_url(form_id))


# ---------------------------------------------------------------- questions


def _kind_arg() -> QuestionKind:
    return _enum_arg("jenis", QuestionKind) or QuestionKind.LIKERT


def _question_form(form: FeedbackForm, question: Question | None) -> QuestionForm:
    data = None
    if request.method == "GET":
        if question is not None:
            data = {
                "kind": question.kind.value,
                "label": question.label,
                "help_text": question.help_text,
                "required": question.required,
                "section_id": question.section_id or 0,
                "scale": question.scale.value if question.scale else "quality",
                "min_value": question.min_value,
                "max_value": question.max_value,
                "trainer_name": question.trainer_name,
                "points": question.points if question.kind in services.CHOICE_KINDS else None,
                "options": [
                    {
                        "label": o.label,
                        "is_correct": o.is_correct,
                        "competency": o.competency.code if o.competency else "",
                    }
                    for o in question.options
                ],
            }
        else:
            data = {
                "kind": _kind_arg().value,
                "section_id": int_arg("bagian", 0),
                "scale": "need" if form.purpose == FormPurpose.NEEDS_SURVEY else "quality",
                "required": True,
            }
    qform = QuestionForm(data=data)
    rows = min(services.MAX_OPTIONS, max(len(qform.options) + BLANK_OPTION_ROWS, MIN_OPTION_ROWS))
    while len(qform.options) < rows:
        qform.options.append_entry()
    competency_choices = [("", _("— tidak ada —")), *((c.code, str(c)) for c in competencies.list_active())]
    for entry in qform.options:
        entry.form.competency.choices = competency_choices
    qform.section_id.choices = [
        (0, _("— tanpa bagian (paling atas) —")),
        *((s.id, s.title) for s in services.sections_in_order(form)),
    ]
    return qform


def _question_input(qform: QuestionForm) -> QuestionInput:
    return QuestionInput(
        kind=qform.kind.data or "",
        label=qform.label.data or "",
        help_text=qform.help_text.data or "",
        required=bool(qform.required.data),
        scale=qform.scale.data or None,
        min_value=qform.min_value.data,
        max_value=qform.max_value.data,
        trainer_name=qform.trainer_name.data or "",
        points=qform.points.data,
        section_id=qform.section_id.data or None,
        options=[
            OptionInput(
                label=entry.form.label.data or "",
                is_correct=bool(entry.form.is_correct.data),
                competency_code=entry.form.competency.data or "",
            )
            for entry in qform.options
        ],
    )


def _show_question_error(qform: QuestionForm, error: FeedbackError) -> None:
    if error.field in (None, "options"):  # the option rows: shown above the form
        qform.form_errors.append(str(error.message))
    else:
        apply_error(qform, error)


def _question_page(form: FeedbackForm, qform: QuestionForm, question: Question | None):
    return render(
        "feedback/builder/question.html",
        status=_status(),
        form=form,
        qform=qform,
        question=question,
        locked=services.has_responses(form),
        option_kinds=[k.value for k in services.OPTION_KINDS],
        choice_kinds=[k.value for k in services.CHOICE_KINDS],
        scale_kinds=[k.value for k in services.SCALE_KINDS],
    )


@bp.route("/evaluasi/kelola/<int:form_id>/pertanyaan/baru", methods=["GET", "POST"])
@role_required(Permission.ORGANIZE)
def add_question(form_id: int):
    form = _managed(form_id)
    qform = _question_form(form, None)
    if qform.validate_on_submit():
        try:
            question = services.add_question(current_user, form, _question_input(qform))
        except FeedbackError as error:
            _show_question_error(qform, error)
        else:
            flash(_("Pertanyaan ditambahkan."), "success")
            if request.form.get("next") == "another":
                return redirect_to(
                    url_for(
                        "feedback.add_question", form_id=form_id, jenis=question.kind.value, bagian=question.section_id
                    )
                )
            return redirect_to(_builder_url(form_id, f"q{question.id}"))
    return _question_page(form, qform, None)


@bp.route("/evaluasi/kelola/<int:form_id>/pertanyaan/<int:question_id>", methods=["GET", "POST"])
@role_required(Permission.ORGANIZE)
def edit_question(form_id: int, question_id: int):
    form = _managed(form_id)
    question = _question_of(form, question_id)
    qform = _question_form(form, question)
    if qform.validate_on_submit():
        try:
            services.update_question(current_user, question, _question_input(qform))
        except FeedbackError as error:
            _show_question_error(qform, error)
        else:
            flash(_("Pertanyaan disimpan."), "success")
            return redirect_to(_builder_url(form_id, f"q{question_id}"))
    return _question_page(form, qform, question)


@bp.post("/evaluasi/kelola/<int:form_id>/pertanyaan/<int:question_id>/hapus")
@role_required(Permission.ORGANIZE)
def delete_question(form_id: int, question_id: int):
    form = _managed(form_id)
    question = _question_of(form, question_id)
    try:
        services.delete_question(current_user, question)
    except FeedbackError as error:
        _flash_error(error)
    else:
        flash(_("Pertanyaan dihapus."), "success")
    return redirect_to(_builder_url(form_id))


@bp.post("/evaluasi/kelola/<int:form_id>/pertanyaan/<int:question_id>/<any(naik, turun):direction>")
@role_required(Permission.ORGANIZE)
def move_question(form_id: int, question_id: int, direction: str):
    """htmx: answers with the question list; without JavaScript: back to the builder at the question."""
    form = _managed(form_id)
    question = _question_of(form, question_id)
    error = None
    try:
        services.move_question(current_user, question, "up" if direction == "naik" else "down")
    except FeedbackError as failure:
        error = failure.message
    if not is_htmx():
        if error:
            flash(str(error), "danger")
        return redirect(_builder_url(form_id, f"q{question_id}"))
    return render(
        "feedback/_partials/builder_questions.html",
        **_builder_context(form, moved=question_id, direction=direction, move_error=error),
    )
