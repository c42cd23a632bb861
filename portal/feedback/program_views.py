"""Program review on the ``feedback`` blueprint: programs, their runs, their evaluation (the forms every new run
gets), review decisions. Thin: parse, authorize, call :mod:`portal.feedback.services.program_review`,
``program_evaluation`` and ``program_effects``, render."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.core.forms import apply_error
from portal.core.htmx import redirect_to, render
from portal.core.inputs import db_int
from portal.core.permissions import Permission, role_required
from portal.feedback.models import FormPurpose, Program
from portal.feedback.result_forms import AssignForm, EvaluationForm, ProgramForm, ReviewForm
from portal.feedback.services import AnalysisError, DecisionInput, ProgramInput, scores
from portal.feedback.services import program_effects as effects
from portal.feedback.services import program_evaluation as evaluations
from portal.feedback.services import program_review as reviews
from portal.feedback.views import bp


def _int_arg(name: str, source) -> int | None:
    return db_int(str(source.get(name, "")).strip(), minimum=0)


def _decision_input(form: ReviewForm) -> DecisionInput:
    return DecisionInput(
        form.decision.data,
        form.note.data or "",
        owner_id=db_int(str(request.form.get("owner_id", "")), minimum=1),
        due_on=form.due_on.data,
        next_workshop_id=db_int(str(request.form.get("next_workshop_id", "")), minimum=1),
    )


# ---------------------------------------------------------------- program review


def _program(program_id: int) -> Program:
    program = reviews.get_program(program_id)
    if program is None:
        abort(404)
    return program


def _editable(program_id: int) -> Program:
    program = _program(program_id)
    if not reviews.can_edit_program(current_user, program):
        abort(403)
    return program


def _threshold(raw: str | None) -> float | None:
    try:
        return float((raw or "").strip().replace(",", "."))
    except ValueError:
        return None


def _program_input(form: ProgramForm) -> ProgramInput:
    return ProgramInput(form.name.data or "", form.description.data or "", _threshold(form.l1_threshold.data))


@bp.get("/evaluasi/program")
@login_required
@role_required(Permission.ORGANIZE)
def programs():
    flagged_only = request.args.get("tinjau") == "1"
    return render(
        "feedback/programs/index.html",
        summaries=reviews.list_programs(current_user, flagged_only=flagged_only),
        flagged_only=flagged_only,
        decision_labels=reviews.DECISION_LABELS,
    )


@bp.route("/evaluasi/program/baru", methods=["GET", "POST"])
@login_required
@role_required(Permission.ORGANIZE)
def program_new():
    form = ProgramForm()
    if form.validate_on_submit():
        try:
            program = reviews.create_program(current_user, _program_input(form))
        except AnalysisError as error:
            apply_error(form, error)
        else:
            flash(_("Program dibuat. Tambahkan pelaksanaannya (pelatihan)."), "success")
            return redirect_to(url_for("feedback.program", program_id=program.id))
    status = 400 if request.method == "POST" else 200
    return render("feedback/programs/form.html", status=status, form=form, program=None)


@bp.route("/evaluasi/program/<int:program_id>/ubah", methods=["GET", "POST"])
@login_required
@role_required(Permission.ORGANIZE)
def program_edit(program_id: int):
    program = _editable(program_id)
    form = ProgramForm(obj=program) if request.method == "GET" else ProgramForm()
    if request.method == "GET":
        form.l1_threshold.data = str(program.l1_threshold)
    if form.validate_on_submit():
        try:
            reviews.update_program(current_user, program, _program_input(form))
        except AnalysisError as error:
            apply_error(form, error)
        else:
            flash(_("Program disimpan."), "success")
            return redirect_to(url_for("feedback.program", program_id=program.id))
    status = 400 if request.method == "POST" else 200
    return render("feedback/programs/form.html", status=status, form=form, program=program)


def _program_page(
    program: Program,
    status: int = 200,
    assign_form: AssignForm | None = None,
    review_form: ReviewForm | None = None,
):
    summary = reviews.program_summary(current_user, program)
    editable = reviews.can_edit_program(current_user, program)
    review_form = review_form or ReviewForm()
    review_form.owner_id.choices = [(0, _("— pilih —"))] + [(u.id, u.name) for u in reviews.decision_owners()]
    if request.method == "GET":
        review_form.owner_id.data = current_user.id
    review_form.next_workshop_id.choices = [(0, _("Pelaksanaan pertama setelah keputusan"))] + [
        (w.id, w.title) for w in reviews.upcoming_runs(program)
    ]
    assign_form = assign_form or AssignForm()
    assign_form.workshop_id.choices = (
        [(w.id, w.title) for w in reviews.assignable_workshops(current_user)] if editable else []
    )
    return render(
        "feedback/programs/show.html",
        status=status,
        summary=summary,
        editable=editable,
        assign_form=assign_form,
        review_form=review_form,
        effect=effects.decision_effect(summary),
        evaluation=program.evaluation,
        trainers=scores.trainer_scores([run.workshop.id for run in summary.runs]),
        decision_labels=reviews.DECISION_LABELS,
        min_l3=reviews.MIN_L3_RESPONSES,
    )


@bp.get("/evaluasi/program/<int:program_id>")
@login_required
@role_required(Permission.ORGANIZE)
def program(program_id: int):
    return _program_page(_program(program_id))


@bp.post("/evaluasi/program/<int:program_id>/pelatihan")
@login_required
@role_required(Permission.ORGANIZE)
def program_assign(program_id: int):
    program = _editable(program_id)
    form = AssignForm()
    if form.validate_on_submit():
        try:
            reviews.assign_workshop(current_user, program, _int_arg("workshop_id", request.form))
        except AnalysisError as error:
            apply_error(form, error)
        else:
            flash(_("Pelatihan ditambahkan ke program."), "success")
            return redirect_to(url_for("feedback.program", program_id=program.id))
    return _program_page(program, status=400, assign_form=form)


@bp.post("/evaluasi/program/<int:program_id>/pelatihan/<int:workshop_id>/lepas")
@login_required
@role_required(Permission.ORGANIZE)
def program_unassign(program_id: int, workshop_id: int):
    program = _editable(program_id)
    try:
        reviews.unassign_workshop(current_user, program, workshop_id)
    except AnalysisError as error:
        flash(str(error.message), "danger")
    else:
        flash(_("Pelatihan dilepas dari program."), "success")
    return redirect_to(url_for("feedback.program", program_id=program.id))


@bp.post("/evaluasi/program/<int:program_id>/tinjauan")
@login_required
@role_required(Permission.ORGANIZE)
def program_review(program_id: int):
    program = _editable(program_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            reviews.record_review(current_user, program, _decision_input(form))
        except AnalysisError as error:
            apply_error(form, error)
        else:
            flash(_("Keputusan tinjauan dicatat."), "success")
            return redirect_to(url_for("feedback.program", program_id=program.id) + "#riwayat")
    return _program_page(program, status=400, review_form=form)


def _evaluation_page(program: Program, form: EvaluationForm, status: int = 200):
    for name, purpose in evaluations.SOURCES.items():
        getattr(form, name).choices = [(0, _("— tidak ada —"))] + [
            (f.id, f"{f.title} (#{f.id})") for f in evaluations.source_forms(current_user, FormPurpose(purpose))
        ]
    return render("feedback/programs/evaluation.html", status=status, form=form, program=program)


@bp.route("/evaluasi/program/<int:program_id>/evaluasi", methods=["GET", "POST"])
@login_required
@role_required(Permission.ORGANIZE)
def program_evaluation(program_id: int):
    program = _editable(program_id)
    if request.method == "GET":
        return _evaluation_page(program, EvaluationForm(data=vars(evaluations.evaluation_input(program))))
    form = EvaluationForm()
    if form.validate_on_submit():
        values = {name: _int_arg(name, request.form) or None for name in evaluations.SOURCES}
        data = evaluations.EvaluationInput(**values, followup_days=form.followup_days.data)
        try:
            evaluations.save_evaluation(current_user, program, data)
        except AnalysisError as error:
            apply_error(form, error)
        else:
            flash(_("Evaluasi program disimpan. Setiap pelaksanaan baru mendapat formulirnya."), "success")
            return redirect_to(url_for("feedback.program", program_id=program.id))
    return _evaluation_page(program, form, status=400)
