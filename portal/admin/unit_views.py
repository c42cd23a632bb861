"""Admin management of units (OPD) under /admin/unit (blueprint ``units``).

It lives in admin, not in units, because it shows each unit's member count from accounts, and accounts builds
on units (a user belongs to a unit): units imports no feature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, url_for
from flask_babel import gettext as _

from portal.accounts import services as accounts
from portal.accounts.current import current_user
from portal.core.forms import apply_error
from portal.core.htmx import redirect_to, render
from portal.core.permissions import Permission, role_required
from portal.core.record_views import answer_set_active
from portal.units import services
from portal.units.forms import KIND_LABELS, UnitForm

if TYPE_CHECKING:
    from portal.units.models import Unit

bp = Blueprint("units", __name__, url_prefix="/admin/unit")


@bp.context_processor
def _labels() -> dict:
    return {"kind_labels": KIND_LABELS}


def _get_or_404(unit_id: int) -> Unit:
    unit = services.get(unit_id)
    if unit is None:
        abort(404)
    return unit


def _data(form: UnitForm) -> services.UnitData:
    return services.UnitData(
        # Code and name are required fields: validation guarantees their data.
        code=form.code.data or "",
        name=form.name.data or "",
        short_name=form.short_name.data,
        kind=form.kind.data,
    )


@bp.get("")
@role_required(Permission.MANAGE_UNITS)
def index():
    return render(
        "units/index.html",
        units=services.list_all(),
        member_counts=accounts.member_counts_by_unit(current_user),
    )


@bp.route("/baru", methods=["GET", "POST"])
@role_required(Permission.MANAGE_UNITS)
def create():
    form = UnitForm()
    if form.validate_on_submit():
        try:
            unit = services.create(current_user, _data(form))
        except services.UnitError as error:
            apply_error(form, error)
        else:
            flash(_("Unit %(name)s sudah ditambahkan.", name=unit.name), "success")
            return redirect_to(url_for("units.index"))
    return render("units/form.html", form=form, unit=None)


@bp.route("/<int:unit_id>/ubah", methods=["GET", "POST"])
@role_required(Permission.MANAGE_UNITS)
def edit(unit_id: int):
    unit = _get_or_404(unit_id)
    form = UnitForm(obj=unit)
    if form.validate_on_submit():
        try:
            services.update(current_user, unit, _data(form))
        except services.UnitError as error:
            apply_error(form, error)
        else:
            flash(_("Unit %(name)s sudah disimpan.", name=unit.name), "success")
            return redirect_to(url_for("units.index"))
    return render("units/form.html", form=form, unit=unit)


@bp.post("/<int:unit_id>/status")
@role_required(Permission.MANAGE_UNITS)
def set_active(unit_id: int):
    unit = _get_or_404(unit_id)
    return answer_set_active(
        services.set_active,
        unit,
        activated=_("Unit %(name)s aktif kembali.", name=unit.name),
        deactivated=_("Unit %(name)s dinonaktifkan. Pegawainya tetap tercatat di unit ini.", name=unit.name),
        back=url_for("units.index"),
    )
