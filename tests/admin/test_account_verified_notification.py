"""A verified person hears it in the portal and, by default, by email in their language."""

from __future__ import annotations

from portal.accounts import services as accounts
from portal.core.permissions import Role
from portal.notifications import preferences
from tests.notified import mails_to, notes, recipients, watch_mail


def test_verifying_an_account_notifies_the_person_in_app_and_by_email(admin_client, make_user, caplog):
    watch_mail(caplog)
    target = make_user(name="Dewi Baru", is_verified=False)
    assert admin_client.post(f"/admin/pengguna/{target.id}/verifikasi").status_code == 302
    assert recipients("account.verified") == {target.id}
    assert notes("account.verified")[0].actor_id == admin_client.user.id
    [mail] = mails_to(caplog, target)
    assert "Halo Dewi Baru" in mail and "Akun Anda sudah diverifikasi" in mail


def test_the_mail_is_in_the_persons_language(make_user, caplog):
    watch_mail(caplog)
    admin, target = make_user(Role.ADMIN), make_user(is_verified=False, locale="en")
    accounts.verify(admin, target)
    [mail] = mails_to(caplog, target)
    assert "Your account has been verified" in mail


def test_verifying_again_notifies_nobody(make_user, caplog):
    admin, target = make_user(Role.ADMIN), make_user(is_verified=False)
    accounts.verify(admin, target)
    accounts.verify(admin, target)
    assert len(notes("account.verified")) == 1


def test_email_off_keeps_it_in_the_portal(make_user, caplog):
    watch_mail(caplog)
    admin, target = make_user(Role.ADMIN), make_user(is_verified=False)
    preferences.save(target, {"account.verified": "off"})
    accounts.verify(admin, target)
    assert mails_to(caplog, target) == []
    assert recipients("account.verified") == {target.id}
