"""The annual development plan's pages: an OPD's proposal, BKPSDM's city plan (consolidation, approval, versions,
the budget workbook, progress). Invitations to workshops are in :mod:`.invite_views`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.competencies import queries as competency_catalogue
from portal.competencies import services as competencies
from portal.core import exports
from portal.core.forms import apply_error
from portal.core.htmx import redirect_to, render
from portal.core.inputs import db_int, int_arg
from portal.core.permissions import Permission, PermissionDenied, has_permission
from portal.learning import queries as learning
from portal.planning import services
from portal.planning.forms import LineForm, MergeForm, NoteForm, ProgramForm, QuotaForm
from portal.planning.services import LineInput, PlanningError
from portal.units import services as units

if TYPE_CHECKING:
    from portal.planning.models import AnnualPlan, PlanLine

bp = Blueprint("planning", __name__)


@bp.app_template_filter("rupiah")
def rupiah(value: int | None) -> str:
    """Whole rupiah with Indonesian thousands dots: 1500000 -> "Rp1.500.000"."""
    return "—" if value is None else "Rp" + f"{int(value):,}".replace(",", ".")


def _year(year: int) -> int:
    if year not in services.planning_years():
        abort(404)
    return year


def _flash_error(error: PlanningError) -> None:
    flash(str(error.message), "danger")


def _common() -> dict[str, Any]:
    return {
        "status_labels": services.STATUS_LABELS,
        "provider_labels": services.PROVIDER_LABELS,
        "action_labels": services.ACTION_LABELS,
        "years": services.planning_years(),
        "can_approve": services.can_approve(current_user),
        "snapshot_items": services.snapshot_items,
    }


@bp.get("/rencana-tahunan")
@login_required
def index():
    year = int_arg("tahun", services.local_today().year + 1)
    if year not in services.planning_years():
        year = services.local_today().year + 1
    own_ids = services.proposable_unit_ids(current_user)
    plans = {plan.unit_id: plan for plan in services.opd_plans(year)}
    unit_rows = units.list_active() if services.can_approve(current_user) else [units.get(i) for i in own_ids]
    return render(
        "planning/index.html",
        year=year,
        city=services.plan_of(year, None),
        unit_rows=[u for u in unit_rows if u is not None],
        plans=plans,
        **_common(),
    )


# ---------------------------------------------------------------- an OPD's proposal


def _line_form(unit_id: int, formdata: Any = None, line: PlanLine | None = None) -> LineForm:
    form = LineForm(formdata=formdata)
    form.competency_id.choices = [(0, _("— pilih —"))] + [(c.id, str(c)) for c in competencies.list_active()]
    form.development_type_id.choices = [(0, _("— pilih —"))] + [
        (t.id, f"{t.code} {t.name}") for t in competency_catalogue.list_development_types()
    ]
    form.target_positions.choices = [(p.id, p.name) for p in learning.positions_for_unit(unit_id)]
    if formdata is None and line is not None:
        form.process(
            data={
                "competency_id": line.competency_id,
                "title": line.title,
                "target_positions": [p.id for p in line.target_positions],
                "target_note": line.target_note,
                "participants": line.participants,
                "quarter": line.quarter,
                "development_type_id": line.development_type_id,
                "jp": line.jp,
                "provider_kind": line.provider_kind.value,
                "provider_name": line.provider_name,
                "cost_per_participant": line.cost_per_participant,
                "source": line.source.value,
            }
        )
    elif formdata is None:  # a suggestion accepted ("Pakai"): its competency and source
        form.competency_id.data = int_arg("kompetensi", 0)
        form.source.data = request.args.get("sumber", "")[:30]
    return form


def _line_input(form: LineForm) -> LineInput:
    return LineInput(
        title=form.title.data or "",
        competency_id=form.competency_id.data or None,
        development_type_id=form.development_type_id.data or None,
        participants=form.participants.data,
        quarter=form.quarter.data,
        jp=form.jp.data,
        provider_kind=form.provider_kind.data or "",
        provider_name=form.provider_name.data or "",
        cost_per_participant=form.cost_per_participant.data,
        target_position_ids=[pid for pid in (form.target_positions.data or []) if pid is not None],
        target_note=form.target_note.data or "",
        source=form.source.data or "",
    )


def _opd_page(year: int, unit_id: int, form: LineForm | None = None, status: int = 200):
    unit = units.get(unit_id)
    if unit is None:
        abort(404)
    plan = services.plan_of(year, unit_id)
    may_write = services.can_propose(current_user, unit_id)
    if not may_write and (plan is None or not services.can_read(current_user, plan)):
        abort(404)
    editable = may_write and (plan is None or plan.status == "draft")
    response = render(
        "planning/opd.html",
        year=year,
        unit=unit,
        plan=plan,
        editable=editable,
        form=form or _line_form(unit_id),
        suggestions=services.suggestions(unit_id, year) if editable else [],
        totals=services.proposal_totals(plan) if plan else None,
        note_form=NoteForm(),
        **_common(),
    )
    return (response, status) if status != 200 else response


@bp.get("/rencana-tahunan/<int:year>/opd/<int:unit_id>")
@login_required
def opd(year: int, unit_id: int):
    return _opd_page(_year(year), unit_id)


@bp.post("/rencana-tahunan/<int:year>/opd/<int:unit_id>/butir")
@login_required
def add_line(year: int, unit_id: int):
    year = _year(year)
    if not services.can_propose(current_user, unit_id):
        abort(403)
    form = _line_form(unit_id, request.form)
    if form.validate_on_submit():
        try:
            services.add_line(current_user, unit_id, year, _line_input(form))
        except PlanningError as error:
            apply_error(form, error)
        else:
            flash(_("Butir rencana ditambahkan."), "success")
            return redirect_to(url_for("planning.opd", year=year, unit_id=unit_id) + "#butir")
    return _opd_page(year, unit_id, form, 422)


def _line(line_id: int) -> PlanLine:
    line = services.get_line(line_id)
    if line is None or not services.can_propose(current_user, line.plan.unit_id):
        abort(404)
    return line


@bp.route("/rencana-tahunan/butir/<int:line_id>/ubah", methods=["GET", "POST"])
@login_required
def edit_line(line_id: int):
    line = _line(line_id)
    unit_id = line.plan.unit_id
    assert unit_id is not None  # lines belong to OPD plans
    form = _line_form(unit_id, request.form if request.method == "POST" else None, line)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.update_line(current_user, line, _line_input(form))
        except PlanningError as error:
            apply_error(form, error)
        else:
            flash(_("Butir rencana disimpan."), "success")
            return redirect_to(url_for("planning.opd", year=line.plan.year, unit_id=unit_id) + "#butir")
    return render("planning/line_form.html", form=form, line=line, **_common())


@bp.post("/rencana-tahunan/butir/<int:line_id>/hapus")
@login_required
def delete_line(line_id: int):
    line = _line(line_id)
    year, unit_id = line.plan.year, line.plan.unit_id
    try:
        services.delete_line(current_user, line)
    except PlanningError as error:
        _flash_error(error)
    else:
        flash(_("Butir rencana dihapus."), "success")
    return redirect_to(url_for("planning.opd", year=year, unit_id=unit_id) + "#butir")


def _plan(plan_id: int) -> AnnualPlan:
    plan = services.get_plan(plan_id)
    if plan is None or not services.can_read(current_user, plan):
        abort(404)
    return plan


def _plan_url(plan: AnnualPlan) -> str:
    if plan.unit_id is None:
        return url_for("planning.city", year=plan.year)
    return url_for("planning.opd", year=plan.year, unit_id=plan.unit_id)


@bp.post("/rencana-tahunan/<int:plan_id>/ajukan")
@login_required
def submit(plan_id: int):
    plan = _plan(plan_id)
    try:
        services.submit(current_user, plan)
    except PlanningError as error:
        _flash_error(error)
    else:
        flash(_("Usulan diajukan ke BKPSDM."), "success")
    return redirect_to(_plan_url(plan))


@bp.post("/rencana-tahunan/<int:plan_id>/kembalikan")
@login_required
def return_proposal(plan_id: int):
    plan = _plan(plan_id)
    form = NoteForm()
    try:
        services.return_proposal(current_user, plan, form.note.data or "" if form.validate_on_submit() else "")
    except PlanningError as error:
        _flash_error(error)
    else:
        flash(_("Usulan dikembalikan ke OPD."), "success")
    return redirect_to(_plan_url(plan))


@bp.post("/rencana-tahunan/<int:plan_id>/buka")
@login_required
def reopen(plan_id: int):
    plan = _plan(plan_id)
    form = NoteForm()
    try:
        services.reopen(current_user, plan, form.note.data or "" if form.validate_on_submit() else "")
    except PlanningError as error:
        _flash_error(error)
    else:
        flash(_("Rencana dibuka sebagai versi %(v)d.", v=plan.version), "success")
    return redirect_to(_plan_url(plan))


# ---------------------------------------------------------------- the city plan


@bp.get("/rencana-tahunan/<int:year>/kota")
@login_required
def city(year: int):
    year = _year(year)
    plan = services.plan_of(year, None)
    approver = services.can_approve(current_user)
    if plan is not None and not services.can_read(current_user, plan):
        plan = None  # a draft city plan is BKPSDM's until approved
    if plan is None and not approver:
        return render("planning/city.html", year=year, plan=None, **_common())
    merge_form = MergeForm()
    open_lines = services.open_lines(year) if approver else []
    merge_form.lines.choices = [(x.id, x.title) for x in open_lines]
    merge_form.program_id.choices = [(0, _("Program baru"))] + [
        (p.id, p.title) for p in (plan.programs if plan else [])
    ]
    return render(
        "planning/city.html",
        year=year,
        plan=plan,
        open_lines=open_lines,
        proposals=services.opd_plans(year) if approver else [],
        merge_form=merge_form,
        totals=services.city_totals(plan) if plan else None,
        progress=services.progress(plan) if plan and plan.locked else None,
        note_form=NoteForm(),
        quota_form=QuotaForm(),
        program_form=ProgramForm(),
        can_organize=has_permission(current_user, Permission.ORGANIZE),
        units=units.list_active(),
        **_common(),
    )


@bp.post("/rencana-tahunan/<int:year>/kota/gabung")
@login_required
def merge(year: int):
    year = _year(year)
    form = MergeForm()
    form.lines.choices, form.program_id.choices = [], []
    if form.validate_on_submit():
        try:
            services.merge(
                current_user,
                year,
                [i for i in (form.lines.data or []) if i is not None],
                form.program_id.data or None,
                form.title.data or "",
            )
        except PlanningError as error:
            _flash_error(error)
        else:
            flash(_("Butir digabung ke program."), "success")
    return redirect_to(url_for("planning.city", year=year) + "#program")


@bp.post("/rencana-tahunan/butir/<int:line_id>/lepas")
@login_required
def unmerge(line_id: int):
    line = services.get_line(line_id)
    if line is None:
        abort(404)
    try:
        services.unmerge(current_user, line)
    except PlanningError as error:
        _flash_error(error)
    return redirect_to(url_for("planning.city", year=line.plan.year) + "#program")


def _program(program_id: int):
    program = services.get_program(program_id)
    if program is None:
        abort(404)
    if not services.can_approve(current_user):
        raise PermissionDenied("planning.approve")
    return program


@bp.post("/rencana-tahunan/program/<int:program_id>/kuota")
@login_required
def set_quota(program_id: int):
    program = _program(program_id)
    form = QuotaForm()
    if not form.validate_on_submit():
        flash(_("Isi kuota dengan bilangan bulat."), "danger")
    else:
        try:
            services.set_quota(current_user, program, db_int(form.unit_id.data), form.quota.data)
        except PlanningError as error:
            _flash_error(error)
        else:
            flash(_("Kuota disimpan."), "success")
    return redirect_to(url_for("planning.city", year=program.plan.year) + f"#program-{program.id}")


@bp.post("/rencana-tahunan/program/<int:program_id>/ubah")
@login_required
def update_program(program_id: int):
    program = _program(program_id)
    form = ProgramForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
    else:
        try:
            services.update_program(
                current_user,
                program,
                form.title.data or "",
                form.quarter.data,
                form.jp.data,
                form.cost_per_participant.data,
                form.provider_kind.data or "",
                form.provider_name.data or "",
            )
        except PlanningError as error:
            _flash_error(error)
        else:
            flash(_("Program disimpan."), "success")
    return redirect_to(url_for("planning.city", year=program.plan.year) + f"#program-{program.id}")


@bp.post("/rencana-tahunan/<int:year>/kota/setujui")
@login_required
def approve(year: int):
    year = _year(year)
    try:
        plan = services.approve(current_user, year)
    except PlanningError as error:
        _flash_error(error)
    else:
        flash(_("Rencana kota versi %(v)d disetujui dan dikunci.", v=plan.version), "success")
    return redirect_to(url_for("planning.city", year=year))


@bp.get("/rencana-tahunan/<int:year>/kota.xlsx")
@login_required
def export(year: int):
    plan = services.plan_of(_year(year), None)
    if plan is None or not services.can_read(current_user, plan):
        abort(404)
    content = services.workbook(plan)
    return exports.download(content, exports.XLSX_MIMETYPE, f"rencana-pengembangan-{plan.year}-v{plan.version}.xlsx")


@bp.get("/rencana-tahunan/program/<int:program_id>/pelatihan-baru")
@login_required
def new_workshop(program_id: int):
    """ "Buat pelatihan untuk butir rencana ini": the workshop form, prefilled from the program."""
    program = services.get_program(program_id)
    if program is None or not services.can_read(current_user, program.plan) or not program.plan.locked:
        abort(404)
    if not has_permission(current_user, Permission.ORGANIZE):
        abort(403)
    units_with_quota = [q.unit_id for q in program.quotas if q.quota > 0]
    return redirect(
        url_for(
            "workshops.create",
            judul=program.title,
            jenis=program.development_type_id,
            kompetensi=[program.competency.code],
            unit=units_with_quota,
            kapasitas=program.participants or None,
            asal=services.origin_for(program),
        )
    )
