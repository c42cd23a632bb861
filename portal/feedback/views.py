"""The ``feedback`` blueprint and its builder pages (organizers and admins): my forms, settings, sections,
questions, reordering (htmx, with a plain POST fallback), preview, publishing, and a workshop's forms.

``answer_views.py`` (answering, the public link) and ``result_views.py`` (results, needs, programs) add their
routes to the same blueprint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from portal.accounts.current import current_user
from portal.core.forms import apply_error
from portal.core.htmx import redirect_to, render
from portal.core.i18n import lazy_gettext as _l
from portal.core.inputs import db_int, int_arg
from portal.core.pagination import page_arg
from portal.core.permissions import Permission, role_required
from portal.core.signals import Section
from portal.core.timezone import aware_local, naive_local, to_local
from portal.core.types import utcnow
from portal.feedback import services
from portal.feedback.forms import AttachForm, SectionForm, SettingsForm
from portal.feedback.models import FeedbackForm, FormPurpose, FormStatus, Question
from portal.feedback.services import FeedbackError, FormFilters, FormInput, library
from portal.units import services as units
from portal.workshops import services as workshops

if TYPE_CHECKING:
    from portal.workshops.models import Workshop

bp = Blueprint("feedback", __name__)

LABELS = {
    "purposes": services.PURPOSE_LABELS,
    "audiences": services.AUDIENCE_LABELS,
    "statuses": services.STATUS_LABELS,
    "kinds": services.KIND_LABELS,
    "scales": services.SCALE_NAMES,
    "workshop_purposes": [p.value for p in services.WORKSHOP_PURPOSES],
    "followup_purposes": [p.value for p in services.FOLLOWUP_PURPOSES],
}


def workshop_dashboard_section(workshop: Workshop, **_kwargs: object) -> Section:
    """Answers ``core.signals.workshop_dashboard_sections``: the workshop dashboard's "Evaluasi" section."""
    return Section("feedback/_workshop_section.html", {"forms": services.forms_of_workshop(workshop.id)})


bp.add_app_template_global(services.scale_labels, "feedback_scale_labels")
bp.add_app_template_global(LABELS, "feedback_labels")  # type: ignore[arg-type] - a mapping, not a function


# ---------------------------------------------------------------- helpers


def _managed(form_id: int) -> FeedbackForm:
    form = services.get_managed(current_user, form_id)
    if form is None:
        abort(404)
    return form


def _question_of(form: FeedbackForm, question_id: int) -> Question:
    question = services.get_question(form, question_id)
    if question is None:
        abort(404)
    return question


def _managed_workshop(workshop_id: int) -> Workshop:
    workshop = workshops.get_visible(current_user, workshop_id)
    if workshop is None:
        abort(404)
    if not workshops.can_manage(current_user, workshop):
        abort(403)
    return workshop


def _builder_url(form_id: int, anchor: str = "") -> str:
    return url_for("feedback.builder", form_id=form_id) + (f"#{anchor}" if anchor else "")


