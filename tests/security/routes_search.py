"""Authorization rows for search, the search API and personal API tokens (format: see test_access_matrix.py)."""

from portal.search import services

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")


def _outcomes(anonymous, signed_in):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in)}


def _own_token(ctx):
    token, _plain = services.create_token(ctx.member, "Skrip matriks")
    return {"token_id": token.id}


NEEDS = {"own_token": _own_token}

ROUTES = [
    {"endpoint": "search.index", "method": "GET", "path": "/cari", "expect": _outcomes(200, 200)},
    {
        "endpoint": "search.live",
        "method": "GET",
        "path": "/cari/saran",
        "headers": {"HX-Request": "true"},
        "expect": _outcomes(200, 200),
    },
    {
        "endpoint": "search.api_search",
        "method": "GET",
        "path": "/api/search",
        "expect": _outcomes(401, "ok"),
    },
    {"endpoint": "search.tokens", "method": "GET", "path": "/akun/token-api", "expect": _outcomes("login", 200)},
    {
        "endpoint": "search.create_token",
        "method": "POST",
        "path": "/akun/token-api",
        "data": {"name": "Skrip"},
        "expect": _outcomes("login", "ok"),
    },
    {
        # The token belongs to the member: everyone else is told it does not exist.
        "endpoint": "search.revoke_token",
        "method": "POST",
        "path": "/akun/token-api/{token_id}/cabut",
        "needs": ["own_token"],
        "expect": {**_outcomes("login", 404), "member": "redirect"},
    },
]
