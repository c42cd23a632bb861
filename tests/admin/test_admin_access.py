"""Every admin page: guests go to the login page, non-admins get 403, admins get the page."""

import pytest

from portal.core.permissions import Role
from portal.extensions import db

PAGES = ["/admin/", "/admin/pengguna", "/admin/pengguna/baru", "/admin/audit"]
ACTIONS = ["verifikasi", "peran", "status"]


@pytest.mark.parametrize("path", PAGES)
def test_guest_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/masuk")


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANIZER, Role.MODERATOR])
@pytest.mark.parametrize("path", PAGES)
def test_non_admin_is_refused(login_as, role, path):
    response = login_as(role).get(path)
    assert response.status_code == 403
    assert "Akses ditolak" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_admin_sees_page(admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_admin_sees_user_detail(admin_client, make_user):
    user = make_user()
    response = admin_client.get(f"/admin/pengguna/{user.id}")
    assert response.status_code == 200
    assert user.nip in response.get_data(as_text=True)


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/admin/pengguna/999999").status_code == 404
    assert admin_client.post("/admin/pengguna/999999/verifikasi").status_code == 404


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANIZER, Role.MODERATOR])
@pytest.mark.parametrize("action", ACTIONS)
def test_non_admin_cannot_post_user_actions(login_as, make_user, role, action):
    target = make_user(is_verified=False)
    response = login_as(role).post(f"/admin/pengguna/{target.id}/{action}", data={"role": "admin", "active": "0"})
    assert response.status_code == 403
    db.session.refresh(target)
    assert (target.is_verified, target.role, target.active) == (False, Role.MEMBER, True)


@pytest.mark.parametrize("action", ACTIONS)
def test_guest_cannot_post_user_actions(client, make_user, action):
    target = make_user()
    response = client.post(f"/admin/pengguna/{target.id}/{action}", data={"active": "0"})
    assert response.status_code == 302
    assert response.location.startswith("/masuk")
