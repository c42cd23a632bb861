"""Jobs and their competency standards under /admin/jabatan (MANAGE_POSITIONS)."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _

from portal.accounts.current import current_user
from portal.competencies import services as competencies
from portal.core.exports import CSV_MIMETYPE, XLSX_MIMETYPE, csv_bytes, download, xlsx_bytes
from portal.core.forms import apply_error
from portal.core.htmx import is_htmx, redirect_to, render
from portal.core.inputs import db_int
from portal.core.pagination import page_arg
from portal.core.permissions import Permission, role_required
from portal.core.record_views import answer_set_active
from portal.learning.models import Position
from portal.learning.profile_forms import PositionForm, PositionImportForm, RequirementForm, optional_int
from portal.learning.services import position_import, positions
from portal.learning.views import bp
from portal.units import services as units


def _get_or_404(position_id: int) -> Position:
    position = positions.get(position_id)
    if position is None:
        abort(404)
    return position


def _unit_choices(position: Position | None = None) -> list[tuple[str, str]]:
    listed = units.list_active()
    if position is not None and position.unit is not None and position.unit not in listed:
        listed.append(position.unit)
    return [("", _("Semua unit (jabatan umum)"))] + [(str(unit.id), unit.name) for unit in listed]


def _data(form: PositionForm) -> positions.PositionData:
    return positions.PositionData(
        code=form.code.data or "",
        name=form.name.data or "",
        job_type=form.job_type.data or "",
        unit_id=optional_int(form.unit_id.data),
    )


def _unit_filter(value: str) -> str:
    """A unit id or "umum"; an id beyond the database's range is no filter (like any other garbage)."""
    value = value.strip()[:10]
    return "" if value.isdigit() and db_int(value) is None else value


def _filters() -> positions.PositionFilters:
    args = request.args
    status = args.get("status", "active")
    return positions.PositionFilters(
        query=args.get("q", "").strip()[:100],
        job_type=positions.parse_job_type(args.get("jenis")),
        unit=_unit_filter(args.get("unit", "")),
        status=status if status in ("active", "inactive", "") else "active",
    )


@bp.get("/admin/jabatan")
@role_required(Permission.MANAGE_POSITIONS)
def positions_index():
    filters = _filters()
    page = positions.list_positions(current_user, filters, page_arg())
    return render(
        "learning/positions.html",
        partial="learning/_partials/positions_table.html",
        page=page,
        filters=filters,
        holders=positions.holder_counts([p.id for p in page.items]),
        units=units.list_all(),
        job_type_labels=positions.JOB_TYPE_LABELS,
        any_unit=positions.ANY_UNIT,
    )


@bp.route("/admin/jabatan/baru", methods=["GET", "POST"])
@role_required(Permission.MANAGE_POSITIONS)
def position_create():
    form = PositionForm()
    form.unit_id.choices = _unit_choices()
    if form.validate_on_submit():
        try:
            position = positions.create(current_user, _data(form))
        except positions.PositionError as error:
            apply_error(form, error)
        else:
            flash(
                _("Jabatan %(name)s sudah ditambahkan. Sekarang isi standar kompetensinya.", name=position.name),
                "success",
            )
            return redirect_to(url_for("learning.position_edit", position_id=position.id))
    status = 400 if form.is_submitted() else 200
    return render("learning/positions_form.html", form=form, position=None, status=status)


def _requirement_form(position: Position) -> RequirementForm:
    form = RequirementForm(formdata=None)
    _fill_requirement_choices(form, position)
    return form


def _fill_requirement_choices(form: RequirementForm, position: Position) -> None:
    required = {r.competency_id for r in position.requirements}
    form.competency_id.choices = [("", _("Pilih kompetensi"))] + [
        (c.id, f"{c.code} {c.name}") for c in competencies.list_active() if c.id not in required
    ]


def _edit_page(form: PositionForm, position: Position, requirement_form: RequirementForm, status: int = 200):
    return render(
        "learning/positions_form.html",
        form=form,
        position=position,
        requirements=positions.sorted_requirements(position),
        requirement_form=requirement_form,
        holders=positions.holder_counts([position.id]).get(position.id, 0),
        status=status,
    )


@bp.route("/admin/jabatan/<int:position_id>/ubah", methods=["GET", "POST"])
@role_required(Permission.MANAGE_POSITIONS)
def position_edit(position_id: int):
    position = _get_or_404(position_id)
    form = PositionForm(obj=position)
    form.unit_id.choices = _unit_choices(position)
    if request.method == "GET":
        form.job_type.data = position.job_type.value
        form.unit_id.data = str(position.unit_id or "")
    if form.validate_on_submit():
        try:
            positions.update(current_user, position, _data(form))
        except positions.PositionError as error:
            apply_error(form, error)
        else:
            flash(_("Jabatan %(name)s sudah disimpan.", name=position.name), "success")
            return redirect_to(url_for("learning.position_edit", position_id=position.id))
    status = 400 if form.is_submitted() else 200
    return _edit_page(form, position, _requirement_form(position), status)


