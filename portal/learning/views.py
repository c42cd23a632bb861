"""Rekam Jejak Belajar: the JP ledger, submitting activities, the verification queue, JP rules and targets.

Other learning pages (profile, plans, positions, dashboard, exports) add their routes to the same blueprint
from their own ``*_views`` modules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts import services as accounts
from portal.accounts.current import current_user, current_user_object
from portal.competencies import services as competencies
from portal.core import fragments, uploads
from portal.core.dates import parse_date
from portal.core.forms import RuleError, apply_error
from portal.core.htmx import is_htmx, redirect_to, render
from portal.core.inputs import db_int
from portal.core.pagination import page_arg
from portal.core.permissions import Permission, role_required
from portal.learning import services
from portal.learning.forms import ApproveForm, ClaimForm, RecordForm, RejectForm, ReturnForm, RuleForm, TargetForm
from portal.learning.models import LearningRecord, LearningStatus, TargetGroup
from portal.learning.services import (
    QueueFilters,
    RecordInput,
    contributions,
    duplicates,
    explanations,
    oversight,
    rules,
    siasn,
)
from portal.learning.services.targets import KIND_LABELS
from portal.notifications.services import is_local_url
from portal.units import services as units

bp = Blueprint("learning", __name__)

STATUS_ARGS = {status.value: status for status in LearningStatus}


# ---------------------------------------------------------------- helpers


def _int_arg(name: str, source: Any = None) -> int | None:
    return db_int((source or request.args).get(name, ""), minimum=0)


def _year_arg() -> int:
    year = _int_arg("tahun")
    this_year = services.local_today().year
    return year if year is not None and this_year - 50 <= year <= this_year + 1 else this_year


def _date_arg(name: str) -> date | None:
    return parse_date(request.args.get(name, ""))


def _visible_record(record_id: int) -> LearningRecord:
    record = services.get_visible_record(current_user, record_id)
    if record is None:
        abort(404)
    return record


def _next_url(default: str) -> str:
    target = request.form.get("next", "")
    return target if target and is_local_url(target) else default


def _flash_error(error: RuleError) -> None:
    flash(str(error.message), "danger")


# ---------------------------------------------------------------- the ledger


# Every table the ledger page reads (tests/learning/test_ledger_cache.py checks it against its statements).
LEDGER_TABLES = (
    *("users", "units", "unit_heads", "positions"),
    *("learning_records", "learning_record_competencies", "learning_targets", "learning_jp_rules"),
    *("development_types", "development_plans", "workshops", "workshop_sessions", "competencies"),
)


def _ledger_page(owner):
    """The page is kept per viewer, owner, year, day and language until a table it reads changes: a person
    opening their ledger again asks the database nothing for it."""
    year = _year_arg()
    viewer = current_user_object()
    today = services.local_today()

    def body() -> str:
        ledger = services.ledger(owner, year, today)
        can_verify = services.can_verify(viewer)
        return render_template(
            "learning/_partials/ledger_body.html",
            ledger=ledger,
            jp_notes=explanations.record_notes(ledger.records),
            history=services.history(owner, today),
            is_self=owner.id == viewer.id,
            years=range(today.year, today.year - services.YEARS_BACK - 1, -1),
            can_verify=can_verify,
            waiting=services.waiting_count() if can_verify else 0,
            status_label=services.status_label,
        )

    key = (viewer.id, owner.id, year, today)
    return render("learning/index.html", body=fragments.cached("learning.ledger", key, LEDGER_TABLES, body))


@bp.get("/rekam-jejak")
@login_required
def index():
    return _ledger_page(current_user)


@bp.get("/rekam-jejak/pegawai/<int:user_id>")
@login_required
def person(user_id: int):
    owner = accounts.get_user(user_id)
    if owner is None or not oversight.can_view_records(current_user, owner):
        abort(404)
    if owner.id == current_user.id:
        args: dict[str, Any] = request.args.to_dict()  # the first value of each, as ** on the MultiDict gives
        return redirect(url_for("learning.index", **args))
    return _ledger_page(owner)


# ---------------------------------------------------------------- submitting an activity


def _record_form(record: LearningRecord | None = None) -> RecordForm:
    form = RecordForm(obj=record) if record is not None and request.method == "GET" else RecordForm()
    types = services.list_development_types()
    if record is not None and record.development_type and not record.development_type.is_active:
        types.append(record.development_type)
    form.development_type_id.choices = [(0, _("— pilih jenis —")), *((t.id, f"{t.code} {t.name}") for t in types)]
    form.competencies.choices = [(c.code, f"{c.code} {c.name}") for c in competencies.list_active()]
    form.leadership_level_id.choices = [(0, _("— bukan pelatihan kepemimpinan —"))] + [
        (level.id, level.name) for level in siasn.leadership_levels()
    ]
    if record is not None and request.method == "GET":
        form.leadership_level_id.data = record.leadership_level_id or 0
        form.competencies.data = [c.code for c in record.competencies]
    return form


def _record_input(form: RecordForm) -> RecordInput:
    return RecordInput(
        development_type_id=form.development_type_id.data or None,
        title=form.title.data or "",
        provider=form.provider.data or "",
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        quantity=form.quantity.data,
        jp_claimed=form.jp_claimed.data,
        is_international=bool(form.is_international.data),
        competency_codes=form.competencies.data or [],
        certificate_number=form.certificate_number.data or "",
        description=form.description.data or "",
        evidence=request.files.get("evidence"),
        acknowledge_duplicate=bool(form.acknowledge_duplicate.data),
        leadership_level_id=form.leadership_level_id.data or None,
    )


def _form_page(
    form: RecordForm,
    record: LearningRecord | None = None,
    status: int = 200,
    matches: list[duplicates.Match] | None = None,
):
    data = _record_input(form)
    return render(
        "learning/record_form.html",
        form=form,
        record=record,
        matches=matches or [],
        check=services.check_input(current_user, data, record.id if record else None),
        quantity_label=_quantity_label(data.development_type_id),
        in_form=True,
        kinds=uploads.kinds_label(services.EVIDENCE_KINDS),
        max_mb=current_app.config.get("MAX_UPLOAD_MB", 10),
        status=status,
    )


def _quantity_label(type_id: int | None) -> str:
    rule = rules.rule_for(type_id)
    return str(rules.QUANTITY_LABELS[rule.unit]) if rule else _("Jumlah hari/sesi/kegiatan")


def _submitted_flash(record: LearningRecord, message: str) -> None:
    flash(message, "success")
    for warning in rules.check_record(record).warnings:
        flash(_("Perhatian: %(warning)s Verifikator akan menilainya.", warning=warning), "warning")


@bp.route("/rekam-jejak/ajukan", methods=["GET", "POST"])
@login_required
def create():
    form = _record_form()
    if not form.is_submitted():
        return _form_page(form)
    if not form.validate():
        return _form_page(form, status=400)
    try:
        record = services.submit(current_user, _record_input(form))
    except duplicates.LikelyDuplicate as error:
        apply_error(form, error)
        return _form_page(form, status=400, matches=error.matches)
    except RuleError as error:
        apply_error(form, error)
        return _form_page(form, status=400)
    _submitted_flash(record, _("Kegiatan diajukan dan menunggu verifikasi BKPSDM."))
    return redirect(url_for("learning.record", record_id=record.id))


@bp.get("/rekam-jejak/saran-jp")
@login_required
def suggest():
    """The rule's suggestion and warnings for the form as it is now (htmx, while the ASN types)."""
    type_id = _int_arg("development_type_id")
    record_id = _int_arg("record_id")
    data = RecordInput(
        development_type_id=type_id,
        title="",
        provider="",
        start_date=_date_arg("start_date"),
        end_date=_date_arg("end_date"),
        quantity=_int_arg("quantity"),
        jp_claimed=_int_arg("jp_claimed"),
        is_international=request.args.get("is_international") in {"y", "on", "1", "true"},
    )
    return render(
        "learning/_partials/suggestion.html",
        check=services.check_input(current_user, data, record_id),
        quantity_label=_quantity_label(type_id),
        in_form=True,
    )


