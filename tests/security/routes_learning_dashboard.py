"""Authorization rows for the development dashboard, its reminder action and the SIASN exports.

BKPSDM (admin) sees the whole city; a unit head sees their unit only; nobody else has a dashboard. A person's
SIASN export follows the ledger's privacy rule: themself, their supervisor, their unit's head, BKPSDM; others 404.
"""

from portal.core.permissions import Role
from portal.extensions import db
from portal.units.models import UnitHead

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")
BKPSDM_ONLY = {"anonymous": "login", **dict.fromkeys(SIGNED_IN, 403), "admin": "ok"}
HEAD_AND_BKPSDM = {**BKPSDM_ONLY, "member": "ok"}
EVERYONE = {"anonymous": "login", **dict.fromkeys(SIGNED_IN, "ok")}
OWNER_AND_BKPSDM = {"anonymous": "login", **dict.fromkeys(SIGNED_IN, 404), "member": "ok", "admin": "ok"}
COLLEAGUE_SEEN_BY_BKPSDM = {"anonymous": "login", **dict.fromkeys(SIGNED_IN, 404), "admin": "ok"}
COLLEAGUE_SEEN_BY_HEAD = {**COLLEAGUE_SEEN_BY_BKPSDM, "member": "ok"}


def _member_heads_unit(ctx):
    """The member persona becomes the head of the main unit."""
    db.session.add(UnitHead(unit_id=ctx.unit.id, user_id=ctx.member.id))
    db.session.commit()
    return {}


def _colleague(ctx):
    return {"colleague_id": ctx.make_user(Role.MEMBER, unit_id=ctx.unit.id).id}


NEEDS = {"dashboard_head": _member_heads_unit, "dashboard_colleague": _colleague}


def _row(endpoint, path, expect, method="GET", needs=()):
    return {"endpoint": endpoint, "method": method, "path": path, "needs": list(needs), "expect": expect}


# Paths carry no query string (the matrix matches them against the URL map): a unit head's dashboard, exports
# and reminders default to their own unit; asking for another unit is covered in tests/learning.
ROUTES = [
    _row("learning.dashboard_page", "/dasbor-pengembangan", BKPSDM_ONLY),
    _row("learning.dashboard_page", "/dasbor-pengembangan", HEAD_AND_BKPSDM, needs=["dashboard_head"]),
    _row("learning.dashboard_export", "/dasbor-pengembangan/unduh.xlsx", BKPSDM_ONLY),
    _row("learning.dashboard_export", "/dasbor-pengembangan/unduh.xlsx", HEAD_AND_BKPSDM, needs=["dashboard_head"]),
    _row("learning.dashboard_remind", "/dasbor-pengembangan/pengingat", BKPSDM_ONLY, "POST"),
    _row("learning.dashboard_remind", "/dasbor-pengembangan/pengingat", HEAD_AND_BKPSDM, "POST", ["dashboard_head"]),
    _row("learning.unit_siasn", "/dasbor-pengembangan/siasn.csv", BKPSDM_ONLY),
    _row("learning.unit_siasn", "/dasbor-pengembangan/siasn.xlsx", HEAD_AND_BKPSDM, needs=["dashboard_head"]),
    _row("learning.my_siasn", "/rekam-jejak/siasn.csv", EVERYONE),
    _row("learning.my_siasn", "/rekam-jejak/siasn.xlsx", EVERYONE),
    _row("learning.person_siasn", "/rekam-jejak/pegawai/{user_id}/siasn.csv", OWNER_AND_BKPSDM, needs=["user"]),
    _row("learning.person_siasn", "/rekam-jejak/pegawai/{user_id}/siasn.xlsx", OWNER_AND_BKPSDM, needs=["user"]),
    _row(
        "learning.person_siasn",
        "/rekam-jejak/pegawai/{colleague_id}/siasn.csv",
        COLLEAGUE_SEEN_BY_BKPSDM,
        needs=["dashboard_colleague"],
    ),
    _row(
        "learning.person_siasn",
        "/rekam-jejak/pegawai/{colleague_id}/siasn.xlsx",
        COLLEAGUE_SEEN_BY_HEAD,
        needs=["dashboard_head", "dashboard_colleague"],
    ),
    _row("learning.person_siasn", "/rekam-jejak/pegawai/999999/siasn.csv", {**COLLEAGUE_SEEN_BY_BKPSDM, "admin": 404}),
]