def _requirements_answer(position: Position, form: RequirementForm, message: str | None = None, status: int = 200):
    """htmx gets the requirements editor back; a plain form post goes back to the edit page."""
    if is_htmx():
        return render(
            "learning/_partials/positions_requirements.html",
            position=position,
            requirements=positions.sorted_requirements(position),
            requirement_form=form,
            message=message,
        )  # 200 even for refused input: htmx swaps only successful answers, and the errors are in the fragment
    if status >= 400:
        edit_form = PositionForm(obj=position, formdata=None)
        edit_form.unit_id.choices = _unit_choices(position)
        edit_form.job_type.data, edit_form.unit_id.data = position.job_type.value, str(position.unit_id or "")
        return _edit_page(edit_form, position, form, status)
    flash(message or "", "success")  # a successful change comes with its message
    return redirect_to(url_for("learning.position_edit", position_id=position.id) + "#standar")


@bp.post("/admin/jabatan/<int:position_id>/standar")
@role_required(Permission.MANAGE_POSITIONS)
def position_requirement_set(position_id: int):
    position = _get_or_404(position_id)
    form = RequirementForm()
    _fill_requirement_choices(form, position)
    try:
        requirement = positions.set_requirement(current_user, position, form.competency_id.data, form.level.data)
    except positions.PositionError as error:
        apply_error(form, error)
        return _requirements_answer(position, form, status=400)
    message = _("Standar %(code)s level %(level)d disimpan.", code=requirement.competency.code, level=requirement.level)
    return _requirements_answer(position, _requirement_form(position), message)


@bp.post("/admin/jabatan/<int:position_id>/standar/<int:requirement_id>/level")
@role_required(Permission.MANAGE_POSITIONS)
def position_requirement_level(position_id: int, requirement_id: int):
    position = _get_or_404(position_id)
    requirement = next((r for r in position.requirements if r.id == requirement_id), None)
    if requirement is None:
        abort(404)
    form = _requirement_form(position)
    try:
        positions.set_requirement(current_user, position, requirement.competency_id, request.form.get("level"))
    except positions.PositionError as error:
        form.form_errors.append(str(error.message))
        return _requirements_answer(position, form, status=400)
    message = _("Standar %(code)s level %(level)d disimpan.", code=requirement.competency.code, level=requirement.level)
    return _requirements_answer(position, form, message)


@bp.post("/admin/jabatan/<int:position_id>/standar/<int:requirement_id>/hapus")
@role_required(Permission.MANAGE_POSITIONS)
def position_requirement_remove(position_id: int, requirement_id: int):
    position = _get_or_404(position_id)
    requirement = next((r for r in position.requirements if r.id == requirement_id), None)
    if requirement is None:
        abort(404)
    code = requirement.competency.code
    positions.remove_requirement(current_user, position, requirement_id)
    return _requirements_answer(position, _requirement_form(position), _("Standar %(code)s dihapus.", code=code))


@bp.post("/admin/jabatan/<int:position_id>/status")
@role_required(Permission.MANAGE_POSITIONS)
def position_set_active(position_id: int):
    position = _get_or_404(position_id)
    return answer_set_active(
        positions.set_active,
        position,
        activated=_("Jabatan %(name)s aktif kembali.", name=position.name),
        deactivated=_("Jabatan %(name)s dinonaktifkan. Pemegangnya tetap tercatat.", name=position.name),
        back=url_for("learning.positions_index"),
    )


@bp.route("/admin/jabatan/impor", methods=["GET", "POST"])
@role_required(Permission.MANAGE_POSITIONS)
def positions_import():
    form = PositionImportForm()
    report, errors, status = None, [], 200
    if form.validate_on_submit():
        upload = request.files.get("file")
        content = upload.stream.read(positions.IMPORT_MAX_BYTES + 1) if upload and upload.filename else b""
        try:
            if not content:
                raise positions.PositionImportError(_("Pilih berkas CSV atau XLSX yang akan diimpor."))
            report = position_import.import_positions(current_user, content, dry_run=form.dry_run.data)
        except positions.PositionImportError as error:
            apply_error(form, error)
            errors, status = error.errors, 400
    elif form.is_submitted():
        status = 400
    return render(
        "learning/positions_import.html",
        form=form,
        report=report,
        errors=errors,
        columns=positions.IMPORT_COLUMNS,
        job_type_labels=positions.JOB_TYPE_LABELS,
        status=status,
    )


@bp.get("/admin/jabatan/impor/contoh.<any(csv, xlsx):extension>")
@role_required(Permission.MANAGE_POSITIONS)
def positions_import_template(extension: str):
    table = positions.import_template()
    if extension == "xlsx":
        return download(xlsx_bytes([("jabatan", table)], "Contoh impor jabatan"), XLSX_MIMETYPE, "contoh-jabatan.xlsx")
    return download(csv_bytes(table), CSV_MIMETYPE, "contoh-jabatan.csv")