def _optional_url(endpoint: str, **values: Any) -> str | None:
    """A link to a page another module adds, if it exists in this build."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _public_url(form: FeedbackForm) -> str | None:
    """The full address of a public survey: PUBLIC_BASE_URL when set (a Host header can lie)."""
    if not form.public_token:
        return None
    path = _optional_url("feedback.public", token=form.public_token)
    path = path or url_for("core.home").rstrip("/") + f"/survei/{form.public_token}"
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + path


def _flash_error(error: FeedbackError) -> None:
    flash(str(error.message), "danger")


def _status() -> int:
    """400 when a submitted form is shown again with its errors."""
    return 400 if request.method == "POST" else 200


def _enum_arg(name: str, enum_cls: type) -> Any:
    try:
        return enum_cls(request.args.get(name, ""))
    except ValueError:
        return None


# ---------------------------------------------------------------- my forms


@bp.get("/evaluasi/kelola")
@role_required(Permission.ORGANIZE)
def manage():
    filters = FormFilters(status=_enum_arg("status", FormStatus), purpose=_enum_arg("kegunaan", FormPurpose))
    page = services.managed_forms(current_user, filters, page_arg())
    return render(
        "feedback/builder/index.html",
        page=page,
        filters=filters,
        counts=services.response_counts([f.id for f in page.items]),
    )


def _settings_form(current: FeedbackForm | None = None) -> SettingsForm:
    data = None
    if request.method == "GET":
        if current is not None:
            data = {
                "title": current.title,
                "description": current.description,
                "purpose": current.purpose.value,
                "audience": current.audience.value if current.audience in services.STANDALONE_AUDIENCES else "all_asn",
                "is_anonymous": current.is_anonymous,
                "units": [u.id for u in current.units],
                "workshop_id": current.workshop_id or 0,
                "followup_days": current.followup_days,
                "opens_at": naive_local(current.opens_at),
                "closes_at": naive_local(current.closes_at),
            }
        else:
            data = {
                "purpose": request.args.get("kegunaan", FormPurpose.SURVEY.value),
                "audience": "all_asn",
                "workshop_id": int_arg("pelatihan", 0),
            }
    form = SettingsForm(data=data)
    choices = [(w.id, f"{w.title} ({to_local(w.starts_at):%d-%m-%Y})") for w in services.workshop_choices(current_user)]
    if current is not None and current.workshop is not None and current.workshop_id not in {c[0] for c in choices}:
        choices.append((current.workshop.id, current.workshop.title))
    form.workshop_id.choices = [(0, _("— belum dipasang —")), *choices]
    form.units.choices = units.choices()
    return form


def _settings_input(form: SettingsForm) -> FormInput:
    return FormInput(
        title=form.title.data or "",
        description=form.description.data or "",
        purpose=form.purpose.data or "",
        audience=form.audience.data or "",
        is_anonymous=bool(form.is_anonymous.data),
        opens_at=aware_local(form.opens_at.data),
        closes_at=aware_local(form.closes_at.data),
        unit_ids=form.units.data or [],
        workshop_id=form.workshop_id.data or None,
        followup_days=form.followup_days.data,
    )


def _show_settings_error(form: SettingsForm, error: FeedbackError) -> None:
    if error.field == "units":  # a checkbox list: shown above the form
        form.form_errors.append(str(error.message))
    else:
        apply_error(form, error)


@bp.route("/evaluasi/kelola/baru", methods=["GET", "POST"])
@role_required(Permission.ORGANIZE)
def create_form():
    form = _settings_form()
    if form.validate_on_submit():
        try:
            created = services.create_form(current_user, _settings_input(form))
        except FeedbackError as error:
            _show_settings_error(form, error)
        else:
            flash(_("Formulir dibuat. Tambahkan bagian dan pertanyaan."), "success")
            return redirect_to(_builder_url(created.id))
    return render("feedback/builder/new.html", status=_status(), form=form, templates=list(library.TEMPLATES.values()))


@bp.post("/evaluasi/kelola/templat")
@role_required(Permission.ORGANIZE)
def use_template():
    workshop_id = db_int(request.form.get("workshop_id")) or 0
    workshop = _managed_workshop(workshop_id) if workshop_id else None
    back = url_for("feedback.workshop_forms", workshop_id=workshop_id) if workshop else url_for("feedback.create_form")
    try:
        created = library.create_from_template(current_user, request.form.get("key", ""), workshop)
    except FeedbackError as error:
        _flash_error(error)
        return redirect_to(back)
    flash(_("Formulir dibuat dari templat. Periksa isinya, lalu buka formulir."), "success")
    return redirect_to(_builder_url(created.id))


# ---------------------------------------------------------------- one form


def _builder_context(form: FeedbackForm, **extra: Any) -> dict[str, Any]:
    responses = services.response_counts([form.id]).get(form.id, 0)
    return {
        "form": form,
        "blocks": services.blocks(form, include_empty=True),
        "responses": responses,
        "locked": responses > 0,
        "problems": services.publish_problems(form) if form.status != FormStatus.OPEN else [],
        "accepting": services.is_open(form),
        "now": utcnow(),
        "public_url": _public_url(form),
        "results_url": _optional_url("feedback.results_page", form_id=form.id),
        "section_form": extra.pop("section_form", None) or SectionForm(formdata=None),
        **extra,
    }


@bp.get("/evaluasi/kelola/<int:form_id>")
@role_required(Permission.ORGANIZE)
def builder(form_id: int):
    form = _managed(form_id)
    return render("feedback/builder/show.html", **_builder_context(form))


@bp.route("/evaluasi/kelola/<int:form_id>/pengaturan", methods=["GET", "POST"])
@role_required(Permission.ORGANIZE)
def edit_settings(form_id: int):
    current = _managed(form_id)
    form = _settings_form(current)
    if form.validate_on_submit():
        try:
            services.update_settings(current_user, current, _settings_input(form))
        except FeedbackError as error:
            _show_settings_error(form, error)
        else:
            flash(_("Pengaturan disimpan."), "success")
            return redirect_to(_builder_url(form_id))
    locked = services.has_responses(current)
    return render("feedback/builder/settings.html", status=_status(), form=form, current=current, locked=locked)


@bp.get("/evaluasi/kelola/<int:form_id>/pratinjau")
@role_required(Permission.ORGANIZE)
def preview(form_id: int):
    form = _managed(form_id)
    return render(
        "feedback/builder/preview.html",
        form=form,
        blocks=services.blocks(form),
        scale_labels=services.scale_labels,
        answer_field=services.answer_field,
        short_text_max=services.SHORT_TEXT_MAX,
        long_text_max=services.LONG_TEXT_MAX,
    )


_STATUS_ACTIONS = {
    "buka": (services.publish, _l("Formulir dibuka; responden sudah dapat mengisinya.")),
    "tutup": (services.close, _l("Formulir ditutup; tidak ada jawaban baru yang diterima.")),
    "buka-lagi": (services.reopen, _l("Formulir dibuka kembali.")),
}


@bp.post("/evaluasi/kelola/<int:form_id>/status/<any(buka, tutup, 'buka-lagi'):action>")
@role_required(Permission.ORGANIZE)
def change_status(form_id: int, action: str):
    form = _managed(form_id)
    operation, message = _STATUS_ACTIONS[action]
    try:
        operation(current_user, form)
    except FeedbackError as error:
        _flash_error(error)
    else:
        flash(str(message), "success")
    return redirect_to(_builder_url(form_id))


@bp.post("/evaluasi/kelola/<int:form_id>/salin")
@role_required(Permission.ORGANIZE)
def duplicate(form_id: int):
    copy = services.duplicate_form(current_user, _managed(form_id))
    flash(_("Salinan dibuat sebagai draf. Pasang ke pelatihan atau ubah pengaturannya bila perlu."), "success")
    return redirect_to(_builder_url(copy.id))


@bp.post("/evaluasi/kelola/<int:form_id>/hapus")
@role_required(Permission.ORGANIZE)
def delete_form(form_id: int):
    form = _managed(form_id)
    try:
        services.delete_form(current_user, form)
    except FeedbackError as error:
        _flash_error(error)
        return redirect_to(_builder_url(form_id))
    flash(_("Formulir dihapus."), "success")
    return redirect_to(url_for("feedback.manage"))


@bp.post("/evaluasi/kelola/<int:form_id>/tautan-baru")
@role_required(Permission.ORGANIZE)
def renew_link(form_id: int):
    form = _managed(form_id)
    try:
        services.renew_public_token(current_user, form)
    except FeedbackError as error:
        _flash_error(error)
    else:
        flash(_("Tautan publik baru dibuat; tautan lama tidak berlaku lagi."), "success")
    return redirect_to(_builder_url(form_id, "tautan-publik"))


# ---------------------------------------------------------------- sections


# ---------------------------------------------------------------- a workshop's forms


def _attach_form(attach: AttachForm | None = None) -> AttachForm:
    attach = attach or AttachForm(formdata=None)
    attach.form_id.choices = [(f.id, f.title) for f in services.attachable_forms(current_user)]
    return attach


def _workshop_page(workshop: Workshop, attach: AttachForm | None = None, status: int = 200):
    forms = services.forms_of_workshop(workshop.id)
    return render(
        "feedback/builder/workshop.html",
        status=status,
        workshop=workshop,
        forms=forms,
        counts=services.response_counts([f.id for f in forms]),
        attach_form=_attach_form(attach),
        templates=[t for t in library.TEMPLATES.values() if t.for_workshop],
        has_evaluation=any(f.purpose == FormPurpose.EVALUATION for f in forms),
        summary_url=_optional_url("feedback.results_workshop", workshop_id=workshop.id),
    )


@bp.get("/evaluasi/kelola/pelatihan/<int:workshop_id>")
@role_required(Permission.ORGANIZE)
def workshop_forms(workshop_id: int):
    return _workshop_page(_managed_workshop(workshop_id))


@bp.post("/evaluasi/kelola/pelatihan/<int:workshop_id>/pasang")
@role_required(Permission.ORGANIZE)
def attach(workshop_id: int):
    workshop = _managed_workshop(workshop_id)
    attach = _attach_form(AttachForm())
    if attach.validate_on_submit():
        chosen = services.get_managed(current_user, attach.form_id.data or 0)
        if chosen is None:
            attach.form_id.errors = [*attach.form_id.errors, _("Pilih formulir yang akan dipasang.")]
        else:
            try:
                services.attach_form(current_user, chosen, workshop, attach.purpose.data, attach.followup_days.data)
            except FeedbackError as error:
                apply_error(attach, error)
            else:
                flash(_("Formulir dipasang ke pelatihan ini."), "success")
                return redirect_to(url_for("feedback.workshop_forms", workshop_id=workshop_id))
    return _workshop_page(workshop, attach, status=400)
