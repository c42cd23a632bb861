"""The settings page (profile → Notifikasi): each role sees its rows, saves choices; bad input changes nothing."""

from __future__ import annotations

import pytest

from portal.core.permissions import Role
from portal.notifications import preferences
from portal.notifications.models import OTHER_KINDS, EmailChoice

PAGE = "/notifikasi/pengaturan"


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.MEMBER, "Kegiatan saya diverifikasi", "Kiriman forum dilaporkan"),
        (Role.MODERATOR, "Kiriman forum dilaporkan", "Pendaftaran menunggu persetujuan"),
        (Role.ORGANIZER, "Pendaftaran menunggu persetujuan", "Artikel menunggu tinjauan"),
        (Role.ADMIN, "Kegiatan diajukan untuk diverifikasi", None),
    ],
)
def test_every_role_sees_its_kinds_with_three_email_choices(login_as, role, shown, hidden):
    client = login_as(role)
    page = client.get(PAGE).get_data(as_text=True)
    assert shown in page and "Akun saya diverifikasi" in page and "Pemberitahuan lainnya" in page
    if hidden:
        assert hidden not in page
    assert page.count('value="immediate"') == page.count('value="digest"') == page.count('value="off"') > 1
    assert 'name="email:account.verified" value="immediate" checked' in page


def test_the_profile_links_to_the_settings(member_client):
    page = member_client.get(f"/pegawai/{member_client.user.id}").get_data(as_text=True)
    assert f'href="{PAGE}"' in page


def test_saving_choices(member_client):
    user = member_client.user
    response = member_client.post(
        PAGE, data={"email:account.verified": "off", f"email:{OTHER_KINDS}": "digest"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Pengaturan notifikasi disimpan." in page
    assert preferences.choice(user, "account.verified") == EmailChoice.OFF
    assert preferences.choice(user, "forum.replied") == EmailChoice.DIGEST
    assert 'name="email:account.verified" value="off" checked' in page


def test_a_staff_member_saves_a_staff_kind(moderator_client):
    moderator_client.post(PAGE, data={"email:forum.reported": "immediate"})
    assert preferences.choice(moderator_client.user, "forum.reported") == EmailChoice.IMMEDIATE


@pytest.mark.parametrize(
    "data",
    [
        {"email:account.verified": "off", "email:no.such.kind": "off"},
        {"email:account.verified": "off", "email:learning.verified": "weekly"},
        {"email:account.verified": "off", "email:forum.reported": "off"},  # not shown to a member
        {"email:account.verified": "off", "email:learning.verified": "\x00"},
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(member_client, data):
    response = member_client.post(PAGE, data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "tidak dikenal" in page or "Pilih segera, ringkasan harian, atau tidak." in page
    assert preferences.choice(member_client.user, "account.verified") == EmailChoice.IMMEDIATE


def test_without_csrf_nothing_changes(member_client):
    response = member_client.post(PAGE, data={"email:account.verified": "off"}, csrf=False)
    assert response.status_code == 400
    assert preferences.choice(member_client.user, "account.verified") == EmailChoice.IMMEDIATE
