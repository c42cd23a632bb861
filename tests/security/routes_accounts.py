"""Authorization rows for login, registration, password and profile pages (format: see test_access_matrix.py)."""

from portal.accounts import services

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")


def _outcomes(anonymous, signed_in):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in)}


def _reset_token(ctx):
    _user, token = services.request_password_reset(ctx.member.nip)
    return {"token": token}


NEEDS = {"reset_token": _reset_token}

# Guest-only pages send signed-in users home; self-service pages send guests to the login page.
GUEST_PAGE = _outcomes(200, "redirect")
GUEST_FORM = _outcomes("ok", "redirect")
OWN_PAGE = _outcomes("login", 200)
OWN_FORM = _outcomes("login", "ok")
OPEN_PAGE = _outcomes(200, 200)
OPEN_FORM = _outcomes("ok", "ok")

ROUTES = [
    {"endpoint": "accounts.login", "method": "GET", "path": "/masuk", "expect": GUEST_PAGE},
    {"endpoint": "accounts.login", "method": "POST", "path": "/masuk", "expect": GUEST_FORM},
    {"endpoint": "accounts.register", "method": "GET", "path": "/daftar", "expect": GUEST_PAGE},
    {"endpoint": "accounts.register", "method": "POST", "path": "/daftar", "expect": GUEST_FORM},
    {"endpoint": "accounts.logout", "method": "POST", "path": "/keluar", "expect": _outcomes("redirect", "redirect")},
    {"endpoint": "accounts.logout_everywhere", "method": "POST", "path": "/akun/keluar-semua", "expect": OWN_FORM},
    {"endpoint": "accounts.forgot_password", "method": "GET", "path": "/lupa-sandi", "expect": OPEN_PAGE},
    {"endpoint": "accounts.forgot_password", "method": "POST", "path": "/lupa-sandi", "expect": OPEN_FORM},
    {
        "endpoint": "accounts.reset_password",
        "method": "GET",
        "path": "/atur-sandi/{token}",
        "needs": ["reset_token"],
        "expect": OPEN_PAGE,
    },
    {
        "endpoint": "accounts.reset_password",
        "method": "POST",
        "path": "/atur-sandi/{token}",
        "needs": ["reset_token"],
        "expect": OPEN_FORM,
    },
    {"endpoint": "accounts.change_password", "method": "GET", "path": "/akun/sandi", "expect": OWN_PAGE},
    {"endpoint": "accounts.change_password", "method": "POST", "path": "/akun/sandi", "expect": OWN_FORM},
    {"endpoint": "accounts.edit_profile", "method": "GET", "path": "/akun/profil", "expect": OWN_PAGE},
    {"endpoint": "accounts.edit_profile", "method": "POST", "path": "/akun/profil", "expect": OWN_FORM},
    {
        "endpoint": "accounts.profile",
        "method": "GET",
        "path": "/pegawai/{user_id}",
        "needs": ["user"],
        "expect": _outcomes("login", 200),
    },
    {
        # An account still waiting for verification is visible to admins only.
        "endpoint": "accounts.profile",
        "method": "GET",
        "path": "/pegawai/{pending_user_id}",
        "needs": ["pending_user"],
        "expect": {**_outcomes("login", 404), "admin": 200},
    },
]
