"""Admin pages: dashboard, user management, audit log. Units are managed in ``unit_views.py``, competencies in
their feature."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _

from portal.accounts import services as accounts
from portal.accounts.current import current_user
from portal.accounts.forms import registration_from, unit_choices
from portal.admin.forms import ROLE_LABELS, STATE_LABELS, ContractForm, UserCreateForm
from portal.audit import services as audit
from portal.competencies import services as competencies
from portal.core.forms import apply_error
from portal.core.htmx import is_htmx, redirect_to, render
from portal.core.inputs import db_int, strip_control_characters
from portal.core.pagination import page_arg
from portal.core.permissions import Permission, role_required
from portal.learning.services import oversight, positions
from portal.units import services as units

if TYPE_CHECKING:
    from portal.accounts.models import User

bp = Blueprint("admin", __name__, url_prefix="/admin")

PREVIEW_SIZE = 5


@bp.context_processor
def _labels() -> dict:
    return {"role_labels": ROLE_LABELS, "state_labels": STATE_LABELS, "action_label": audit.action_label}


@bp.get("/")
@role_required(Permission.MANAGE_USERS)
def index():
    counts = accounts.count_by_state(current_user)
    pending = accounts.list_users(current_user, accounts.UserFilter(state="pending"), 1, per_page=PREVIEW_SIZE)
    return render(
        "admin/index.html",
        counts=counts,
        pending=pending,
        unit_count=units.count_active(),
        competency_count=competencies.count_active(),
    )


def _user_filter() -> accounts.UserFilter:
    args = request.args
    unit_id = args.get("unit", "")
    return accounts.UserFilter(
        query=args.get("q", "").strip()[:100],
        unit_id=db_int(unit_id, minimum=0),
        role=args.get("role") or None,
        state=args.get("state") or None,
    )


@bp.get("/pengguna")
@role_required(Permission.MANAGE_USERS)
def users():
    filters = _user_filter()
    page = accounts.list_users(current_user, filters, page_arg())
    return render(
        "admin/users.html",
        page=page,
        filters=filters,
        units=units.list_all(),
    )


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@role_required(Permission.MANAGE_USERS)
def user_create():
    form = UserCreateForm()
    form.unit_id.choices = unit_choices()
    if form.validate_on_submit():
        data = registration_from(form)
        data.contract_start, data.contract_end = form.contract_start.data, form.contract_end.data
        try:
            user = accounts.create_user(current_user, data, role=accounts.parse_role(form.role.data))
        except accounts.AccountError as error:
            apply_error(form, error)
        else:
            flash(_("Akun %(name)s sudah dibuat dan terverifikasi.", name=user.name), "success")
            return redirect_to(url_for("admin.user_detail", user_id=user.id))
    return render("admin/user_create.html", form=form)


def _get_user_or_404(user_id: int) -> User:
    user = accounts.get_user(user_id)
    if user is None:
        abort(404)
    return user


def _detail_context(user: User, message: str | None = None, error: str | None = None) -> dict:
    return {
        "user": user,
        "history": audit.entries_for(current_user, user),
        "message": message,
        "error": error,
        **_oversight_context(user),
    }


@bp.get("/pengguna/<int:user_id>")
@role_required(Permission.MANAGE_USERS)
def user_detail(user_id: int):
    return render("admin/user_detail.html", **_detail_context(_get_user_or_404(user_id)))


def _answer_action(user: User, message: str | None, error: str | None = None):
    """htmx swaps the changed row (list) or action area (detail page); a plain form post redirects back."""
    if is_htmx():
        if request.form.get("view") == "row":
            return render("admin/_partials/user_row.html", user=user, message=message, error=error)
        return render("admin/_partials/user_actions.html", **_detail_context(user, message, error))
    flash(error or message or "", "danger" if error else "success")  # callers give one of the two
    return redirect_to(url_for("admin.user_detail", user_id=user.id))


@bp.post("/pengguna/<int:user_id>/verifikasi")
@role_required(Permission.MANAGE_USERS)
def user_verify(user_id: int):
    user = _get_user_or_404(user_id)
    accounts.verify(current_user, user)
    return _answer_action(user, _("Akun %(name)s sudah diverifikasi.", name=user.name))


@bp.post("/pengguna/<int:user_id>/peran")
@role_required(Permission.MANAGE_USERS)
def user_role(user_id: int):
    user = _get_user_or_404(user_id)
    try:
        accounts.change_role(current_user, user, request.form.get("role", ""))
    except accounts.AccountError as error:
        return _answer_action(user, None, str(error.message))
    return _answer_action(user, _("Peran %(name)s sekarang %(role)s.", name=user.name, role=ROLE_LABELS[user.role]))


@bp.post("/pengguna/<int:user_id>/status")
@role_required(Permission.MANAGE_USERS)
def user_active(user_id: int):
    user = _get_user_or_404(user_id)
    active = request.form.get("active") == "1"
    try:
        accounts.set_active(current_user, user, active)
    except accounts.AccountError as error:
        return _answer_action(user, None, str(error.message))
    if active:
        return _answer_action(user, _("Akun %(name)s aktif kembali.", name=user.name))
    return _answer_action(user, _("Akun %(name)s dinonaktifkan. Kontennya tetap tersimpan.", name=user.name))


@bp.post("/pengguna/<int:user_id>/kontrak")
@role_required(Permission.MANAGE_USERS)
def user_contract(user_id: int):
    user = _get_user_or_404(user_id)
    form = ContractForm()
    if not form.validate():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return _answer_action(user, None, " ".join(errors))
    try:
        changed = accounts.set_contract(current_user, user, form.contract_start.data, form.contract_end.data)
    except accounts.AccountError as error:
        return _answer_action(user, None, str(error.message))
    if not changed:
        return _answer_action(user, _("Tanggal kontrak tidak berubah."))
    return _answer_action(user, _("Tanggal kontrak %(name)s disimpan.", name=user.name))


# ---------------------------------------------------------------- position, supervisor, unit head (learning rules)


def _oversight_context(user: User, message: str | None = None, error: str | None = None) -> dict:
    return {
        "user": user,
        "position": positions.position_of(user),
        "position_choices": positions.choices_for(user),
        "supervisor": accounts.get_user(user.supervisor_id) if user.supervisor_id else None,
        "headed_units": oversight.headed_units(user),
        "head_units": units.list_active(),
        "current_head": oversight.head_of(user.unit_id),
        "oversight_message": message,
        "oversight_error": error,
    }


def _answer_oversight(user: User, message: str | None, error: str | None = None):
    if is_htmx():
        return render("admin/_partials/user_oversight.html", **_oversight_context(user, message, error))
    flash(error or message or "", "danger" if error else "success")  # callers give one of the two
    return redirect_to(url_for("admin.user_detail", user_id=user.id) + "#oversight")


@bp.post("/pengguna/<int:user_id>/jabatan")
@role_required(Permission.MANAGE_POSITIONS)
def user_position(user_id: int):
    user = _get_user_or_404(user_id)
    position_id = request.form.get("position_id", "")
    try:
        positions.assign_position(current_user, user, db_int(position_id, minimum=0))
    except positions.PositionError as error:
        return _answer_oversight(user, None, str(error.message))
    position = positions.position_of(user)
    if position is None:
        return _answer_oversight(user, _("Jabatan %(name)s dikosongkan.", name=user.name))
    return _answer_oversight(user, _("Jabatan %(name)s sekarang %(position)s.", name=user.name, position=position.name))


@bp.post("/pengguna/<int:user_id>/atasan")
@role_required(Permission.MANAGE_POSITIONS)
def user_supervisor(user_id: int):
    user = _get_user_or_404(user_id)
    try:
        supervisor = oversight.assign_supervisor(
            current_user, user, strip_control_characters(request.form.get("supervisor_nip", ""))
        )
    except oversight.OversightError as error:
        return _answer_oversight(user, None, str(error.message))
    if supervisor is None:
        return _answer_oversight(user, _("%(name)s tidak lagi memiliki atasan langsung.", name=user.name))
    return _answer_oversight(
        user, _("%(boss)s sekarang atasan langsung %(name)s", name=user.name, boss=supervisor.name)
    )


@bp.post("/pengguna/<int:user_id>/kepala-unit")
@role_required(Permission.MANAGE_POSITIONS)
def user_unit_head(user_id: int):
    user = _get_user_or_404(user_id)
    unit_id = request.form.get("unit_id", "")
    unit_number = db_int(unit_id, minimum=0)
    unit = units.get(unit_number) if unit_number is not None else None
    try:
        if request.form.get("action") == "relieve":
            if unit is None or oversight.head_of(unit.id) != user:
                return _answer_oversight(user, None, _("%(name)s bukan kepala unit itu.", name=user.name))
            oversight.relieve_head(current_user, unit.id)
            return _answer_oversight(
                user, _("%(name)s tidak lagi menjadi kepala %(unit)s.", name=user.name, unit=unit.name)
            )
        oversight.appoint_head(current_user, unit.id if unit else 0, user)
    except oversight.OversightError as error:
        return _answer_oversight(user, None, str(error.message))
    assert unit is not None  # appoint_head refuses a missing unit
    return _answer_oversight(user, _("%(name)s sekarang kepala %(unit)s.", name=user.name, unit=unit.name))


@bp.get("/audit")
@role_required(Permission.VIEW_AUDIT_LOG)
def audit_log():
    action = request.args.get("action") or None
    page = audit.list_entries(current_user, page_arg(), action=action)
    return render("admin/audit.html", page=page, action=action, actions=audit.actions())
