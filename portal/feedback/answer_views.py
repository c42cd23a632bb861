"""Answering on the ``feedback`` blueprint: "Evaluasi" (what to fill in), the answer page with drafts, the thank-you
page, the public survey link (no sign-in, rate limited, a honeypot), and the technical-competency picker's search."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts import services as accounts
from portal.accounts.current import current_user
from portal.core.htmx import render
from portal.core.i18n import lazy_gettext as _l
from portal.core.inputs import int_arg
from portal.core.permissions import Permission, has_permission
from portal.extensions import limiter
from portal.feedback import services as forms
from portal.feedback.models import FeedbackForm, FormAudience, FormPurpose
from portal.feedback.services import (
    AlreadyAnswered,
    CannotAnswer,
    InvalidAnswers,
    answering,
    checking,
    pending,
    technical_needs,
)
from portal.feedback.views import bp
from portal.workshops import services as workshops

UNKNOWN_LINK = _l("Tautan survei ini tidak dikenal. Periksa kembali alamatnya.")
SCORE_KEY = "feedback_score"  # the score of the last test taken, for the thank-you page of anonymous tests


# The answer page's technical-competency picker lists the catalogue's technical competencies.
bp.add_app_template_global(technical_needs.technical_choices, "feedback_technical_choices")


def _public_limit():
    return limiter.limit(lambda: current_app.config["FEEDBACK_PUBLIC_RATE_LIMIT"], methods=["POST"])


def _answerable(form_id: int) -> FeedbackForm:
    form = answering.get_answerable(form_id)
    if form is None:
        abort(404)
    return form


def _subject(form: FeedbackForm) -> Any:
    """The participant a supervisor reports on (``?untuk=<id>``), only for supervisor follow-ups."""
    if form.purpose != FormPurpose.FOLLOWUP_SUPERVISOR or "untuk" not in request.args:
        return None
    participant = accounts.get_user(int_arg("untuk") or 0)
    if participant is None:
        abort(404)
    return participant


def _answer_url(form: FeedbackForm, subject: Any) -> str:
    return url_for("feedback.answer", form_id=form.id, untuk=getattr(subject, "id", None))


def _form_page(form: FeedbackForm, values: dict, errors: dict, status: int = 200, **context: Any):
    return render(
        "feedback/answer/form.html",
        status=status,
        form=form,
        blocks=forms.blocks(form),
        values=values,
        errors=errors,
        scale_labels=forms.scale_labels,
        answer_field=forms.answer_field,
        short_text_max=forms.SHORT_TEXT_MAX,
        long_text_max=forms.LONG_TEXT_MAX,
        honeypot_field=answering.HONEYPOT_FIELD,
        **context,
    )


def _unavailable(form: FeedbackForm, reason: Any, status: int = 403):
    return render("feedback/answer/unavailable.html", status=status, form=form, reason=reason)


# ---------------------------------------------------------------- what to fill in


@bp.get("/evaluasi")
@login_required
def index():
    return render(
        "feedback/answer/index.html",
        overview=pending.overview(current_user),
        can_build=has_permission(current_user, Permission.ORGANIZE),
        purpose_labels=forms.PURPOSE_LABELS,
    )


# ---------------------------------------------------------------- answering (signed in)


@bp.route("/evaluasi/<int:form_id>/isi", methods=["GET", "POST"])
@login_required
def answer(form_id: int):
    form = _answerable(form_id)
    if form.audience == FormAudience.PUBLIC and form.public_token and request.method == "GET":
        return redirect(url_for("feedback.public", token=form.public_token))
    subject = _subject(form)
    eligibility = answering.can_answer(current_user, form, subject)
    if eligibility.answered:
        flash(str(eligibility.reason), "info")
        return redirect(url_for("feedback.thanks", form_id=form.id))
    if not eligibility:
        return _unavailable(form, eligibility.reason)
    if request.method == "POST":
        return _post_answer(form, subject)
    draft = answering.draft_of(current_user, form, subject)
    return _form_page(
        form,
        draft.data if draft else {},
        {},
        subject=subject,
        draft=draft,
        action=_answer_url(form, subject),
    )


def _post_answer(form: FeedbackForm, subject: Any):
    url = _answer_url(form, subject)
    try:
        if request.form.get("action") == "draft":
            answering.save_draft(current_user, form, request.form, subject)
            flash(_("Isian Anda disimpan. Anda dapat melanjutkannya kapan saja sebelum formulir ditutup."), "success")
            return redirect(url)
        submitted = answering.submit(current_user, form, request.form, subject)
    except InvalidAnswers as error:
        values = checking.posted_values(request.form)
        return _form_page(form, values, error.errors, 400, subject=subject, message=error.message, action=url)
    except AlreadyAnswered as error:
        flash(str(error.message), "info")
        return redirect(url_for("feedback.thanks", form_id=form.id))
    except CannotAnswer as error:
        return _unavailable(form, error.message)
    session[SCORE_KEY] = [form.id, submitted.score, submitted.max_score] if submitted.max_score else None
    flash(_("Terima kasih, jawaban Anda sudah terkirim."), "success")
    return redirect(url_for("feedback.thanks", form_id=form.id))


@bp.post("/evaluasi/<int:form_id>/isi/hapus-draf")
@login_required
def discard_draft(form_id: int):
    form = _answerable(form_id)
    subject = _subject(form)
    if answering.discard_draft(current_user, form, subject):
        flash(_("Isian yang disimpan sudah dihapus."), "success")
    return redirect(_answer_url(form, subject))


@bp.get("/evaluasi/<int:form_id>/selesai")
@login_required
def thanks(form_id: int):
    form = _answerable(form_id)
    if not answering.has_answered_any(current_user, form):
        return redirect(url_for("feedback.answer", form_id=form.id))
    return render(
        "feedback/answer/thanks.html",
        form=form,
        score=answering.own_score(current_user, form) or _session_score(form),
        certificate_url=_certificate_url(form),
    )


def _session_score(form: FeedbackForm) -> tuple[float, float] | None:
    kept = session.get(SCORE_KEY)
    return (kept[1] or 0.0, kept[2]) if kept and kept[0] == form.id else None


def _certificate_url(form: FeedbackForm) -> str | None:
    if form.purpose != FormPurpose.EVALUATION or form.workshop_id is None:
        return None
    registration = workshops.registration_of(current_user, form.workshop_id)
    if registration is None or not workshops.certificate_unlocked(registration):
        return None
    return url_for("workshops.certificate", workshop_id=form.workshop_id)


# ---------------------------------------------------------------- the public link


def _closed_page(form: FeedbackForm | None, reason: Any):
    """404 in the portal's style, saying why: an unknown link, or a survey no longer taking answers."""
    return render("feedback/answer/public_closed.html", status=404, form=form, reason=reason)


