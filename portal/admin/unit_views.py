"""Admin management of units (OPD) under /admin/unit (blueprint ``units``), with each unit's certificate signer and
logo (and the city's default under /admin/unit/kota/sertifikat).

It lives in admin, not in units, because it shows each unit's member count from accounts, and accounts builds
on units (a user belongs to a unit): units imports no feature. Certificate signers and logos belong to workshops
(``workshops.services.certificate_profiles``), which checks the signer's NIP with accounts' rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _

from portal.accounts import services as accounts
from portal.accounts.current import current_user
from portal.core import uploads
from portal.core.forms import apply_error
from portal.core.htmx import redirect_to, render
from portal.core.permissions import Permission, role_required
from portal.core.record_views import answer_set_active
from portal.units import services
from portal.units.forms import KIND_LABELS, UnitForm
from portal.workshops import services as workshops
from portal.workshops.forms import LogoForm, SignerForm

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
    return render("units/form.html", form=form, unit=unit, **_certificate_context(unit))


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


# ---------------------------------------------------------------- certificate signer and logo (unit or city)


def _certificate_context(
    unit: Unit | None, signer_form: SignerForm | None = None, logo_form: LogoForm | None = None
) -> dict:
    profile = workshops.profile_of(unit)
    if signer_form is None:
        signer_form = SignerForm(
            formdata=None,
            data={
                "signer_name": profile.signer_name if profile else "",
                "signer_position": profile.signer_position if profile else "",
                "signer_nip": profile.signer_nip if profile else "",
            },
        )
    return {
        "signer_form": signer_form,
        "logo_form": logo_form or LogoForm(formdata=None),
        "has_logo": workshops.logo_file(unit) is not None,
        "certificate_unit": unit,
    }


def _unit_or_city(unit_id: int | None) -> Unit | None:
    return _get_or_404(unit_id) if unit_id is not None else None


def _certificate_page(unit: Unit | None, **forms):
    if unit is not None:
        return render(
            "units/form.html", form=UnitForm(obj=unit, formdata=None), unit=unit, **_certificate_context(unit, **forms)
        )
    return render("units/city_certificate.html", **_certificate_context(None, **forms))


def _back(unit: Unit | None) -> str:
    if unit is not None:
        return url_for("units.edit", unit_id=unit.id, _anchor="sertifikat")
    return url_for("units.city_certificate")


@bp.get("/kota/sertifikat")
@role_required(Permission.MANAGE_UNITS)
def city_certificate():
    return _certificate_page(None)


@bp.post("/kota/sertifikat/penanda-tangan", defaults={"unit_id": None})
@bp.post("/<int:unit_id>/sertifikat/penanda-tangan")
@role_required(Permission.MANAGE_UNITS)
def save_signer(unit_id: int | None):
    unit = _unit_or_city(unit_id)
    form = SignerForm()
    if form.validate_on_submit():
        data = workshops.SignerInput(form.signer_name.data, form.signer_position.data, form.signer_nip.data)
        try:
            signer = workshops.save_signer(current_user, unit, data)
        except workshops.WorkshopError as error:
            apply_error(form, error)
        else:
            flash(_("Penanda tangan sertifikat disimpan.") if signer else _("Penanda tangan sertifikat dikosongkan."),
                  "success")  # fmt: skip
            return redirect_to(_back(unit))
    return _certificate_page(unit, signer_form=form)


@bp.post("/kota/sertifikat/logo", defaults={"unit_id": None})
@bp.post("/<int:unit_id>/sertifikat/logo")
@role_required(Permission.MANAGE_UNITS)
def upload_logo(unit_id: int | None):
    unit = _unit_or_city(unit_id)
    form = LogoForm()
    if form.validate_on_submit():
        try:
            workshops.upload_logo(current_user, unit, request.files.get("logo"))
        except workshops.WorkshopError as error:
            apply_error(form, error)
        else:
            flash(_("Logo sertifikat disimpan."), "success")
            return redirect_to(_back(unit))
    return _certificate_page(unit, logo_form=form)


@bp.post("/kota/sertifikat/logo/hapus", defaults={"unit_id": None})
@bp.post("/<int:unit_id>/sertifikat/logo/hapus")
@role_required(Permission.MANAGE_UNITS)
def remove_logo(unit_id: int | None):
    unit = _unit_or_city(unit_id)
    if LogoForm().validate_on_submit():
        workshops.remove_logo(current_user, unit)
        flash(_("Logo sertifikat dihapus."), "success")
    return redirect_to(_back(unit))


@bp.get("/kota/sertifikat/logo", defaults={"unit_id": None})
@bp.get("/<int:unit_id>/sertifikat/logo")
@role_required(Permission.MANAGE_UNITS)
def logo(unit_id: int | None):
    found = workshops.logo_file(_unit_or_city(unit_id))
    if found is None:
        abort(404)
    stored, mime = found
    return uploads.send_stored(workshops.LOGO_SUBDIR, stored, stored, mime, inline=True)
