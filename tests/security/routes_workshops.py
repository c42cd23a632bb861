"""Authorization rows for workshops (format: see test_access_matrix.py).

The workshops the needs create belong to a separate organizer: the organizer persona is *another* organizer,
so owner-only pages answer 403 (or 404 for drafts) to them and to everyone but admins. Published workshops
are for every signed-in user; the member persona is registered in them. Certificate verification and the
private calendar feed (a secret token) need no login.
"""

from datetime import UTC, datetime, timedelta

from portal.core.permissions import Role
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code
from portal.workshops import services
from portal.workshops.services import SessionInput, WorkshopInput

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")


def _outcomes(anonymous, signed_in, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


def _workshop(ctx, status="published", starts_in=timedelta(days=10)):
    upsert_development_types()
    owner = ctx.make_user(Role.ORGANIZER)
    start = datetime.now(UTC) + starts_in
    workshop = services.create(
        owner,
        WorkshopInput(
            title="Pelatihan Pelayanan Prima",
            development_type_id=get_development_type_by_code("KL03").id,
            provider_name="BKPSDM",
            sessions=[SessionInput(start, start + timedelta(hours=3))],
            capacity=30,
        ),
    )
    if status == "published":
        services.publish(owner, workshop)
    return owner, services.get(workshop.id)


def _workshop_need(ctx):
    _owner, workshop = _workshop(ctx)
    registration = services.register(ctx.member, workshop.id)
    return {
        "workshop_id": workshop.id,
        "session_id": workshop.sessions[0].id,
        "registration_id": registration.id,
    }


def _draft_need(ctx):
    return {"draft_id": _workshop(ctx, status="draft")[1].id}


def _attended_need(ctx):
    # The session ended ten minutes ago: self check-in is still open and completes the workshop at once.
    owner, workshop = _workshop(ctx, starts_in=-timedelta(hours=3, minutes=10))
    services.add_participant(owner, workshop, ctx.member.nip)
    code = workshop.sessions[0].checkin_code
    return {"attended_id": workshop.id, "checkin_code": code, "certificate_number": _certificate(ctx, code, workshop)}


def _certificate(ctx, code, workshop):
    services.check_in(ctx.member, code)
    return services.registration_of(ctx.member, workshop.id).certificate_number


def _open_checkin_need(ctx):
    owner, workshop = _workshop(ctx, starts_in=timedelta(minutes=-10))
    services.add_participant(owner, workshop, ctx.member.nip)
    return {"checkin_code": workshop.sessions[0].checkin_code}


def _feed_need(ctx):
    return {"feed_token": services.renew_feed_token(ctx.member)}


NEEDS = {
    "workshop": _workshop_need,
    "draft_workshop": _draft_need,
    "attended_workshop": _attended_need,
    "open_checkin": _open_checkin_need,
    "calendar_feed": _feed_need,
}

PAGE = _outcomes("login", 200)
ACTION = _outcomes("login", "redirect")
PUBLIC = _outcomes(200, 200)
ORGANIZER_PAGE = _outcomes("login", 403, organizer=200, admin=200)
ORGANIZER_FORM = _outcomes("login", 403, organizer="ok", admin="ok")
OWNER_PAGE = _outcomes("login", 403, admin=200)  # the owner is nobody of the personas; admins manage all
OWNER_ACTION = _outcomes("login", 403, admin="redirect")
DRAFT_ACTION = _outcomes("login", 404, admin="redirect")


def _row(endpoint, method, path, expect, *needs, data=None):
    row = {"endpoint": endpoint, "method": method, "path": path, "expect": expect}
    if needs:
        row["needs"] = list(needs)
    if data:
        row["data"] = data
    return row


W = "/pelatihan/{workshop_id}"
ROUTES = [
    _row("workshops.index", "GET", "/pelatihan", PAGE, "workshop"),
    _row("workshops.calendar", "GET", "/pelatihan/kalender", PAGE, "workshop"),
    _row("workshops.mine", "GET", "/pelatihan/saya", PAGE, "workshop"),
    _row("workshops.renew_feed", "POST", "/pelatihan/kalender-pribadi", ACTION),
    _row("workshops.revoke_feed", "POST", "/pelatihan/kalender-pribadi/cabut", ACTION, "calendar_feed"),
    _row("workshops.personal_feed", "GET", "/kalender/{feed_token}.ics", PUBLIC, "calendar_feed", "workshop"),
    _row("workshops.personal_feed", "GET", "/kalender/token-palsu.ics", _outcomes(404, 404)),
    _row("workshops.show", "GET", W, PAGE, "workshop"),
    _row("workshops.show", "GET", "/pelatihan/{draft_id}", _outcomes("login", 404, admin=200), "draft_workshop"),
    _row("workshops.register", "POST", W + "/daftar", ACTION, "workshop"),
    _row(
        "workshops.register",
        "POST",
        "/pelatihan/{draft_id}/daftar",
        _outcomes("login", 404, admin="redirect"),
        "draft_workshop",
    ),  # fmt: skip
    _row("workshops.cancel_registration", "POST", W + "/batal-daftar", ACTION, "workshop"),
    _row("workshops.ics", "GET", W + "/kalender.ics", PAGE, "workshop"),
    _row(
        "workshops.certificate",
        "GET",
        "/pelatihan/{attended_id}/sertifikat.pdf",
        _outcomes("login", "redirect", member=200),
        "attended_workshop",
    ),  # fmt: skip
    _row("workshops.verify_form", "GET", "/sertifikat", PUBLIC),
    _row("workshops.verify", "GET", "/sertifikat/{certificate_number}", PUBLIC, "attended_workshop"),
    _row("workshops.verify", "GET", "/sertifikat/PKA-2026-0001-DEADBEEF", _outcomes(404, 404)),
    _row("workshops.checkin", "GET", "/presensi/{checkin_code}", PAGE, "open_checkin"),
    _row("workshops.checkin", "POST", "/presensi/{checkin_code}", _outcomes("login", 400, member=200), "open_checkin"),
    _row("workshops.checkin", "GET", "/presensi/kode-palsu", _outcomes("login", 404)),
    _row("workshops.manage", "GET", "/pelatihan/kelola", ORGANIZER_PAGE),
    _row("workshops.create", "GET", "/pelatihan/baru", ORGANIZER_PAGE),
    _row("workshops.create", "POST", "/pelatihan/baru", ORGANIZER_FORM),
    _row("workshops.edit", "GET", W + "/ubah", OWNER_PAGE, "workshop"),
    _row("workshops.edit", "POST", W + "/ubah", _outcomes("login", 403, admin="ok"), "workshop"),
    _row("workshops.publish", "POST", "/pelatihan/{draft_id}/terbitkan", DRAFT_ACTION, "draft_workshop"),
    _row(
        "workshops.cancel_workshop",
        "POST",
        W + "/batalkan",
        OWNER_ACTION,
        "workshop",
        data={"reason": "Narasumber berhalangan."},
    ),  # fmt: skip
    _row("workshops.complete", "POST", W + "/selesai", OWNER_ACTION, "workshop"),
    _row("workshops.dashboard", "GET", W + "/peserta", OWNER_PAGE, "workshop"),
    _row("workshops.add_participant", "POST", W + "/peserta/tambah", OWNER_ACTION, "workshop"),
    _row("workshops.decide", "POST", W + "/peserta/{registration_id}/keluarkan", OWNER_ACTION, "workshop"),
    _row("workshops.export", "GET", W + "/peserta.csv", OWNER_PAGE, "workshop"),
    _row("workshops.export", "GET", W + "/peserta.xlsx", OWNER_PAGE, "workshop"),
    _row("workshops.sign_in_sheet", "GET", W + "/daftar-hadir", OWNER_PAGE, "workshop"),
    _row("workshops.certificate_preview", "GET", W + "/sertifikat-contoh.pdf", OWNER_PAGE, "workshop"),
    _row("workshops.attendance", "GET", W + "/sesi/{session_id}/presensi", OWNER_PAGE, "workshop"),
    _row(
        "workshops.toggle_attendance",
        "POST",
        W + "/sesi/{session_id}/presensi/{registration_id}",
        OWNER_ACTION,
        "workshop",
        data={"present": "1"},
    ),  # fmt: skip
    _row("workshops.qr", "GET", W + "/sesi/{session_id}/qr", OWNER_PAGE, "workshop"),
]
