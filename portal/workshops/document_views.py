"""The workshop's documents on the ``workshops`` blueprint: calendar files (one workshop, the private feed),
certificates and their public verification, the session QR code and the QR self check-in it leads to."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.core import exports
from portal.core.htmx import render
from portal.workshops import documents, services
from portal.workshops.certificate_pdf import Place, certificate_pdf
from portal.workshops.services import WorkshopError
from portal.workshops.views import _external_url, _flash_error, _managed, _managed_session, _uid_domain, _visible, bp

# ---------------------------------------------------------------- calendar files


@bp.get("/kalender/<token>.ics")
def personal_feed(token: str):
    owner = services.feed_owner(token)
    if owner is None:
        abort(404)
    pairs = [(w, _external_url("workshops.show", workshop_id=w.id)) for w in services.confirmed_workshops(owner)]
    body = documents.calendar_file(pairs, _uid_domain(), _("Pelatihan saya"))
    return exports.download(body, "text/calendar", "pelatihan.ics", inline=True)


@bp.get("/pelatihan/<int:workshop_id>/kalender.ics")
@login_required
def ics(workshop_id: int):
    workshop = _visible(workshop_id)
    url = _external_url("workshops.show", workshop_id=workshop.id)
    body = documents.calendar_file([(workshop, url)], _uid_domain(), workshop.title)
    return exports.download(body, "text/calendar", f"pelatihan-{workshop.id}.ics")


@bp.get("/pelatihan/<int:workshop_id>/sertifikat.pdf")
@login_required
def certificate(workshop_id: int):
    workshop = _visible(workshop_id)
    services.complete_due(workshop_id=workshop.id, user_id=current_user.id)
    try:
        data = services.certificate_for(current_user, workshop)
    except WorkshopError as error:
        _flash_error(error)
        return redirect(url_for("workshops.show", workshop_id=workshop_id))
    verify_url = _external_url("workshops.verify", number=data.number)
    body = certificate_pdf(data, _place(), verify_url)
    return exports.download(body, "application/pdf", f"sertifikat-{data.number}.pdf")


@bp.get("/pelatihan/<int:workshop_id>/sertifikat-contoh.pdf")
@login_required
def certificate_preview(workshop_id: int):
    """The organizer's sample certificate (watermarked, no number issued, nothing stored)."""
    workshop = _managed(workshop_id)
    data = services.certificate_preview(current_user, workshop)
    body = certificate_pdf(data, _place(), _external_url("workshops.verify_form"))
    return exports.download(body, "application/pdf", f"contoh-sertifikat-{workshop.id}.pdf", inline=True)


def _place() -> Place:
    config = current_app.config
    return Place(government=config["CERTIFICATE_GOVERNMENT"], town=config["CERTIFICATE_PLACE"])


# ---------------------------------------------------------------- certificate verification (public)


@bp.get("/sertifikat")
def verify_form():
    number = request.args.get("nomor", "").strip()
    if number:
        return redirect(url_for("workshops.verify", number=number[:60]))
    return render("workshops/verify.html", number="", certificate=None, searched=False)


@bp.get("/sertifikat/<number>")
def verify(number: str):
    found = services.verify_certificate(number)
    return render(
        "workshops/verify.html", number=number[:60], certificate=found, searched=True, status=200 if found else 404
    )


# ---------------------------------------------------------------- QR self check-in


@bp.route("/presensi/<code>", methods=["GET", "POST"])
@login_required
def checkin(code: str):
    session = services.session_by_code(code)
    if session is None or not services.can_view(current_user, session.workshop):
        abort(404)
    if request.method == "POST":
        try:
            result = services.check_in(current_user, code)
        except WorkshopError as error:
            return render("workshops/checkin.html", session=session, problem=error.message, done=False, status=400)
        message = _("Anda sudah tercatat hadir sebelumnya.") if result.already else _("Kehadiran Anda tercatat.")
        return render("workshops/checkin.html", session=result.session, problem=None, done=True, message=message)
    problem = services.checkin_problem(current_user, session)
    return render("workshops/checkin.html", session=session, problem=problem, done=False)


@bp.get("/pelatihan/<int:workshop_id>/sesi/<int:session_id>/qr")
@login_required
def qr(workshop_id: int, session_id: int):
    workshop, session = _managed_session(workshop_id, session_id)
    url = _external_url("workshops.checkin", code=session.checkin_code)
    opens, closes = services.checkin_window(session)
    return render(
        "workshops/qr.html",
        workshop=workshop,
        session=session,
        checkin_url=url,
        qr_src=documents.qr_data_uri(url),
        opens=opens,
        closes=closes,
        to_local=services.to_local,
    )
