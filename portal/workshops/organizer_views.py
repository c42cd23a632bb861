"""The organizer's workshop pages on the ``workshops`` blueprint: authoring (create, edit, publish, cancel, complete),
the participants (dashboard, decisions, exports, sign-in sheet) and attendance."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.competencies import queries as competency_catalogue
from portal.competencies import services as competencies
from portal.core import exports, signals
from portal.core.forms import apply_error
from portal.core.htmx import is_htmx, redirect_to, render
from portal.core.i18n import lazy_gettext as _l
from portal.core.inputs import db_int
from portal.core.permissions import Permission, role_required
from portal.core.timezone import aware_local, local_moment, naive_local
from portal.core.types import utcnow
from portal.units import services as units
from portal.workshops import documents, services
from portal.workshops.forms import SESSION_ROWS, AddParticipantForm, ReasonForm, WorkshopForm
from portal.workshops.models import JpBasis, RegistrationStatus, Workshop, WorkshopStatus
from portal.workshops.services import SessionInput, SignerInput, WorkshopError, WorkshopInput
from portal.workshops.services.jp import DEFAULT_TYPE_CODE
from portal.workshops.views import _flash_error, _managed, _managed_session, bp

# ---------------------------------------------------------------- organizing


@bp.get("/pelatihan/kelola")
@role_required(Permission.ORGANIZE)
def manage():
    workshops = services.managed_workshops(current_user)
    ids = [w.id for w in workshops]
    return render(
        "workshops/manage.html",
        workshops=workshops,
        taken=services.seats_taken(ids),
        pending=services.pending_approval(ids),
    )


def _workshop_form(workshop: Workshop | None = None) -> WorkshopForm:
    data = None
    if request.method == "GET":
        data = _form_data(workshop) if workshop else _new_form_data()
    form = WorkshopForm(data=data)
    form.development_type_id.choices = [(0, _("— pilih —"))] + [
        (t.id, f"{t.code} {t.name}") for t in competency_catalogue.list_development_types()
    ]
    form.competencies.choices = [(c.code, str(c)) for c in competencies.list_active()]
    form.provider_unit_id.choices = [(0, _("— lembaga dari luar —")), *units.choices()]
    form.eligible_units.choices = units.choices()
    return form


def _new_form_data() -> dict[str, Any]:
    """A new workshop is typed "Workshop/lokakarya" (KL07) until the organizer picks another type.

    Another page may open the form prefilled ("Buat pelatihan untuk kebutuhan ini", "... untuk butir rencana ini"):
    ``judul``, ``jenis`` (development type id), ``kompetensi`` and ``unit`` (repeatable), ``kapasitas`` and
    ``asal`` (the origin the created workshop is linked back to, see ``core.signals.workshop_created``). Only
    values the form offers are taken; the organizer still checks and saves."""
    default_type = competency_catalogue.get_development_type_by_code(DEFAULT_TYPE_CODE)
    args = request.args
    chosen_type = competency_catalogue.get_development_type(db_int(args.get("jenis")))
    unit_ids = {unit_id for unit_id, _label in units.choices()}
    codes = {c.code for c in competencies.list_active()}
    data: dict[str, Any] = {
        "provider_unit_id": current_user.unit_id or 0,
        "development_type_id": chosen_type.id if chosen_type else (default_type.id if default_type else 0),
        "title": args.get("judul", "")[:200],
        "competencies": [code for code in args.getlist("kompetensi") if code in codes],
        "eligible_units": [uid for uid in (db_int(v) for v in args.getlist("unit")) if uid in unit_ids],
        "origin": args.get("asal", "")[:60],
    }
    capacity = db_int(args.get("kapasitas"))
    if capacity is not None and capacity >= 1:
        data["capacity"] = capacity
    return data


def _form_data(workshop: Workshop) -> dict[str, Any]:
    local = services.to_local
    sessions = [{"day": local(s.starts_at).date(), "start": local(s.starts_at).time(), "end": local(s.ends_at).time()}
                for s in workshop.sessions]  # fmt: skip
    return {
        "title": workshop.title,
        "description": workshop.description_md,
        "development_type_id": workshop.development_type_id or 0,
        "competencies": [c.code for c in workshop.competencies],
        "provider_unit_id": workshop.provider_unit_id or 0,
        "provider_name": workshop.provider_name,
        "trainers": ", ".join(u.nip for u in workshop.trainers),
        "trainer_names": workshop.trainer_names,
        "location": workshop.location,
        "online_url": workshop.online_url,
        "sessions": sessions[:SESSION_ROWS],
        "capacity": workshop.capacity,
        "jp": workshop.jp if workshop.jp_basis != JpBasis.RULE else None,  # a figure stored before the rule stays
        "jp_reason": workshop.jp_reason,
        "registration_opens_at": naive_local(workshop.registration_opens_at),
        "registration_closes_at": naive_local(workshop.registration_closes_at),
        "eligible_units": [u.id for u in workshop.eligible_units],
        "employment_filter": workshop.employment_filter.value,
        "approval_mode": workshop.approval_mode.value,
        "attendance_threshold": workshop.attendance_threshold,
        "signer_name": workshop.signer_name,
        "signer_position": workshop.signer_position,
        "signer_nip": workshop.signer_nip,
    }


def _sessions(form: WorkshopForm) -> list[SessionInput]:
    rows = []
    for entry in form.sessions.entries:
        day, start, end = entry.form.day.data, entry.form.start.data, entry.form.end.data
        if not (day or start or end):
            continue
        rows.append(
            SessionInput(
                local_moment(day, start) if day and start else None,
                local_moment(day, end) if day and end else None,
            )
        )
    return rows


def _input(form: WorkshopForm) -> WorkshopInput:
    return WorkshopInput(
        title=form.title.data or "",
        description=form.description.data or "",
        development_type_id=form.development_type_id.data or None,
        competency_codes=form.competencies.data or [],
        provider_unit_id=form.provider_unit_id.data or None,
        provider_name=form.provider_name.data or "",
        trainer_nips=[nip for nip in (form.trainers.data or "").split(",") if nip.strip()],
        trainer_names=form.trainer_names.data or "",
        location=form.location.data or "",
        online_url=form.online_url.data or "",
        sessions=_sessions(form),
        capacity=form.capacity.data,
        jp=form.jp.data,
        jp_reason=form.jp_reason.data or "",
        registration_opens_at=aware_local(form.registration_opens_at.data),
        registration_closes_at=aware_local(form.registration_closes_at.data),
        eligible_unit_ids=form.eligible_units.data or [],
        employment_filter=form.employment_filter.data or "all",
        approval_mode=form.approval_mode.data or "automatic",
        attendance_threshold=form.attendance_threshold.data,
        signer=SignerInput(form.signer_name.data, form.signer_position.data, form.signer_nip.data),
        origin=form.origin.data or "",
    )


def _show_form_errors(form: WorkshopForm, error: WorkshopError) -> None:
    if error.field in ("sessions", "competencies", "eligible_units", "trainers"):  # lists: shown above the form
        form.form_errors.append(str(error.message))
    else:
        apply_error(form, error)


@bp.route("/pelatihan/baru", methods=["GET", "POST"])
@role_required(Permission.ORGANIZE)
def create():
    form = _workshop_form()
    if form.validate_on_submit():
        try:
            workshop = services.create(current_user, _input(form))
        except WorkshopError as error:
            _show_form_errors(form, error)
        else:
            flash(_("Draf pelatihan disimpan. Terbitkan bila sudah siap."), "success")
            return redirect_to(url_for("workshops.show", workshop_id=workshop.id))
    return render(
        "workshops/edit.html", form=form, workshop=None, minutes_per_jp=_minutes_per_jp(), jp_explanation=None
    )


@bp.route("/pelatihan/<int:workshop_id>/ubah", methods=["GET", "POST"])
@login_required
def edit(workshop_id: int):
    workshop = _managed(workshop_id)
    form = _workshop_form(workshop)
    if form.validate_on_submit():
        try:
            services.update(current_user, workshop, _input(form))
        except WorkshopError as error:
            _show_form_errors(form, error)
        else:
            flash(_("Perubahan pelatihan disimpan."), "success")
            return redirect_to(url_for("workshops.show", workshop_id=workshop_id))
    return render(
        "workshops/edit.html",
        form=form,
        workshop=workshop,
        minutes_per_jp=_minutes_per_jp(),
        jp_explanation=services.explain_jp(workshop),
    )


def _minutes_per_jp() -> int:
    return int(current_app.config["WORKSHOPS_MINUTES_PER_JP"])


@bp.post("/pelatihan/<int:workshop_id>/terbitkan")
@login_required
def publish(workshop_id: int):
    workshop = _managed(workshop_id)
    try:
        services.publish(current_user, workshop)
    except WorkshopError as error:
        _flash_error(error)
    else:
        flash(_("Pelatihan diterbitkan; pegawai sudah bisa mendaftar."), "success")
    return redirect_to(url_for("workshops.show", workshop_id=workshop_id))


@bp.post("/pelatihan/<int:workshop_id>/batalkan")
@login_required
def cancel_workshop(workshop_id: int):
    workshop = _managed(workshop_id)
    try:
        count = services.cancel_workshop(current_user, workshop, request.form.get("reason", ""))
    except WorkshopError as error:
        _flash_error(error)
    else:
        flash(_("Pelatihan dibatalkan; %(n)d pendaftar diberi tahu.", n=count), "success")
    return redirect_to(url_for("workshops.show", workshop_id=workshop_id))


@bp.post("/pelatihan/<int:workshop_id>/selesai")
@login_required
def complete(workshop_id: int):
    workshop = _managed(workshop_id)
    try:
        services.complete_workshop(current_user, workshop)
    except WorkshopError as error:
        _flash_error(error)
    else:
        flash(_("Pelatihan ditandai selesai."), "success")
    return redirect_to(url_for("workshops.dashboard", workshop_id=workshop_id))


@bp.get("/pelatihan/<int:workshop_id>/peserta")
@login_required
def dashboard(workshop_id: int):
    workshop = _managed(workshop_id)
    if services.has_ended(workshop):
        services.complete_due(workshop_id=workshop.id)
    return render("workshops/dashboard.html", **_dashboard_context(workshop))


def _dashboard_context(workshop: Workshop, add_form: AddParticipantForm | None = None) -> dict[str, Any]:
    rows = services.participants(current_user, workshop)
    by_status: dict[RegistrationStatus, list] = {status: [] for status in RegistrationStatus}
    for row in rows:
        by_status[row.registration.status].append(row)
    return {
        "workshop": workshop,
        "by_status": by_status,
        "counts": {status: len(items) for status, items in by_status.items()},
        "completed": sum(1 for row in rows if row.registration.is_completed),
        "ceiling_warnings": services.registration_warnings([row.registration for row in rows], workshop),
        "add_form": add_form or AddParticipantForm(),
        "reason_form": ReasonForm(),
        "status_labels": documents.STATUS_LABELS,
        "can_complete": workshop.status == WorkshopStatus.PUBLISHED and workshop.ends_at <= utcnow(),
        # blocks other features add (feedback: the evaluation forms), through core.signals
        "sections": signals.answers(signals.workshop_dashboard_sections, workshop, viewer=current_user),
    }


@bp.post("/pelatihan/<int:workshop_id>/peserta/tambah")
@login_required
def add_participant(workshop_id: int):
    workshop = _managed(workshop_id)
    form = AddParticipantForm()
    if form.validate_on_submit():
        try:
            registration = services.add_participant(current_user, workshop, form.nip.data or "")
        except WorkshopError as error:
            _flash_error(error)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                flash(_("Peserta ditambahkan."), "success")
            else:
                flash(_("Kursi penuh: pegawai dimasukkan ke daftar tunggu."), "warning")
    else:
        for message in form.nip.errors:
            flash(str(message), "danger")
    return redirect_to(url_for("workshops.dashboard", workshop_id=workshop_id))


_DECISIONS = {
    "setujui": (lambda actor, w, rid: services.approve(actor, w, rid), _l("Pendaftaran disetujui.")),
    "tolak": (
        lambda actor, w, rid: services.reject(actor, w, rid, request.form.get("reason", "")),
        _l("Pendaftaran ditolak; pegawai diberi tahu alasannya."),
    ),
    "keluarkan": (lambda actor, w, rid: services.remove_participant(actor, w, rid), _l("Peserta dikeluarkan.")),
}


@bp.post("/pelatihan/<int:workshop_id>/peserta/<int:registration_id>/<any(setujui, tolak, keluarkan):action>")
@login_required
def decide(workshop_id: int, registration_id: int, action: str):
    workshop = _managed(workshop_id)
    operation, message = _DECISIONS[action]
    try:
        operation(current_user, workshop, registration_id)
    except WorkshopError as error:
        _flash_error(error)
    else:
        flash(str(message), "success")
    return redirect_to(url_for("workshops.dashboard", workshop_id=workshop_id))


@bp.get("/pelatihan/<int:workshop_id>/peserta.<any(csv, xlsx):kind>")
@login_required
def export(workshop_id: int, kind: str):
    workshop = _managed(workshop_id)
    table = documents.participant_table(workshop, services.participants(current_user, workshop))
    filename = f"peserta-pelatihan-{workshop.id}.{kind}"
    if kind == "csv":
        return exports.download(exports.csv_bytes(table), exports.CSV_MIMETYPE, filename)
    sheet = (str(_("Peserta")), table)
    return exports.download(exports.xlsx_bytes([sheet], workshop.title), exports.XLSX_MIMETYPE, filename)


@bp.get("/pelatihan/<int:workshop_id>/daftar-hadir")
@login_required
def sign_in_sheet(workshop_id: int):
    workshop = _managed(workshop_id)
    rows = [
        row
        for row in services.participants(current_user, workshop)
        if row.registration.status == RegistrationStatus.CONFIRMED
    ]
    return render("workshops/sign_in_sheet.html", workshop=workshop, rows=rows, to_local=services.to_local)


# ---------------------------------------------------------------- attendance


@bp.get("/pelatihan/<int:workshop_id>/sesi/<int:session_id>/presensi")
@login_required
def attendance(workshop_id: int, session_id: int):
    workshop, session = _managed_session(workshop_id, session_id)
    query = request.args.get("q", "")
    rows = [
        row
        for row in services.participants(current_user, workshop, query)
        if row.registration.status == RegistrationStatus.CONFIRMED
    ]
    return render(
        "workshops/attendance.html",
        partial="workshops/_partials/attendance_rows.html",
        workshop=workshop,
        session=session,
        rows=rows,
        query=query,
        state=services.attendance_state(session),
        to_local=services.to_local,
    )


@bp.post("/pelatihan/<int:workshop_id>/sesi/<int:session_id>/presensi/<int:registration_id>")
@login_required
def toggle_attendance(workshop_id: int, session_id: int, registration_id: int):
    workshop, session = _managed_session(workshop_id, session_id)
    present = request.form.get("present") == "1"
    reason = request.form.get("reason", "")
    error = None
    try:
        registration = services.set_attendance(current_user, workshop, registration_id, session.id, present, reason)
    except WorkshopError as failure:
        error = failure.message
        if not is_htmx():
            _flash_error(failure)
    if not is_htmx():
        return redirect(url_for("workshops.attendance", workshop_id=workshop_id, session_id=session_id))
    if error is not None:
        return render("workshops/_partials/attendance_error.html", error=error)
    row = services.ParticipantRow(registration, services.present_session_ids(registration))
    state = services.attendance_state(session)
    return render("workshops/_partials/attendance_row.html", workshop=workshop, session=session, row=row, state=state)
