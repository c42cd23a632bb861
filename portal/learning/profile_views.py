"""The competency profile: one's own (/profil-kompetensi) and, for those who oversee them, another ASN's."""

from __future__ import annotations

from functools import cache

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.competencies import services as competencies
from portal.competencies.services import CATEGORY_LABELS
from portal.core.forms import apply_error
from portal.core.htmx import is_htmx, redirect_to, render
from portal.learning.profile_forms import AssessmentForm, optional_int
from portal.learning.services import oversight, plans, positions
from portal.learning.services import profile as profiles
from portal.learning.views import bp


@bp.record_once
def _register_kinds(_state) -> None:
    profiles.register_notification_kinds()
    plans.register_notification_kinds()


@bp.app_context_processor
def _oversight_helpers() -> dict:
    """For the learning menu: asked only by templates that show it, so other pages run no query."""

    @cache  # per render: the menu asks both questions
    def sees_unit() -> bool:
        return oversight.sees_everyone(current_user) or bool(oversight.headed_unit_ids(current_user))

    return {
        "learning_oversees": lambda: sees_unit() or oversight.supervises_anyone(current_user),
        "learning_sees_unit": sees_unit,
    }


def _page(owner, status: int = 200):
    data = profiles.profile_of(current_user, owner)
    assessed = {gap.competency.id for gap in data.gaps} | {a.competency_id for a in data.others}
    return render(
        "learning/profile.html",
        data=data,
        owner=owner,
        is_own=owner.id == current_user.id,
        can_confirm=oversight.can_confirm(current_user, owner),
        other_choices=[c for c in competencies.list_active() if c.id not in assessed],
        job_type_labels=positions.JOB_TYPE_LABELS,
        category_labels=CATEGORY_LABELS,
        status=status,
    )


@bp.get("/profil-kompetensi")
@login_required
def profile():
    return _page(current_user)


@bp.get("/profil-kompetensi/pegawai/<int:user_id>")
@login_required
def profile_of(user_id: int):
    if user_id == current_user.id:
        return redirect_to(url_for("learning.profile"))
    owner = profile_owner_or_404(user_id)
    return _page(owner)


def profile_owner_or_404(user_id: int):
    owner = profiles.visible_owner(current_user, user_id)
    if owner is None:
        abort(404)
    return owner


@bp.get("/profil-kompetensi/nilai")
@login_required
def profile_assess_pick():
    """The "another competency" picker (a plain GET form) lands here and goes on to that competency's form."""
    competency = profiles.assessable(optional_int(request.args.get("kompetensi")), current_user)
    if competency is None:
        abort(404)
    return redirect_to(url_for("learning.profile_assess", competency_id=competency.id))


@bp.route("/profil-kompetensi/nilai/<int:competency_id>", methods=["GET", "POST"])
@login_required
def profile_assess(competency_id: int):
    competency = profiles.assessable(competency_id, current_user)
    if competency is None:
        abort(404)
    existing = profiles.assessment_of(current_user, competency.id)
    form = AssessmentForm(obj=existing)
    if request.method == "GET" and existing is not None:
        form.level.data = str(existing.level)
    required = next(
        (gap.required for gap in profiles.gaps_for(current_user) if gap.competency.id == competency.id), None
    )
    if form.validate_on_submit():
        try:
            profiles.assess(current_user, competency.id, form.level.data, form.evidence.data)
        except profiles.ProfileError as error:
            apply_error(form, error)
        else:
            flash(_("Penilaian diri %(code)s disimpan.", code=competency.code), "success")
            return redirect_to(url_for("learning.profile") + f"#kompetensi-{competency.id}")
    return render(
        "learning/profile_assess.html",
        form=form,
        competency=competency,
        existing=existing,
        required=required,
        category_labels=CATEGORY_LABELS,
        status=400 if form.is_submitted() else 200,
    )


def _row(owner, competency_id: int | None, message: str = "", error: str = ""):
    """One competency of another ASN's profile, as htmx swaps it after a confirmation."""
    gap = next((g for g in profiles.gaps_for(owner) if g.competency.id == competency_id), None)
    assessment = profiles.assessment_of(owner, competency_id) if competency_id else None
    if gap is not None:
        competency = gap.competency
    elif assessment is not None:
        competency = assessment.competency
    else:
        abort(404)
    return render(
        "learning/_partials/profile_row.html",
        gap=gap,
        assessment=assessment,
        competency=competency,
        owner=owner,
        is_own=False,
        can_confirm=True,
        category_labels=CATEGORY_LABELS,
        message=message,
        error=error,
    )


@bp.post("/profil-kompetensi/pegawai/<int:user_id>/konfirmasi")
@login_required
def profile_confirm(user_id: int):
    owner = profile_owner_or_404(user_id)
    competency_id = optional_int(request.form.get("competency_id"))
    try:
        assessment = profiles.confirm(current_user, owner, competency_id, request.form.get("level"))
    except profiles.ProfileError as error:
        if is_htmx():
            return _row(owner, competency_id, error=str(error.message))
        flash(str(error.message), "danger")
        return _page(owner, status=400)
    message = _(
        "Level %(level)d untuk %(code)s dikonfirmasi.",
        level=assessment.confirmed_level,
        code=assessment.competency.code,
    )
    if is_htmx():
        return _row(owner, competency_id, message=message)
    flash(message, "success")
    return redirect_to(url_for("learning.profile_of", user_id=owner.id) + f"#kompetensi-{competency_id}")
