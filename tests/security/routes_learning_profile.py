"""Authorization rows for positions, competency profiles, development plans, Tim saya and the admin's oversight
actions (format: see test_access_matrix.py).

The member persona owns the profile and plan the needs create and has no supervisor, so BKPSDM (admin) oversees
and decides for them; the other personas are neither their supervisor nor their unit head, so another person's
profile and plan answer 404. Everyone signed in has their own profile, plan and (possibly empty) team page.
"""

from portal.extensions import db
from portal.learning.models import (
    DevelopmentPlan,
    JobType,
    PlanItem,
    PlanStatus,
    Position,
    PositionRequirement,
)
from portal.learning.services import local_today

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")


def _outcomes(anonymous, signed_in, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


def _position(ctx):
    from portal.competencies.models import Competency, CompetencyCategory

    competency = Competency(code="M.05", category=CompetencyCategory.MANAGERIAL, name="Pelayanan Publik")
    position = Position(code="PLK-01", name="Pengelola Layanan", job_type=JobType.PELAKSANA, unit_id=ctx.unit.id)
    requirement = PositionRequirement(competency=competency, level=2)
    position.requirements = [requirement]
    db.session.add(position)
    db.session.commit()
    return {"position_id": position.id, "requirement_id": requirement.id}


def _year(_ctx):
    return {"year": local_today().year}


def _plan(ctx):
    """The member's plan for this year, submitted, with one free-text activity."""
    year = local_today().year
    plan = DevelopmentPlan(user_id=ctx.member.id, year=year, status=PlanStatus.SUBMITTED)
    plan.items = [PlanItem(title="Coaching penyusunan SOP", planned_jp=4, position=1)]
    db.session.add(plan)
    db.session.commit()
    return {"plan_id": plan.id, "item_id": plan.items[0].id, "year": year}


NEEDS = {"lp_position": _position, "lp_year": _year, "lp_plan": _plan}

OWN_PAGE = _outcomes("login", 200)
OWN_FORM = _outcomes("login", "ok")
# Another ASN's page: the member is redirected to their own, BKPSDM sees it, everyone else gets 404.
OTHERS_PAGE = _outcomes("login", 404, member="redirect", admin=200)
# Acting on the member's things: the owner may act (ok), strangers get 404.
OWNER_ACTION = _outcomes("login", 404, member="ok")
# Deciding or confirming for the member: BKPSDM may (no supervisor set), the owner may not (403).
OVERSEER_ACTION = _outcomes("login", 404, member=403, admin="ok")
ADMIN_PAGE = _outcomes("login", 403, admin=200)
ADMIN_FORM = _outcomes("login", 403, admin="ok")
ADMIN_ACTION = _outcomes("login", 403, admin="redirect")


def _row(endpoint, method, path, expect, *needs):
    row = {"endpoint": endpoint, "method": method, "path": path, "expect": expect}
    if needs:
        row["needs"] = list(needs)
    return row


ROUTES = [
    # competency profile
    _row("learning.profile", "GET", "/profil-kompetensi", OWN_PAGE),
    _row("learning.profile_of", "GET", "/profil-kompetensi/pegawai/{user_id}", OTHERS_PAGE, "user"),
    _row("learning.profile_assess_pick", "GET", "/profil-kompetensi/nilai", _outcomes("login", 404)),
    _row("learning.profile_assess", "GET", "/profil-kompetensi/nilai/{competency_id}", OWN_PAGE, "competency"),
    _row("learning.profile_assess", "POST", "/profil-kompetensi/nilai/{competency_id}", OWN_FORM, "competency"),
    _row(
        "learning.profile_confirm", "POST", "/profil-kompetensi/pegawai/{user_id}/konfirmasi", OVERSEER_ACTION, "user"
    ),
    # development plan
    _row("learning.plan", "GET", "/rencana-pengembangan", OWN_PAGE),
    _row("learning.plan_of", "GET", "/rencana-pengembangan/pegawai/{user_id}", OTHERS_PAGE, "user"),
    _row("learning.plan_save", "POST", "/rencana-pengembangan/{year}/kompetensi", OWN_FORM, "lp_year"),
    _row("learning.plan_item_add", "POST", "/rencana-pengembangan/{year}/kegiatan", OWN_FORM, "lp_year"),
    _row("learning.plan_submit", "POST", "/rencana-pengembangan/{year}/ajukan", OWN_FORM, "lp_year"),
    _row("learning.plan_withdraw", "POST", "/rencana-pengembangan/{year}/tarik", OWN_FORM, "lp_year"),
    _row(
        "learning.plan_item_remove", "POST", "/rencana-pengembangan/kegiatan/{item_id}/hapus", OWNER_ACTION, "lp_plan"
    ),
    _row(
        "learning.plan_item_link", "POST", "/rencana-pengembangan/kegiatan/{item_id}/tautkan", OWNER_ACTION, "lp_plan"
    ),
    _row(
        "learning.plan_approve",
        "POST",
        "/rencana-pengembangan/keputusan/{plan_id}/setujui",
        _outcomes("login", 404, member=403, admin="redirect"),
        "lp_plan",
    ),
    _row(
        "learning.plan_return",
        "POST",
        "/rencana-pengembangan/keputusan/{plan_id}/kembalikan",
        OVERSEER_ACTION,
        "lp_plan",
    ),
    # Tim saya: everyone has one (empty unless they supervise or head a unit)
    _row("learning.team", "GET", "/tim", OWN_PAGE),
    # positions and their standards
    _row("learning.positions_index", "GET", "/admin/jabatan", ADMIN_PAGE),
    _row("learning.position_create", "GET", "/admin/jabatan/baru", ADMIN_PAGE),
    _row("learning.position_create", "POST", "/admin/jabatan/baru", ADMIN_FORM),
    _row("learning.position_edit", "GET", "/admin/jabatan/{position_id}/ubah", ADMIN_PAGE, "lp_position"),
    _row("learning.position_edit", "POST", "/admin/jabatan/{position_id}/ubah", ADMIN_FORM, "lp_position"),
    _row(
        "learning.position_requirement_set", "POST", "/admin/jabatan/{position_id}/standar", ADMIN_FORM, "lp_position"
    ),
    _row(
        "learning.position_requirement_level",
        "POST",
        "/admin/jabatan/{position_id}/standar/{requirement_id}/level",
        ADMIN_FORM,
        "lp_position",
    ),
    _row(
        "learning.position_requirement_remove",
        "POST",
        "/admin/jabatan/{position_id}/standar/{requirement_id}/hapus",
        ADMIN_ACTION,
        "lp_position",
    ),
    _row("learning.position_set_active", "POST", "/admin/jabatan/{position_id}/status", ADMIN_ACTION, "lp_position"),
    _row("learning.positions_import", "GET", "/admin/jabatan/impor", ADMIN_PAGE),
    _row("learning.positions_import", "POST", "/admin/jabatan/impor", ADMIN_FORM),
    _row("learning.positions_import_template", "GET", "/admin/jabatan/impor/contoh.csv", ADMIN_PAGE),
    # the admin user page: position, supervisor, unit head
    _row("admin.user_position", "POST", "/admin/pengguna/{user_id}/jabatan", ADMIN_ACTION, "user"),
    _row("admin.user_supervisor", "POST", "/admin/pengguna/{user_id}/atasan", ADMIN_ACTION, "user"),
    _row("admin.user_unit_head", "POST", "/admin/pengguna/{user_id}/kepala-unit", ADMIN_ACTION, "user"),
]