@bp.route("/survei/<token>", methods=["GET", "POST"])
@_public_limit()
def public(token: str):
    form = answering.get_public(token)
    if form is None:
        return _closed_page(None, UNKNOWN_LINK)
    reason = answering.closed_reason(form)
    if reason:
        return _closed_page(form, reason)
    action = url_for("feedback.public", token=token)
    if request.method == "GET":
        return _form_page(form, {}, {}, public=True, action=action)
    try:
        answering.submit_public(form, request.form)
    except InvalidAnswers as error:
        values = checking.posted_values(request.form)
        return _form_page(form, values, error.errors, 400, public=True, message=error.message, action=action)
    except CannotAnswer as error:
        return _closed_page(form, error.message)
    return redirect(url_for("feedback.public_thanks", token=token))


@bp.get("/survei/<token>/terima-kasih")
def public_thanks(token: str):
    form = answering.get_public(token)
    if form is None:
        return _closed_page(None, UNKNOWN_LINK)
    return render("feedback/answer/thanks.html", form=form, score=None, certificate_url=None)


@bp.get("/evaluasi/kompetensi-teknis")
def technical_options():
    """htmx: the picker's options matching ``cari``, keeping the current choice (the select named ``field``).
    Open without sign-in like the public survey pages, which list the same competencies."""
    field = request.args.get("field", "")[:20]
    selected = request.args.get(field, "") if field.startswith("q") else ""
    return render(
        "feedback/_partials/technical_options.html",
        choices=technical_needs.technical_choices(request.args.get("cari", "")),
        selected=selected[:20],
        other=True,
    )
