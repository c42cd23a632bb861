"""Search page, header live search, JSON API and personal API tokens."""

from __future__ import annotations

from urllib.parse import urljoin

from flask import Blueprint, Response, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal.accounts.current import current_user
from portal.competencies import services as competencies
from portal.core.htmx import is_htmx, render
from portal.search import services
from portal.search.forms import ApiTokenForm
from portal.units import services as units

bp = Blueprint("search", __name__)

LIVE_RESULTS = 6
LIVE_MIN_CHARS = 2


@bp.after_app_request
def _apply_queued_changes(response: Response) -> Response:
    services.apply_after_request()
    return response


def _filter_options() -> dict:
    return {
        "type_choices": services.type_choices(),
        "unit_choices": units.choices(),
        "competency_choices": [(c.id, str(c)) for c in competencies.list_active()],
    }


MAX_NUMBER_LENGTH = 20


def _page_args() -> dict[str, str]:
    """``page`` and ``per_page`` for the service; a number too long to be one (``int()`` refuses beyond 4,300
    digits) reads as 0, which the service refuses with its own message."""
    args = {name: request.args.get(name, "") for name in ("page", "per_page")}
    return {name: "0" if len(value) > MAX_NUMBER_LENGTH else value for name, value in args.items()}


@bp.get("/cari")
def index():
    query = request.args.get("q", "").strip()
    result, error, filters = None, None, services.SearchFilters()
    try:
        filters = services.parse_filters(request.args)
        page, per_page = services.parse_page(_page_args())
        if query:
            result = services.search(query, filters, current_user, page=page, per_page=per_page)
    except services.SearchError as exc:
        error = exc.message
    status = 400 if error else 200
    return render(
        "search/index.html",
        status=status,
        query=query,
        filters=filters,
        result=result,
        error=error,
        **_filter_options(),
    )


@bp.get("/cari/saran")
def live():
    """The header box's suggestions while typing (an htmx fragment)."""
    query = request.args.get("q", "").strip()
    result = None
    if len(query) >= LIVE_MIN_CHARS:
        try:
            result = services.search(
                query, services.SearchFilters(), current_user, per_page=LIVE_RESULTS, highlight=False
            )
        except services.SearchError:
            result = None
    return render("search/_partials/live.html", query=query, result=result)


# ---------------------------------------------------------------- JSON API


def _api_error(status: int, message) -> tuple[Response, int]:
    titles = {400: _("Permintaan tidak valid"), 401: _("Perlu autentikasi"), 404: _("Tidak ditemukan")}
    response = jsonify(error={"code": status, "title": titles.get(status, titles[400]), "message": str(message)})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="portal"'
    return response, status


def _api_user():
    """The caller: a personal token (Authorization: Bearer …) if sent, otherwise the session's user."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None, _("Header Authorization harus berbentuk 'Bearer <token>'.")
        user = services.user_for_token(value.strip())
        return (user, None) if user else (None, _("Token API tidak valid atau sudah dicabut."))
    if current_user.is_authenticated:
        return current_user, None
    return None, _("Masuk terlebih dahulu atau kirim token API pribadi (Authorization: Bearer …).")


@bp.get("/api/search")
def api_search():
    user, problem = _api_user()
    if user is None:
        return _api_error(401, problem)
    try:
        filters = services.parse_filters(request.args)
        page, per_page = services.parse_page(_page_args())
        result = services.search(request.args.get("q", ""), filters, user, page=page, per_page=per_page)
    except services.SearchError as exc:
        return _api_error(exc.status, exc.message)
    return jsonify(
        query=result.query,
        total=result.total,
        total_exact=result.total_exact,
        matched_all=result.matched_all,
        page=result.page,
        per_page=result.per_page,
        hits=[
            {
                "type": hit.doc_type,
                "id": hit.doc_id,
                "title": hit.title,
                "url": urljoin(request.host_url, hit.url),
                "snippet": str(hit.snippet),
                "score": hit.score,
                "created_at": hit.created_at.isoformat() if hit.created_at else None,
            }
            for hit in result.hits
        ],
        suggestion=result.suggestion,
    )


# ---------------------------------------------------------------- personal API tokens (own account only)


def _tokens_page(form: ApiTokenForm, status: int = 200, **notices):
    return render(
        "search/tokens.html",
        partial="search/_partials/api_tokens.html",
        status=status,
        form=form,
        tokens=services.list_tokens(current_user),
        **notices,
    )


@bp.get("/akun/token-api")
@login_required
def tokens():
    return _tokens_page(ApiTokenForm())


@bp.post("/akun/token-api")
@login_required
def create_token():
    form = ApiTokenForm()
    if form.validate_on_submit():
        try:
            _token, plain = services.create_token(current_user, form.name.data)
        except services.TokenError as error:
            form.name.errors = [*form.name.errors, str(error.message)]
        else:
            return _tokens_page(ApiTokenForm(formdata=None), new_token=plain)
    return _tokens_page(form, status=400)


@bp.post("/akun/token-api/<int:token_id>/cabut")
@login_required
def revoke_token(token_id: int):
    try:
        services.revoke_token(current_user, token_id)
    except services.TokenError as error:
        return _tokens_page(ApiTokenForm(formdata=None), status=404, problem=error.message)
    message = _("Token dicabut. Aplikasi yang memakainya tidak bisa mengakses API lagi.")
    if is_htmx():
        return _tokens_page(ApiTokenForm(formdata=None), notice=message)
    flash(message, "success")
    return redirect(url_for("search.tokens"))
