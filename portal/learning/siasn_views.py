"""SIASN's reference numbers (jenisDiklatId, latihanStrukturalId) under /rekam-jejak/pengaturan/siasn (BKPSDM)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _

from portal.accounts.current import current_user
from portal.competencies.queries import list_development_types
from portal.core.forms import PortalForm, RuleError
from portal.core.htmx import render
from portal.core.permissions import Permission, role_required
from portal.learning.services import siasn
from portal.learning.views import bp


class SiasnIdsForm(PortalForm):
    """Only the CSRF token: one number input per row, named after the row (``jenis-<id>``, ``tingkat-<id>``)."""


def _page(form: SiasnIdsForm, entered: dict[str, str] | None = None, status: int = 200):
    return render(
        "learning/siasn_ids.html",
        form=form,
        types=list_development_types(include_inactive=True),
        levels=siasn.leadership_levels(),
        entered=entered or {},
        status=status,
    )


@bp.route("/rekam-jejak/pengaturan/siasn", methods=["GET", "POST"])
@role_required(Permission.VERIFY_LEARNING)
def siasn_ids():
    form = SiasnIdsForm()
    if request.method == "GET":
        return _page(form)
    types = {t.id: request.form.get(f"jenis-{t.id}", "") for t in list_development_types(include_inactive=True)}
    levels = {level.id: request.form.get(f"tingkat-{level.id}", "") for level in siasn.leadership_levels()}
    entered = {**{f"jenis-{k}": v for k, v in types.items()}, **{f"tingkat-{k}": v for k, v in levels.items()}}
    if not form.validate():
        return _page(form, entered, status=400)
    try:
        changed = siasn.save_ids(current_user, types, levels)
    except RuleError as error:
        form.form_errors.append(str(error))
        return _page(form, entered, status=400)
    flash(_("Nomor referensi SIASN disimpan (%(n)d diubah).", n=changed), "success")
    return redirect(url_for("learning.siasn_ids"))
