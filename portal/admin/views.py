from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from portal.accounts import services as accounts
from portal.core.htmx import render
from portal.core.permissions import Permission, role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@role_required(Permission.MANAGE_USERS)
def index():
    return render("admin/index.html", pending=accounts.count_pending(current_user))
