from __future__ import annotations

from flask import Blueprint

bp = Blueprint("competencies", __name__, url_prefix="/kompetensi")
