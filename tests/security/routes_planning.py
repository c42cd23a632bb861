"""Authorization rows for the annual development plan (format: see test_access_matrix.py).

Proposing an OPD's plan takes ``PROPOSE_PLAN`` (organizers and admins, for their own OPD); consolidating,
approving and reopening the city plan take ``APPROVE_PLAN`` (admins: BKPSDM). The needs are made by a separate
admin for the main unit, whose plan is a draft with one item; the program and the workshop belong to the city plan.
"""

from sqlalchemy import select

from portal.competencies.models import Competency
from portal.core.permissions import Role
from portal.extensions import db
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code
from portal.planning import services as planning
from portal.planning.services.proposals import LineInput
from tests.feedback.results_support import make_competency, make_workshop

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")


def _outcomes(anonymous="login", signed_in=403, **overrides):
    """``signed_in``: the answer to those not allowed (403; 404 where the object itself is not theirs to see)."""
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


def _year() -> int:
    return planning.local_today().year


def _plan_need(ctx):
    bkpsdm = ctx.make_user(Role.ADMIN)
    # The fuzz test makes every need of this module in one database: the competency may exist already.
    competency = db.session.scalar(select(Competency).where(Competency.code == "T.09")) or make_competency(
        "T.09", "Analisis Kebijakan"
    )
    upsert_development_types()
    workshop_type = get_development_type_by_code("KL07")
    line = planning.add_line(
        bkpsdm,
        ctx.unit.id,
        _year(),
        LineInput(
            title="Analisis kebijakan",
            competency_id=competency.id,
            development_type_id=workshop_type.id,
            participants=4,
            quarter=2,
            cost_per_participant=0,
        ),
    )
    db.session.commit()
    return {"pl_year": _year(), "pl_unit_id": ctx.unit.id, "pl_line_id": line.id, "pl_plan_id": line.plan_id}


def _program_need(ctx):
    values = _plan_need(ctx)
    bkpsdm = ctx.make_user(Role.ADMIN)
    planning.submit(bkpsdm, planning.get_plan(values["pl_plan_id"]))
    program = planning.merge(bkpsdm, _year(), [values["pl_line_id"]])
    planning.approve(bkpsdm, _year())
    workshop = make_workshop(bkpsdm)
    db.session.commit()
    return {**values, "pl_program_id": program.id, "pl_workshop_id": workshop.id}


NEEDS = {"pl_plan": _plan_need, "pl_program": _program_need}

PROPOSERS = {"organizer": "ok", "admin": "ok"}
INVALID_FOR_PROPOSERS = {"organizer": 422, "admin": 422}  # allowed; the empty form is refused as invalid
BKPSDM = {"admin": "ok"}
READERS = dict.fromkeys(SIGNED_IN, "ok")


def _row(endpoint, method, path, needs, expect):
    return {"endpoint": f"planning.{endpoint}", "method": method, "path": path, "needs": needs, "expect": expect}


P = "/rencana-tahunan"
ROUTES = [
    _row("index", "GET", P, [], _outcomes(**READERS)),
    _row("opd", "GET", P + "/{pl_year}/opd/{pl_unit_id}", ["pl_plan"], _outcomes(signed_in=404, **PROPOSERS)),
    _row("add_line", "POST", P + "/{pl_year}/opd/{pl_unit_id}/butir", ["pl_plan"], _outcomes(**INVALID_FOR_PROPOSERS)),
    _row("edit_line", "GET", P + "/butir/{pl_line_id}/ubah", ["pl_plan"], _outcomes(signed_in=404, **PROPOSERS)),
    _row("edit_line", "POST", P + "/butir/{pl_line_id}/ubah", ["pl_plan"], _outcomes(signed_in=404, **PROPOSERS)),
    _row("delete_line", "POST", P + "/butir/{pl_line_id}/hapus", ["pl_plan"], _outcomes(signed_in=404, **PROPOSERS)),
    _row("submit", "POST", P + "/{pl_plan_id}/ajukan", ["pl_plan"], _outcomes(signed_in=404, **PROPOSERS)),
    _row(
        "return_proposal",
        "POST",
        P + "/{pl_plan_id}/kembalikan",
        ["pl_plan"],
        _outcomes(signed_in=404, organizer=403, **BKPSDM),
    ),
    _row("reopen", "POST", P + "/{pl_plan_id}/buka", ["pl_plan"], _outcomes(signed_in=404, organizer=403, **BKPSDM)),
    _row("city", "GET", P + "/{pl_year}/kota", ["pl_plan"], _outcomes(**READERS)),
    _row("merge", "POST", P + "/{pl_year}/kota/gabung", ["pl_plan"], _outcomes(**BKPSDM)),
    _row("unmerge", "POST", P + "/butir/{pl_line_id}/lepas", ["pl_program"], _outcomes(**BKPSDM)),
    _row("set_quota", "POST", P + "/program/{pl_program_id}/kuota", ["pl_program"], _outcomes(**BKPSDM)),
    _row("update_program", "POST", P + "/program/{pl_program_id}/ubah", ["pl_program"], _outcomes(**BKPSDM)),
    _row("approve", "POST", P + "/{pl_year}/kota/setujui", ["pl_program"], _outcomes(**BKPSDM)),
    _row("export", "GET", P + "/{pl_year}/kota.xlsx", ["pl_program"], _outcomes(**READERS)),
    _row(
        "new_workshop",
        "GET",
        P + "/program/{pl_program_id}/pelatihan-baru",
        ["pl_program"],
        _outcomes(organizer="ok", **BKPSDM),
    ),
    _row(
        "invitations",
        "GET",
        P + "/pelatihan/{pl_workshop_id}/undangan",
        ["pl_program"],
        _outcomes(signed_in=404, **BKPSDM),
    ),
    _row(
        "invitations",
        "POST",
        P + "/pelatihan/{pl_workshop_id}/undangan",
        ["pl_program"],
        _outcomes(signed_in=404, **BKPSDM),
    ),
    _row("decline", "POST", P + "/pelatihan/{pl_workshop_id}/tolak", ["pl_program"], _outcomes(**READERS)),
    _row(
        "realised_cost",
        "POST",
        P + "/pelatihan/{pl_workshop_id}/biaya",
        ["pl_program"],
        _outcomes(signed_in=404, **BKPSDM),
    ),
]
