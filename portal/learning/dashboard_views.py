"""The development dashboard, its XLSX export, the reminder action, and the SIASN exports (added to ``bp``)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from portal.accounts.current import current_user, current_user_object
from portal.core import exports, fragments
from portal.core.htmx import html, is_htmx, redirect_to, render
from portal.core.inputs import db_int
from portal.learning.services import dashboard, local_today, reminders
from portal.learning.services import exports as siasn
from portal.learning.services.dashboard import Scope, UnknownUnit
from portal.learning.views import bp


def _unit_arg() -> int | None:
    return db_int(request.values.get("unit", ""), minimum=0)


def _scope() -> Scope:
    """The year and unit asked for, checked against what the viewer oversees (403 / 404)."""
    try:
        return dashboard.resolve_scope(current_user, dashboard.parse_year(request.values.get("tahun")), _unit_arg())
    except UnknownUnit:
        abort(404)


def _download(table: exports.Table, kind: str, filename: str, title: str):
    if kind == "csv":
        return exports.download(exports.csv_bytes(table), exports.CSV_MIMETYPE, filename)
    content = exports.xlsx_bytes([(siasn.SHEET_NAME, table)], title)
    return exports.download(content, exports.XLSX_MIMETYPE, filename)


def _order() -> str:
    order = request.args.get("urut", "")
    return order if order in dashboard.UNIT_ORDERS else dashboard.UNIT_ORDERS[0]


# Every table the dashboard reads (tests/learning/test_dashboard_cache.py checks it against its statements).
DASHBOARD_TABLES = (
    *("users", "units", "unit_heads", "positions", "position_requirements", "competency_assessments"),
    *("learning_records", "learning_record_competencies", "learning_targets", "learning_jp_rules"),
    *("development_types", "competencies", "workshops", "workshop_sessions", "workshop_registrations"),
    *("workshop_attendances", "workshop_competencies", "workshop_units"),
    *("feedback_forms", "feedback_form_units", "feedback_sections", "feedback_questions", "feedback_options"),
    *("feedback_respondents", "feedback_responses", "feedback_answers", "feedback_followups"),
    *("feedback_programs", "feedback_program_workshops", "feedback_program_reviews", "feedback_need_links"),
)


@bp.get("/dasbor-pengembangan")
@login_required
def dashboard_page():
    """The figures are kept per viewer, scope, order, day and language until a table they read changes."""
    scope = _scope()
    order = _order()
    this_year = dashboard.current_year()
    viewer = current_user_object()

    def body() -> str:
        board = dashboard.build(scope, order)
        return render_template("learning/_partials/dashboard_body.html", board=board, scope=scope, order=order)

    key = (viewer.id, scope.year, scope.unit.id if scope.unit else None, order, local_today())
    kept = fragments.cached("learning.dashboard", key, DASHBOARD_TABLES, body)
    if is_htmx():
        return html(kept)
    years = sorted({*range(this_year - 4, this_year + 2), scope.year}, reverse=True)
    return render("learning/dashboard.html", body=kept, scope=scope, order=order, years=years)


@bp.get("/dasbor-pengembangan/unduh.xlsx")
@login_required
def dashboard_export():
    scope = _scope()
    board = dashboard.build(scope, _order())
    where = f"unit-{scope.unit_id}" if scope.unit_id else "kota"
    content = exports.xlsx_bytes(siasn.dashboard_sheets(board), str(_("Dasbor pengembangan kompetensi")))
    return exports.download(content, exports.XLSX_MIMETYPE, f"dasbor-pengembangan-{where}-{scope.year}.xlsx")


def _chosen_ids() -> list[int] | None:
    """None: everyone below target ("semua"); otherwise the ticked people."""
    if request.form.get("semua"):
        return None
    return [number for value in request.form.getlist("user_ids") if (number := db_int(value, minimum=0)) is not None]


@bp.post("/dasbor-pengembangan/pengingat")
@login_required
def dashboard_remind():
    scope = _scope()
    back = url_for("learning.dashboard_page", tahun=scope.year, unit=scope.unit_id)
    if scope.unit is None:
        flash(_("Pilih unit terlebih dahulu."), "danger")
        return redirect_to(back)
    try:
        counts = reminders.remind_unit(current_user, scope.unit.id, scope.year, _chosen_ids())
    except reminders.ReminderError as error:
        flash(str(error.message), "danger")
        return redirect_to(back)
    flash(_reminder_message(counts), "success" if counts["sent"] else "info")
    return redirect_to(back)


def _reminder_message(counts: Any) -> str:
    parts = [ngettext("Pengingat dikirim ke %(num)d pegawai.", "Pengingat dikirim ke %(num)d pegawai.", counts["sent"])]
    if counts["already"]:
        parts.append(
            ngettext(
                "%(num)d pegawai sudah diingatkan hari ini.",
                "%(num)d pegawai sudah diingatkan hari ini.",
                counts["already"],
            )
        )
    if counts["skipped"]:
        parts.append(
            ngettext(
                "%(num)d pegawai yang dipilih tidak lagi di bawah target.",
                "%(num)d pegawai yang dipilih tidak lagi di bawah target.",
                counts["skipped"],
            )
        )
    return " ".join(parts)


# ---------------------------------------------------------------- SIASN exports


@bp.get("/dasbor-pengembangan/siasn.<any(csv, xlsx):kind>")
@login_required
def unit_siasn(kind: str):
    scope = _scope()
    return _download(siasn.unit_table(scope), kind, siasn.unit_filename(scope, kind), siasn.SHEET_NAME)


def _year_or_all() -> int | None:
    value = request.args.get("tahun", "")
    return dashboard.parse_year(value) if value else None


@bp.get("/rekam-jejak/siasn.<any(csv, xlsx):kind>")
@login_required
def my_siasn(kind: str):
    year = _year_or_all()
    table = siasn.person_table(current_user, year)
    return _download(table, kind, siasn.person_filename(current_user, kind, year), siasn.SHEET_NAME)


@bp.get("/rekam-jejak/pegawai/<int:user_id>/siasn.<any(csv, xlsx):kind>")
@login_required
def person_siasn(user_id: int, kind: str):
    owner = siasn.visible_person(current_user, user_id)
    if owner is None:
        abort(404)
    year = _year_or_all()
    return _download(siasn.person_table(owner, year), kind, siasn.person_filename(owner, kind, year), owner.name)


@bp.app_template_global("can_open_dashboard")
def can_open_dashboard() -> bool:
    """For links to the dashboard (header, ledger): called only where a template asks, so pages pay nothing."""
    return current_user.is_authenticated and dashboard.can_open(current_user)
