"""The competency catalogue (/kompetensi, every logged-in user) and its admin management (/admin/kompetensi)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.competencies import services
from portal.competencies.forms import CompetencyForm
from portal.competencies.models import Competency
from portal.core.forms import apply_error
from portal.core.htmx import redirect_to, render
from portal.core.pagination import page_arg
from portal.core.permissions import Permission, role_required
from portal.core.record_views import answer_set_active

bp = Blueprint("competencies", __name__)


@bp.context_processor
def _labels() -> dict:
    return {"category_labels": services.CATEGORY_LABELS}


def _search_args() -> tuple[services.CompetencyCategory | None, str]:
    return services.parse_category(request.args.get("kategori")), request.args.get("q", "").strip()[:100]


# ---------------------------------------------------------------- catalogue


@bp.get("/kompetensi")
@login_required
def index():
    category, query = _search_args()
    return render(
        "competencies/index.html",
        groups=services.catalogue(category, query),
        category=category,
        query=query,
    )


@bp.get("/kompetensi/<code>")
@login_required
def detail(code: str):
    competency = services.get_visible(current_user, code)
    if competency is None:
        abort(404)
    return render("competencies/detail.html", competency=competency)


# ---------------------------------------------------------------- administration


def _get_or_404(code: str) -> Competency:
    competency = services.get_by_code(code)
    if competency is None:
        abort(404)
    return competency


def _data(form: CompetencyForm) -> services.CompetencyData:
    return services.CompetencyData(
        code=form.code.data or "",  # required fields: validation guarantees their data
        category=form.category.data,
        name=form.name.data or "",
        description=form.description.data,
        levels=form.level_texts(),
    )


@bp.get("/admin/kompetensi")
@role_required(Permission.MANAGE_COMPETENCIES)
def admin_index():
    category, query = _search_args()
    page = services.list_for_admin(current_user, page_arg(), category, query)
    return render("competencies/admin_index.html", page=page, category=category, query=query)


@bp.route("/admin/kompetensi/baru", methods=["GET", "POST"])
@role_required(Permission.MANAGE_COMPETENCIES)
def create():
    form = CompetencyForm()
    if form.validate_on_submit():
        try:
            competency = services.create(current_user, _data(form))
        except services.CompetencyError as error:
            apply_error(form, error)
        else:
            flash(_("Kompetensi %(code)s sudah ditambahkan.", code=competency.code), "success")
            return redirect_to(url_for("competencies.admin_index"))
    return render("competencies/form.html", form=form, competency=None)


@bp.route("/admin/kompetensi/<code>/ubah", methods=["GET", "POST"])
@role_required(Permission.MANAGE_COMPETENCIES)
def edit(code: str):
    competency = _get_or_404(code)
    form = CompetencyForm(obj=competency)
    if request.method == "GET":
        for level in competency.levels:
            form[f"level_{level.level}"].data = level.description
    if form.validate_on_submit():
        try:
            services.update(current_user, competency, _data(form))
        except services.CompetencyError as error:
            apply_error(form, error)
        else:
            flash(_("Kompetensi %(code)s sudah disimpan.", code=competency.code), "success")
            return redirect_to(url_for("competencies.admin_index"))
    return render("competencies/form.html", form=form, competency=competency)


@bp.post("/admin/kompetensi/<code>/status")
@role_required(Permission.MANAGE_COMPETENCIES)
def set_active(code: str):
    competency = _get_or_404(code)
    return answer_set_active(
        services.set_active,
        competency,
        activated=_("Kompetensi %(code)s aktif kembali.", code=competency.code),
        deactivated=_("Kompetensi %(code)s dinonaktifkan dari katalog.", code=competency.code),
        back=url_for("competencies.admin_index"),
    )
