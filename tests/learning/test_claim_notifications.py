"""A claim reaches the verifiers (never its own owner); its outcome reaches the owner by email at once by default."""

from __future__ import annotations

import pytest

from portal.core.permissions import Role
from portal.extensions import db
from portal.learning import services
from portal.notifications import preferences
from portal.notifications import services as notifications
from tests.learning.test_verification import _input
from tests.notified import mails_to, notes, recipients, watch_mail


@pytest.fixture
def asn(make_user, development_types, competencies_catalogue):
    return make_user(name="Sari Pengaju")


def test_a_submitted_claim_notifies_every_verifier_with_a_link_to_it(asn, verifier, make_user):
    member, organizer = make_user(), make_user(Role.ORGANIZER)
    record = services.submit(asn, _input())
    assert recipients("learning.claim_submitted") == {verifier.id}
    assert not {member.id, organizer.id, asn.id} & recipients("learning.claim_submitted")
    note = notes("learning.claim_submitted")[0]
    assert note.url == f"/rekam-jejak/kegiatan/{record.id}"
    assert note.params == {"actor": "Sari Pengaju", "title": record.title, "jp": 12}


def test_a_verifier_submitting_their_own_claim_is_not_told(
    verifier, make_user, development_types, competencies_catalogue
):
    other = make_user(Role.ADMIN)
    services.submit(verifier, _input())
    assert recipients("learning.claim_submitted") == {other.id}


def test_staff_work_goes_to_the_digest_not_one_mail_each(asn, verifier, caplog):
    watch_mail(caplog)
    services.submit(asn, _input())
    assert mails_to(caplog, verifier) == []
    assert notes("learning.claim_submitted")[0].email_digest is True


def test_a_refused_claim_notifies_nobody(asn, verifier):
    with pytest.raises(services.LearningError):
        services.submit(asn, _input(title="x"))
    db.session.rollback()
    assert notes("learning.claim_submitted") == []


def test_a_corrected_claim_is_one_unread_notification_until_read(asn, verifier):
    record = services.submit(asn, _input())
    services.return_for_revision(verifier, record.id, "Lampirkan sertifikat yang terbaca.")
    services.update(asn, record, _input(evidence=None))
    assert len(notes("learning.claim_submitted")) == 1
    notifications.mark_all_read(verifier)
    services.return_for_revision(verifier, record.id, "Tanggalnya belum sesuai.")
    services.update(asn, record, _input(evidence=None))
    assert len(notes("learning.claim_submitted")) == 2


def test_the_outcome_is_mailed_to_the_owner_at_once_by_default(asn, verifier, caplog):
    watch_mail(caplog)
    record = services.submit(asn, _input())
    services.approve(verifier, record.id, jp=10)
    [mail] = mails_to(caplog, asn)
    assert "diverifikasi: 10 JP diakui" in mail
    second = services.submit(asn, _input(title="Bimtek Arsip Dinamis", certificate_number="ARS-9"))
    services.return_for_revision(verifier, second.id, "Lampirkan daftar hadir.")
    assert len(mails_to(caplog, asn)) == 2


def test_the_owner_who_turned_email_off_gets_the_outcome_only_in_the_portal(asn, verifier, caplog):
    watch_mail(caplog)
    preferences.save(asn, {"learning.verified": "off"})
    record = services.submit(asn, _input())
    services.approve(verifier, record.id, jp=10)
    assert mails_to(caplog, asn) == []
    assert recipients("learning.verified") == {asn.id}
