"""Authorization rows for the admin pages, unit and competency management, and the competency catalogue.

Format: see test_access_matrix.py. Everything under /admin is for admins only; the catalogue is for every
signed-in user.
"""

SIGNED_IN = ("member", "organizer", "moderator", "admin", "other_unit_member")


def _outcomes(anonymous, signed_in, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


ADMIN_PAGE = _outcomes("login", 403, admin=200)
ADMIN_FORM = _outcomes("login", 403, admin="ok")
ADMIN_ACTION = _outcomes("login", 403, admin="redirect")
CATALOGUE_PAGE = _outcomes("login", 200)


def _row(endpoint, method, path, expect, *needs):
    row = {"endpoint": endpoint, "method": method, "path": path, "expect": expect}
    if needs:
        row["needs"] = list(needs)
    return row


ROUTES = [
    _row("admin.index", "GET", "/admin/", ADMIN_PAGE),
    _row("admin.users", "GET", "/admin/pengguna", ADMIN_PAGE),
    _row("admin.user_create", "GET", "/admin/pengguna/baru", ADMIN_PAGE),
    _row("admin.user_create", "POST", "/admin/pengguna/baru", ADMIN_FORM),
    _row("admin.user_detail", "GET", "/admin/pengguna/{user_id}", ADMIN_PAGE, "user"),
    _row("admin.user_verify", "POST", "/admin/pengguna/{pending_user_id}/verifikasi", ADMIN_ACTION, "pending_user"),
    _row("admin.user_role", "POST", "/admin/pengguna/{user_id}/peran", ADMIN_ACTION, "user"),
    _row("admin.user_contract", "POST", "/admin/pengguna/{user_id}/kontrak", ADMIN_FORM, "user"),
    _row("admin.user_active", "POST", "/admin/pengguna/{user_id}/status", ADMIN_ACTION, "user"),
    _row("admin.audit_log", "GET", "/admin/audit", ADMIN_PAGE),
    _row("units.index", "GET", "/admin/unit", ADMIN_PAGE),
    _row("units.create", "GET", "/admin/unit/baru", ADMIN_PAGE),
    _row("units.create", "POST", "/admin/unit/baru", ADMIN_FORM),
    _row("units.edit", "GET", "/admin/unit/{unit_id}/ubah", ADMIN_PAGE, "unit"),
    _row("units.edit", "POST", "/admin/unit/{unit_id}/ubah", ADMIN_FORM, "unit"),
    _row("units.set_active", "POST", "/admin/unit/{unit_id}/status", ADMIN_ACTION, "unit"),
    _row("units.city_certificate", "GET", "/admin/unit/kota/sertifikat", ADMIN_PAGE),
    _row("units.save_signer", "POST", "/admin/unit/kota/sertifikat/penanda-tangan", ADMIN_FORM),
    _row("units.save_signer", "POST", "/admin/unit/{unit_id}/sertifikat/penanda-tangan", ADMIN_FORM, "unit"),
    _row("units.upload_logo", "POST", "/admin/unit/kota/sertifikat/logo", ADMIN_FORM),
    _row("units.upload_logo", "POST", "/admin/unit/{unit_id}/sertifikat/logo", ADMIN_FORM, "unit"),
    _row("units.remove_logo", "POST", "/admin/unit/kota/sertifikat/logo/hapus", ADMIN_ACTION),
    _row("units.remove_logo", "POST", "/admin/unit/{unit_id}/sertifikat/logo/hapus", ADMIN_ACTION, "unit"),
    _row("units.logo", "GET", "/admin/unit/kota/sertifikat/logo", _outcomes("login", 403, admin=404)),  # none yet
    _row("units.logo", "GET", "/admin/unit/{unit_id}/sertifikat/logo", _outcomes("login", 403, admin=404), "unit"),
    _row("competencies.admin_index", "GET", "/admin/kompetensi", ADMIN_PAGE),
    _row("competencies.create", "GET", "/admin/kompetensi/baru", ADMIN_PAGE),
    _row("competencies.create", "POST", "/admin/kompetensi/baru", ADMIN_FORM),
    _row("competencies.edit", "GET", "/admin/kompetensi/{competency_code}/ubah", ADMIN_PAGE, "competency"),
    _row("competencies.edit", "POST", "/admin/kompetensi/{competency_code}/ubah", ADMIN_FORM, "competency"),
    _row("competencies.set_active", "POST", "/admin/kompetensi/{competency_code}/status", ADMIN_ACTION, "competency"),
    _row("competencies.index", "GET", "/kompetensi", CATALOGUE_PAGE),
    _row("competencies.detail", "GET", "/kompetensi/{competency_code}", CATALOGUE_PAGE, "competency"),
]
