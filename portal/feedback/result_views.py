"""Results, needs analysis and program review on the ``feedback`` blueprint (defined in views.py).

Thin on purpose: parse the request, call :mod:`portal.feedback.services` (results, needs, program review),
render. Who may see what is decided there; a form whose results the viewer may not see answers 404.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.core import exports
from portal.core.forms import apply_error
from portal.core.htmx import is_htmx, redirect_to, render
from portal.core.i18n import lazy_gettext as _l
from portal.core.inputs import db_int
from portal.core.pagination import page_arg
from portal.core.permissions import Permission, role_required
from portal.feedback import services as forms
from portal.feedback.models import FeedbackForm
from portal.feedback.result_forms import NeedLinkForm
from portal.feedback.services import (
    AnalysisError,
    ResultError,
    ResultFilters,
    comparison,
    moderation,
    needs_analysis,
    results,
    scores,
    technical_needs,
)
from portal.feedback.services import exports as result_exports
from portal.feedback.services import needs_export as needs_download
from portal.feedback.views import bp
from portal.units import services as units
from portal.workshops import services as workshops

MIN_YEAR, MAX_YEAR = 2000, 2100


# ---------------------------------------------------------------- helpers


def _int_arg(name: str, source: Any = None) -> int | None:
    value = str((source if source is not None else request.args).get(name, "")).strip()
    return db_int(value, minimum=0)


def _results_form(form_id: int) -> FeedbackForm:
    """A form whose results (at least the text answers) the viewer may see; 404 otherwise."""
    form = results.results_form(current_user, form_id)
    if form is None:
        abort(404)
    return form


def _full_results_form(form_id: int) -> FeedbackForm:
    form = _results_form(form_id)
    if not results.can_view_results(current_user, form):
        abort(404)
    return form


def _filters() -> tuple[ResultFilters, ResultError | None]:
    args = request.args
    unit = args.get("unit")
    try:
        if (unit or "").strip() and db_int(unit, minimum=0) is None:  # a number no unit id can be: no lookup
            raise ResultError(_l("Unit tidak dikenal."), "unit")
        return results.parse_filters(unit, args.get("dari"), args.get("sampai")), None
    except ResultError as error:
        return ResultFilters(), error


def _download(table: list[list[object]], kind: str, stem: str, sheet: str, title: str):
    filename = f"{stem}.{kind}"
    if kind == "csv":
        return exports.download(exports.csv_bytes(table), exports.CSV_MIMETYPE, filename)
    return exports.download(exports.xlsx_bytes([(sheet, table)], title), exports.XLSX_MIMETYPE, filename)


# ---------------------------------------------------------------- results of one form


@bp.get("/evaluasi/<int:form_id>/hasil")
@login_required
def results_page(form_id: int):
    form = _results_form(form_id)
    full = results.can_view_results(current_user, form)
    filters, error = _filters() if full else (ResultFilters(), None)
    context: dict[str, Any] = {
        "form": form,
        "full": full,
        "filters": filters,
        "error": error,
        "can_moderate": results.can_moderate(current_user),
        "purpose_labels": forms.PURPOSE_LABELS,
        "suppressed_message": results.suppressed_message(),
        "min_group": results.min_group(),
    }
    if not full:
        context["questions"] = results.text_results(form)
        context["needed"] = results.responses_needed(form)
        context["needed_notice"] = results.needed_message
        return render("feedback/results/show.html", **context)
    if error is None:
        context["res"] = results.form_results(form, filters)
    context["unit_choices"] = units.list_active()
    context["comparable"] = comparison.comparable_forms(current_user, form)
    if form.purpose in forms.TEST_PURPOSES and form.workshop_id is not None:
        context["gain"] = scores.test_gain(form.workshop_id)
    return render("feedback/results/show.html", status=400 if error else 200, **context)


@bp.get("/evaluasi/<int:form_id>/hasil.<any(csv, xlsx):kind>")
@login_required
def results_export(form_id: int, kind: str):
    form = _full_results_form(form_id)
    filters, error = _filters()
    if error is not None:
        abort(400)
    table = result_exports.aggregate_table(results.form_results(form, filters))
    return _download(table, kind, f"hasil-formulir-{form.id}", _("Ringkasan"), form.title)


@bp.get("/evaluasi/<int:form_id>/jawaban.<any(csv, xlsx):kind>")
@login_required
def results_answers_export(form_id: int, kind: str):
    form = _full_results_form(form_id)
    filters, error = _filters()
    if error is not None:
        abort(400)
    return _download(
        result_exports.raw_table(form, filters), kind, f"jawaban-formulir-{form.id}", _("Jawaban"), form.title
    )


@bp.get("/evaluasi/<int:form_id>/hasil/teks/<int:question_id>")
@login_required
def results_texts(form_id: int, question_id: int):
    form = _results_form(form_id)
    question = results.form_question(form, question_id)
    if question is None or question.kind not in results.TEXT_KINDS:
        abort(404)
    full = results.can_view_results(current_user, form)
    filters, error = _filters() if full else (ResultFilters(), None)
    if error is not None:
        abort(400)
    page = results.text_answers(form, question, filters, page_arg())
    return render(
        "feedback/results/texts.html",
        partial="feedback/_partials/result_texts.html",
        form=form,
        question=question,
        texts=page,
        filters=filters,
        can_moderate=results.can_moderate(current_user),
    )


@bp.post("/evaluasi/<int:form_id>/hasil/jawaban/<int:answer_id>/<any(sembunyikan, tampilkan):action>")
@login_required
def results_hide(form_id: int, answer_id: int, action: str):
    form = _results_form(form_id)
    if not results.can_moderate(current_user):
        abort(403)
    answer = moderation.get_text_answer(form, answer_id)
    if answer is None:
        abort(404)
    moderation.set_hidden(current_user, answer, action == "sembunyikan")
    if is_htmx():
        return render("feedback/_partials/result_answer.html", form=form, answer=answer, can_moderate=True)
    flash(_("Jawaban disembunyikan.") if answer.hidden_at else _("Jawaban ditampilkan kembali."), "success")
    return redirect_to(url_for("feedback.results_texts", form_id=form.id, question_id=answer.question_id))


@bp.get("/evaluasi/moderasi")
@login_required
@role_required(Permission.MODERATE)
def results_moderation():
    hidden_only = request.args.get("tersembunyi") == "1"
    return render(
        "feedback/results/moderation.html",
        page=moderation.recent_text_answers(current_user, page_arg(), hidden_only=hidden_only),
        hidden_only=hidden_only,
        can_moderate=True,
    )


# ---------------------------------------------------------------- comparing runs, one workshop's evaluation


@bp.get("/evaluasi/<int:form_id>/bandingkan")
@login_required
@role_required(Permission.ORGANIZE)
def results_compare(form_id: int):
    form_a = _full_results_form(form_id)
    context: dict[str, Any] = {
        "form_a": form_a,
        "choices": comparison.comparable_forms(current_user, form_a),
        "comparison": None,
        "error": None,
        "needed_notice": results.needed_message,
    }
    other_id = _int_arg("dengan")
    if other_id is None:
        return render("feedback/results/compare.html", **context)
    form_b = forms.get_form(other_id)
    try:
        if form_b is None:
            raise ResultError(_("Formulir untuk dibandingkan tidak ditemukan."))
        context["comparison"] = comparison.compare(current_user, form_a, form_b)
    except ResultError as error:
        context["error"] = error
        return render("feedback/results/compare.html", status=400, **context)
    ids = [w for w in (form_a.workshop_id, form_b.workshop_id) if w is not None]
    context["trainers"] = scores.trainer_scores(ids)
    context["gains"] = {w: scores.test_gain(w) for w in ids}
    return render("feedback/results/compare.html", **context)


@bp.get("/evaluasi/pelatihan/<int:workshop_id>/ringkasan")
@login_required
def results_workshop(workshop_id: int):
    workshop = workshops.get_visible(current_user, workshop_id)
    if workshop is None:
        abort(404)
    if not workshops.can_manage(current_user, workshop):
        abort(403)
    return render(
        "feedback/results/workshop.html",
        evaluation=scores.workshop_evaluation(current_user, workshop),
        purpose_labels=forms.PURPOSE_LABELS,
        program_id=comparison.program_id_of(workshop.id),
        needed_notice=results.needed_message,
    )


# ---------------------------------------------------------------- needs analysis


def _needs_scope(source: Any) -> tuple[int | None, int | None, int | None]:
    year = _int_arg("tahun", source)
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise AnalysisError(_("Tahun tidak valid."), "tahun")
    return _int_arg("survei", source), year, _int_arg("unit", source)


def _needs_page(
    source: Any,
    status: int = 200,
    link_form: NeedLinkForm | None = None,
    link_for: int | None = None,
    code_error: AnalysisError | None = None,
    code_for: int | None = None,
):
    context: dict[str, Any] = {"error": None, "needs": None, "written": None}
    try:
        survey_id, year, unit_id = _needs_scope(source)
        needs = context["needs"] = needs_analysis.analyse_needs(current_user, survey_id, year, unit_id)
    except AnalysisError as error:
        context["error"] = error
        status = 400
    else:
        if needs.unit is None and technical_needs.can_code(current_user):
            scope = needs_analysis.needs_scope(needs.survey.id if needs.survey else None, needs.year)
            context["written"] = technical_needs.written_needs(current_user, scope, _int_arg("hal", source) or 1)
            context["technical_choices"] = technical_needs.technical_choices()
    plannable = needs_analysis.plannable_workshops(current_user)
    link_form = link_form or NeedLinkForm()
    link_form.workshop_id.choices = [(w.id, w.title) for w in plannable]
    return render(
        "feedback/needs/index.html",
        status=status,
        surveys=needs_analysis.needs_surveys(),
        years=needs_analysis.needs_years(),
        unit_choices=units.list_active(),
        link_form=link_form,
        link_for=link_for,
        plannable=plannable,
        can_unlink=lambda link: needs_analysis.can_unlink(current_user, link),
        min_group=results.min_group(),
        suppressed_message=results.suppressed_message(),
        code_error=code_error,
        code_for=code_for,
        **context,
    )


@bp.get("/kebutuhan-kompetensi")
@login_required
@role_required(Permission.ORGANIZE)
def needs():
    return _needs_page(request.args)


@bp.get("/kebutuhan-kompetensi.<any(csv, xlsx):kind>")
@login_required
@role_required(Permission.ORGANIZE)
def needs_export(kind: str):
    try:
        survey_id, year, unit_id = _needs_scope(request.args)
        result = needs_analysis.analyse_needs(current_user, survey_id, year, unit_id)
    except AnalysisError:
        abort(400)
    filename = f"kebutuhan-kompetensi-{result.survey.id if result.survey else result.year}.{kind}"
    if kind == "csv":
        content = exports.csv_bytes(needs_download.needs_csv_table(result))
        return exports.download(content, exports.CSV_MIMETYPE, filename)
    content = exports.xlsx_bytes(needs_download.needs_sheets(result), _("Kebutuhan kompetensi"))
    return exports.download(content, exports.XLSX_MIMETYPE, filename)


def _needs_url(source: Any) -> str:
    args = {name: _int_arg(name, source) for name in ("survei", "tahun", "unit", "hal")}
    query: dict[str, Any] = {k: v for k, v in args.items() if v is not None}
    return url_for("feedback.needs", **query)


@bp.post("/kebutuhan-kompetensi/tautan")
@login_required
@role_required(Permission.ORGANIZE)
def needs_link():
    form = NeedLinkForm()
    competency_id = _int_arg("competency_id", request.form)
    if form.validate_on_submit():
        try:
            needs_analysis.link_need(
                current_user, competency_id, _int_arg("workshop_id", request.form), _int_arg("survey_id", request.form)
            )
        except AnalysisError as error:
            apply_error(form, error)
        else:
            flash(_("Pelatihan ditautkan ke kebutuhan kompetensi."), "success")
            return redirect_to(_needs_url(request.form) + (f"#kebutuhan-{competency_id}" if competency_id else ""))
    return _needs_page(request.form, status=400, link_form=form, link_for=competency_id)


@bp.post("/kebutuhan-kompetensi/tautan/<int:link_id>/hapus")
@login_required
@role_required(Permission.ORGANIZE)
def needs_unlink(link_id: int):
    link = needs_analysis.get_link(link_id)
    if link is None:
        abort(404)
    competency_id = link.competency_id
    needs_analysis.unlink_need(current_user, link)
    flash(_("Tautan pelatihan dihapus."), "success")
    return redirect_to(_needs_url(request.form) + f"#kebutuhan-{competency_id}")


@bp.post("/kebutuhan-kompetensi/tertulis/<int:answer_id>")
@login_required
@role_required(Permission.VIEW_ALL_LEARNING)
def needs_code(answer_id: int):
    """BKPSDM codes a written technical need as a catalogue competency (or takes the coding back)."""
    try:
        answer = technical_needs.code_written_need(current_user, answer_id, request.form.get("competency_id"))
    except AnalysisError as error:
        return _needs_page(request.form, status=400, code_error=error, code_for=answer_id)
    if answer.competency is not None:
        flash(_("Kebutuhan tertulis dikodekan sebagai %(code)s.", code=answer.competency.code), "success")
    else:
        flash(_("Kode kebutuhan tertulis dihapus."), "success")
    return redirect_to(_needs_url(request.form) + "#tertulis")
