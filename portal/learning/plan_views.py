"""Development plans: one's own (/rencana-pengembangan) and, for supervisors and BKPSDM, another ASN's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.competencies import services as competencies
from portal.core.forms import apply_error
from portal.core.htmx import is_htmx, redirect_to, render
from portal.core.timezone import to_local
from portal.learning import services as learning
from portal.learning.models import DevelopmentPlan, PlanStatus
from portal.learning.profile_forms import MONTHS, DecisionForm, PlanForm, PlanItemForm, optional_int
from portal.learning.services import oversight, plans
from portal.learning.services import profile as profiles
from portal.learning.views import bp
from portal.workshops import services as workshops

if TYPE_CHECKING:
    from portal.accounts.models import User

YEARS_SHOWN = 5


def _year_arg() -> int:
    this_year = learning.local_today().year
    year = optional_int(request.args.get("tahun"))
    return year if year is not None and this_year - 50 <= year <= this_year + 1 else this_year


def _years() -> list[int]:
    this_year = learning.local_today().year
    return list(range(this_year + 1, this_year - YEARS_SHOWN, -1))


def _plan_form(plan: DevelopmentPlan | None, suggested: list[Any]) -> PlanForm:
    form = PlanForm(formdata=None)
    _fill_plan_choices(form, plan, suggested)
    if plan is not None:
        form.competencies.data = [c.id for c in plan.competencies]
        form.note.data = plan.note
    else:
        form.competencies.data = [c.id for c in suggested]
    return form


def _fill_plan_choices(form: PlanForm, plan: DevelopmentPlan | None, suggested: list[Any]) -> None:
    """Gap competencies first (they are the suggestion), then the rest of the catalogue."""
    chosen = list(plan.competencies) if plan else []
    ordered = list(dict.fromkeys([*suggested, *chosen, *competencies.list_active()]))
    gap_ids = {c.id for c in suggested}
    form.competencies.choices = [
        (c.id, f"{c.code} {c.name}" + (" · " + _("kesenjangan") if c.id in gap_ids else "")) for c in ordered
    ]


def _item_form(owner: User, plan: DevelopmentPlan | None, formdata: Any = None) -> PlanItemForm:
    form = PlanItemForm(formdata=formdata)
    taken = {item.workshop_id for item in plan.items} if plan else set()
    upcoming = [w for w in workshops.upcoming_for_competencies(None, 50, unit_id=owner.unit_id) if w.id not in taken]
    form.workshop_id.choices = [("", _("— Kegiatan lain (isi di bawah) —"))] + [
        (w.id, f"{w.title} · {to_local(w.starts_at):%d-%m-%Y} · {w.jp} JP") for w in upcoming
    ]
    form.development_type_id.choices = [("", _("Pilih jenis"))] + [
        (t.id, f"{t.code} {t.name}") for t in learning.list_development_types()
    ]
    targets = list(plan.competencies) if plan and plan.competencies else competencies.list_active()
    form.competency_id.choices = [("", _("Tidak spesifik"))] + [(c.id, f"{c.code} {c.name}") for c in targets]
    form.fill_months()
    return form


def _context(owner: User, year: int, **overrides: Any) -> dict[str, Any]:
    plan = plans.plan_for(owner, year)
    is_own = owner.id == current_user.id
    editable = is_own and plans.is_editable(plan, year)
    suggested = plans.suggested_competencies(owner)
    context: dict[str, Any] = {
        "owner": owner,
        "plan": plan,
        "year": year,
        "years": _years(),
        "is_own": is_own,
        "editable": editable,
        "suggested": suggested,
        "progress": plans.progress(plan) if plan else None,
        "linkable": plans.linkable_records(plan) if plan and is_own else [],
        "ledger": learning.standing(owner, year),  # the JP against the rule: a target, or a PPPK's ceiling
        "approvers": plans.approvers(owner),
        "can_decide": plan is not None and plans.can_decide(current_user, plan),
        "status_labels": plans.STATUS_LABELS,
        "statuses": PlanStatus,
        "month_names": MONTHS,
        "plan_form": _plan_form(plan, suggested) if editable else None,
        "item_form": _item_form(owner, plan) if editable else None,
        "decision_form": DecisionForm(formdata=None),
    }
    context.update(overrides)
    return context


def _page(owner: User, year: int, status: int = 200, **overrides: Any):
    return render("learning/plan.html", status=status, **_context(owner, year, **overrides))


def _items_answer(year: int, message: str | None = None, item_form: PlanItemForm | None = None, error: str = ""):
    """htmx gets the activities section back; a plain post goes back to the page (or shows it with errors)."""
    if is_htmx():
        overrides = {"message": message, "item_error": error}
        if item_form is not None:
            overrides["item_form"] = item_form
        return render("learning/_partials/plan_items.html", **_context(current_user, year, **overrides))
    if item_form is not None or error:
        if error:
            flash(error, "danger")
        overrides = {"item_form": item_form} if item_form is not None else {}
        return _page(current_user, year, status=400, **overrides)
    if message:
        flash(message, "success")
    return redirect_to(url_for("learning.plan", tahun=year) + "#kegiatan")


@bp.get("/rencana-pengembangan")
@login_required
def plan():
    return _page(current_user, _year_arg())


@bp.get("/rencana-pengembangan/pegawai/<int:user_id>")
@login_required
def plan_of(user_id: int):
    if user_id == current_user.id:
        return redirect_to(url_for("learning.plan", tahun=_year_arg()))
    owner = profiles.visible_owner(current_user, user_id)
    if owner is None:
        abort(404)
    return _page(owner, _year_arg())


@bp.post("/rencana-pengembangan/<int:year>/kompetensi")
@login_required
def plan_save(year: int):
    form = PlanForm()
    plan = plans.plan_for(current_user, year)
    suggested = plans.suggested_competencies(current_user)
    _fill_plan_choices(form, plan, suggested)
    if not form.validate():  # control characters in the note
        return _page(current_user, year, status=400, plan_form=form)
    try:
        plans.save(current_user, year, [i for i in form.competencies.data or [] if i], form.note.data or "")
    except plans.PlanError as error:
        apply_error(form, error)
        return _page(current_user, year, status=400, plan_form=form)
    flash(_("Kompetensi sasaran dan catatan disimpan."), "success")
    return redirect_to(url_for("learning.plan", tahun=year))


@bp.post("/rencana-pengembangan/<int:year>/kegiatan")
@login_required
def plan_item_add(year: int):
    plan = plans.plan_for(current_user, year)
    form = _item_form(current_user, plan, formdata=request.form)
    data = plans.ItemInput(
        title=form.title.data or "",
        development_type_id=form.development_type_id.data,
        competency_id=form.competency_id.data,
        workshop_id=form.workshop_id.data,
        planned_jp=optional_int(request.form.get("planned_jp")),
        planned_month=form.planned_month.data,
    )
    try:
        item = plans.add_item(current_user, year, data)
    except plans.PlanError as error:
        apply_error(form, error)
        return _items_answer(year, item_form=form)
    return _items_answer(year, _("Kegiatan “%(title)s” ditambahkan.", title=item.title))


def _own_item_or_404(item_id: int):
    try:
        return plans.own_item(current_user, item_id)
    except plans.PlanNotFound:
        abort(404)


@bp.post("/rencana-pengembangan/kegiatan/<int:item_id>/hapus")
@login_required
def plan_item_remove(item_id: int):
    year = _own_item_or_404(item_id).plan.year
    try:
        plans.remove_item(current_user, item_id)
    except plans.PlanError as error:
        return _items_answer(year, error=str(error.message))
    return _items_answer(year, _("Kegiatan dihapus dari rencana."))


@bp.post("/rencana-pengembangan/kegiatan/<int:item_id>/tautkan")
@login_required
def plan_item_link(item_id: int):
    year = _own_item_or_404(item_id).plan.year
    try:
        item = plans.link_record(current_user, item_id, optional_int(request.form.get("record_id")))
    except plans.PlanError as error:
        return _items_answer(year, error=str(error.message))
    message = _("Kegiatan ditandai terlaksana.") if item.record_id else _("Tautan kegiatan dilepas.")
    return _items_answer(year, message)


@bp.post("/rencana-pengembangan/<int:year>/ajukan")
@login_required
def plan_submit(year: int):
    try:
        plans.submit(current_user, year)
    except plans.PlanError as error:
        flash(str(error.message), "danger")
        return _page(current_user, year, status=400)
    names = ", ".join(user.name for user in plans.approvers(current_user)[:3])
    flash(_("Rencana diajukan; %(names)s sudah diberi tahu.", names=names), "success")
    return redirect_to(url_for("learning.plan", tahun=year))


@bp.post("/rencana-pengembangan/<int:year>/tarik")
@login_required
def plan_withdraw(year: int):
    try:
        plans.withdraw(current_user, year)
    except plans.PlanError as error:
        flash(str(error.message), "danger")
        return _page(current_user, year, status=400)
    flash(_("Rencana ditarik kembali menjadi draf; ajukan lagi setelah selesai diubah."), "success")
    return redirect_to(url_for("learning.plan", tahun=year))


def _decided_plan(plan_id: int) -> DevelopmentPlan:
    """The plan if the viewer may see it (404 otherwise); deciding is checked by the service (403)."""
    found = plans.get(plan_id)
    if found is None or not oversight.can_view_records(current_user, found.user):
        abort(404)
    return found


def _decision(plan_id: int, decide, done_message: str):
    found = _decided_plan(plan_id)
    form = DecisionForm()
    try:
        decide(current_user, found, form.note.data or "")
    except plans.PlanError as error:
        apply_error(form, error)
        return _page(found.user, found.year, status=400, decision_form=form)
    flash(done_message, "success")
    return redirect_to(url_for("learning.plan_of", user_id=found.user_id, tahun=found.year))


@bp.post("/rencana-pengembangan/keputusan/<int:plan_id>/setujui")
@login_required
def plan_approve(plan_id: int):
    return _decision(plan_id, plans.approve, _("Rencana disetujui; pegawai sudah diberi tahu."))


@bp.post("/rencana-pengembangan/keputusan/<int:plan_id>/kembalikan")
@login_required
def plan_return(plan_id: int):
    return _decision(plan_id, plans.return_plan, _("Rencana dikembalikan dengan catatan; pegawai sudah diberi tahu."))