@bp.get("/rekam-jejak/kegiatan/<int:record_id>")
@login_required
def record(record_id: int):
    found = _visible_record(record_id)
    pending = found.status in services.PENDING_STATUSES
    return render(
        "learning/record.html",
        record=found,
        matches=duplicates.matches_for(found),  # the owner's own records: whoever sees this one may see them
        owner=accounts.get_user(found.user_id),
        check=rules.check_record(found) if pending else None,
        can_edit=services.can_edit(current_user, found),
        can_decide=services.can_decide(current_user, found),
        approve_form=ApproveForm(jp=found.jp_claimed),
        return_form=ReturnForm(),
        reject_form=RejectForm(),
        contribution_link=contributions.link(found.contribution_key),
        jp_note=explanations.record_notes([found])[found.id],
        status_label=services.status_label,
        source_label=services.source_label,
    )


def _editable(record_id: int) -> LearningRecord:
    found = _visible_record(record_id)
    if not services.can_edit(current_user, found):
        abort(403)
    return found


@bp.route("/rekam-jejak/kegiatan/<int:record_id>/ubah", methods=["GET", "POST"])
@login_required
def edit(record_id: int):
    found = _editable(record_id)
    form = _record_form(found)
    if not form.is_submitted():
        return _form_page(form, found)
    if not form.validate():
        return _form_page(form, found, status=400)
    was_returned = found.status == LearningStatus.NEEDS_REVISION
    try:
        services.update(current_user, found, _record_input(form))
    except duplicates.LikelyDuplicate as error:
        apply_error(form, error)
        return _form_page(form, services.get_visible_record(current_user, record_id), status=400, matches=error.matches)
    except RuleError as error:
        apply_error(form, error)
        return _form_page(form, services.get_visible_record(current_user, record_id), status=400)
    updated = _visible_record(record_id)  # the owner still sees the record they changed
    _submitted_flash(
        updated, _("Perbaikan diajukan ulang untuk verifikasi.") if was_returned else _("Perubahan disimpan.")
    )
    return redirect(url_for("learning.record", record_id=record_id))


