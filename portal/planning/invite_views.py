"""A workshop's invite list (the ASN with a gap in its competency, within the plan's quota per OPD), the invitee's
decline button, and the realised cost of a workshop that carries out a plan program."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.core.htmx import redirect_to, render
from portal.core.inputs import int_arg
from portal.learning import queries as learning
from portal.planning import services
from portal.planning.forms import CostForm, InviteForm
from portal.planning.services import PlanningError
from portal.planning.views import bp
from portal.units import services as units
from portal.workshops import services as workshops


def _managed(workshop_id: int):
    workshop = workshops.get(workshop_id)
    if workshop is None or not workshops.can_manage(current_user, workshop):
        abort(404)
    return workshop


@bp.route("/rencana-tahunan/pelatihan/<int:workshop_id>/undangan", methods=["GET", "POST"])
@login_required
def invitations(workshop_id: int):
    workshop = _managed(workshop_id)
    unit_id, position_id = int_arg("unit"), int_arg("jabatan")
    form = InviteForm()
    form.users.choices = []
    if request.method == "POST" and form.validate_on_submit():
        try:
            count = services.invite(current_user, workshop, [u for u in (form.users.data or []) if u is not None])
        except PlanningError as error:
            flash(str(error.message), "danger")
        else:
            flash(_("%(n)d pegawai diundang.", n=count), "success")
            return redirect_to(
                url_for("planning.invitations", workshop_id=workshop.id, unit=unit_id, jabatan=position_id)
            )
    listing = services.invite_list(current_user, workshop, unit_id, position_id)
    return render(
        "planning/invitations.html",
        workshop=workshop,
        listing=listing,
        form=form,
        summary=services.summary(workshop),
        unit_id=unit_id,
        position_id=position_id,
        units=units.list_active(),
        positions=learning.positions_for_unit(unit_id),
    )


@bp.post("/rencana-tahunan/pelatihan/<int:workshop_id>/tolak")
@login_required
def decline(workshop_id: int):
    workshop = workshops.get_visible(current_user, workshop_id)
    if workshop is None:
        abort(404)
    try:
        services.decline(current_user, workshop_id)
    except PlanningError as error:
        flash(str(error.message), "danger")
    else:
        flash(_("Undangan ditolak. Terima kasih sudah memberi tahu."), "success")
    return redirect_to(url_for("workshops.show", workshop_id=workshop_id))


@bp.post("/rencana-tahunan/pelatihan/<int:workshop_id>/biaya")
@login_required
def realised_cost(workshop_id: int):
    workshop = _managed(workshop_id)
    form = CostForm()
    if not form.validate_on_submit():
        flash(_("Isi biaya realisasi dengan bilangan bulat rupiah."), "danger")
    else:
        try:
            services.set_realised_cost(current_user, workshop, form.realised_cost.data)
        except PlanningError as error:
            flash(str(error.message), "danger")
        else:
            flash(_("Biaya realisasi disimpan."), "success")
    return redirect_to(url_for("workshops.dashboard", workshop_id=workshop_id) + "#rencana")
