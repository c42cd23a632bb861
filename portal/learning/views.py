"""The ASN's own learning record ("Rekam Jejak Belajar")."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request
from flask_login import current_user, login_required

from portal.core.htmx import render
from portal.learning import services

bp = Blueprint("learning", __name__)


@bp.get("/rekam-jejak")
@login_required
def index():
    year_arg = request.args.get("tahun", "")
    year = int(year_arg) if year_arg.isdigit() and 2000 <= int(year_arg) <= 2100 else date.today().year
    return render(
        "learning/index.html",
        records=services.records_for(current_user, year),
        year=year,
        total_jp=services.verified_jp(current_user, year),
    )