@bp.post("/rekam-jejak/kegiatan/<int:record_id>/tarik")
@login_required
def withdraw(record_id: int):
    found = _editable(record_id)
    try:
        services.withdraw(current_user, found)
    except RuleError as error:
        _flash_error(error)
        return redirect_to(url_for("learning.record", record_id=record_id))
    flash(_("Pengajuan ditarik dan dihapus."), "success")
    return redirect_to(url_for("learning.index"))


@bp.get("/rekam-jejak/kegiatan/<int:record_id>/bukti")
@login_required
def evidence(record_id: int):
    found = _visible_record(record_id)
    if not found.evidence_path:
        abort(404)
    return uploads.send_stored(
        services.UPLOAD_SUBDIR, found.evidence_path, found.evidence_name, found.evidence_mime, inline=True
    )


# ---------------------------------------------------------------- verification


def _queue_filters() -> QueueFilters:
    status_arg = request.args.get("status", LearningStatus.SUBMITTED.value)
    return QueueFilters(
        status=STATUS_ARGS.get(status_arg),  # "semua" and unknown values: every status
        unit_id=_int_arg("unit"),
        development_type_id=_int_arg("jenis"),
    )


@bp.get("/rekam-jejak/verifikasi")
@role_required(Permission.VERIFY_LEARNING)
def queue():
    filters = _queue_filters()
    return render(
        "learning/queue.html",
        page=services.verification_queue(current_user, filters, page_arg()),
        filters=filters,
        status_choices=[(s.value, services.status_label(s)) for s in LearningStatus],
        unit_choices=units.list_active(),
        type_choices=services.list_development_types(include_inactive=True),
        status_label=services.status_label,
    )


def _decision(record_id: int, act) -> Any:
    found = _visible_record(record_id)
    if not services.can_verify(current_user):
        abort(403)
    error = None
    try:
        act(found)
    except RuleError as failure:
        error = failure.message
    if is_htmx():
        row = services.queue_row(current_user, _visible_record(record_id))  # still visible: a decision deletes nothing
        return render("learning/_partials/queue_row.html", row=row, error=error, status_label=services.status_label)
    if error is not None:
        flash(str(error), "danger")
    return redirect(_next_url(url_for("learning.record", record_id=record_id)))


@bp.post("/rekam-jejak/kegiatan/<int:record_id>/setujui")
@login_required
def approve(record_id: int):
    form = ApproveForm()
    jp = form.jp.data if form.validate() else None

    def act(found: LearningRecord) -> None:
        services.approve(
            current_user,
            found.id,
            jp,
            form.approve_note.data or "",
            not_duplicate=bool(form.not_duplicate.data),
            reason=form.not_duplicate_reason.data or "",
        )
        if not is_htmx():
            flash(_("Kegiatan diverifikasi: %(jp)d JP diakui.", jp=jp), "success")

    return _decision(record_id, act)


@bp.post("/rekam-jejak/kegiatan/<int:record_id>/kembalikan")
@login_required
def return_record(record_id: int):
    form = ReturnForm()

    def act(found: LearningRecord) -> None:
        services.return_for_revision(current_user, found.id, form.return_note.data or "")
        if not is_htmx():
            flash(_("Kegiatan dikembalikan kepada pegawai untuk diperbaiki."), "success")

    return _decision(record_id, act)


@bp.post("/rekam-jejak/kegiatan/<int:record_id>/tolak")
@login_required
def reject(record_id: int):
    form = RejectForm()

    def act(found: LearningRecord) -> None:
        services.reject(current_user, found.id, form.reason.data or "")
        if not is_htmx():
            flash(_("Kegiatan ditolak."), "success")

    return _decision(record_id, act)


# ---------------------------------------------------------------- JP rules and targets


def _settings_page(target_form: TargetForm | None = None, status: int = 200):
    year = (target_form.year.data if target_form else None) or services.local_today().year
    if target_form is None:
        pns, pppk = (services.rule_for(group, year) for group in (TargetGroup.PNS, TargetGroup.PPPK))
        target_form = TargetForm(
            year=year,
            pns=pns.jp,
            pns_kind=pns.kind.value,
            pns_basis=pns.basis,
            pppk=pppk.jp,
            pppk_kind=pppk.kind.value,
            pppk_basis=pppk.basis,
        )
    this_year = services.local_today().year
    years = range(this_year + 1, this_year - 3, -1)
    return render(
        "learning/settings.html",
        rows=services.rule_rows(),
        describe=rules.describe,
        target_form=target_form,
        targets=sorted(services.rules_for_years(years).items(), reverse=True),
        kind_labels=KIND_LABELS,
        status=status,
    )


@bp.get("/rekam-jejak/pengaturan")
@role_required(Permission.VERIFY_LEARNING)
def settings():
    return _settings_page()


@bp.post("/rekam-jejak/pengaturan/target")
@role_required(Permission.VERIFY_LEARNING)
def targets():
    form = TargetForm()
    if not form.validate():
        return _settings_page(form, status=400)
    try:
        services.set_targets(
            current_user,
            form.year.data,
            {TargetGroup.PNS: form.pns.data, TargetGroup.PPPK: form.pppk.data},
            kinds={TargetGroup.PNS: form.pns_kind.data, TargetGroup.PPPK: form.pppk_kind.data},
            bases={TargetGroup.PNS: form.pns_basis.data, TargetGroup.PPPK: form.pppk_basis.data},
        )
    except RuleError as error:
        apply_error(form, error)
        return _settings_page(form, status=400)
    flash(_("Target JP tahun %(year)d disimpan.", year=form.year.data), "success")
    return redirect(url_for("learning.settings"))


@bp.post("/rekam-jejak/pengaturan/data-acuan")
@role_required(Permission.VERIFY_LEARNING)
def load_reference():
    counts = services.load_reference_data(current_user)
    flash(
        _("Jenis pengembangan kompetensi dan aturan JP bawaan dimuat (%(n)d jenis baru).", n=counts["created"]),
        "success",
    )
    return redirect(url_for("learning.settings"))


@bp.route("/rekam-jejak/pengaturan/jenis/<int:type_id>", methods=["GET", "POST"])
@role_required(Permission.VERIFY_LEARNING)
def edit_rule(type_id: int):
    development_type = services.get_development_type(type_id)
    if development_type is None:
        abort(404)
    rule = rules.rule_for(type_id)
    form = RuleForm(obj=rule) if rule is not None and request.method == "GET" else RuleForm()
    if request.method == "GET" and rule is not None:
        form.unit.data = rule.unit.value
        form.limit_period.data = rule.limit_period.value if rule.limit_period else ""
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            data = rules.RuleInput(
                unit=form.unit.data,
                jp_per_unit=form.jp_per_unit.data,
                jp_international=form.jp_international.data,
                max_units=form.max_units.data,
                limit_period=form.limit_period.data or None,
                note=form.note.data or "",
                source=form.source.data or "",
            )
            try:
                services.save_rule(current_user, development_type, data)
            except RuleError as error:
                apply_error(form, error)
            else:
                flash(_("Aturan JP %(type)s disimpan.", type=development_type.name), "success")
                return redirect(url_for("learning.settings") + f"#jenis-{type_id}")
    return render("learning/rule_form.html", form=form, development_type=development_type, status=status)


# ---------------------------------------------------------------- contributions inside the portal


@bp.route("/rekam-jejak/kontribusi", methods=["GET", "POST"])
@login_required
def contributions_page():
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            record_ = contributions.claim(current_user, form.key.data or "")
        except RuleError as error:
            _flash_error(error)
        else:
            flash(_("Kontribusi diajukan sebagai komunitas belajar (%(jp)d JP).", jp=record_.jp_claimed), "success")
        return redirect(url_for("learning.contributions_page"))
    rule = rules.rule_for(getattr(contributions.community_type(), "id", None))
    return render(
        "learning/contributions.html",
        items=contributions.claimable(current_user),
        available=contributions.community_type() is not None,
        rule_text=rules.describe(rule) if rule else "",
        form=form,
    )
