"""Self-reported records and their verification: submit, edit, withdraw, approve / return / reject, notifications,
audit, bad input that changes nothing, and contribution claims."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.articles.models import Article, ArticleStatus
from portal.audit.models import AuditEntry
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.forums.models import ForumCategory, ForumPost, ForumThread
from portal.learning import services
from portal.learning.models import LearningRecord, LearningSource, LearningStatus
from portal.learning.services import LearningError, RecordInput, contributions, get_development_type_by_code
from portal.notifications.models import Notification
from tests.learning.conftest import PNG_BYTES, make_evidence

SUBMITTED, REVISION, VERIFIED, REJECTED = (
    LearningStatus.SUBMITTED,
    LearningStatus.NEEDS_REVISION,
    LearningStatus.VERIFIED,
    LearningStatus.REJECTED,
)


def _count(model=LearningRecord) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_ROOT"]) / services.UPLOAD_SUBDIR
    return sorted(folder.glob("*")) if folder.exists() else []


def _kinds(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id))
    )


def _input(**fields) -> RecordInput:
    today = services.local_today()
    values = {
        "development_type_id": get_development_type_by_code(fields.pop("type_code", "KL06")).id,
        "title": "Seminar Nasional Pelayanan Publik",
        "provider": "Kementerian PANRB",
        "start_date": today - timedelta(days=2),
        "end_date": today,
        "quantity": 3,
        "jp_claimed": 12,
        "competency_codes": ["M.05"],
        "certificate_number": "SRT-2025/001",
        "description": "Standar pelayanan dan survei kepuasan.",
        "evidence": make_evidence(),
    }
    values.update(fields)
    return RecordInput(**values)


@pytest.fixture
def asn(make_user, development_types, competencies_catalogue):
    return make_user(name="Sari Pelapor")


@pytest.fixture(autouse=True)
def _clean_uploads(app):
    """The app (and its upload folder) lives for the whole session: start and end each test with none stored."""
    for path in _stored_files(app):
        path.unlink()
    yield
    for path in _stored_files(app):
        path.unlink()


# ---------------------------------------------------------------- submitting


def test_submit_stores_a_waiting_record_with_its_evidence(app, asn):
    record = services.submit(asn, _input())

    assert (record.status, record.source, record.jp, record.jp_claimed) == (
        SUBMITTED,
        LearningSource.SELF_REPORTED,
        0,
        12,
    )
    assert (record.quantity, [c.code for c in record.competencies]) == (3, ["M.05"])
    assert record.submitted_at is not None and record.evidence_mime == "application/pdf"
    assert record.evidence_name == "sertifikat.pdf"
    assert [p.name for p in _stored_files(app)] == [record.evidence_path]
    assert services.verified_jp(asn, record.year) == 0 and services.pending_jp(asn, record.year) == 12


def test_an_over_claim_is_accepted_and_its_warning_kept_for_the_verifier(asn):
    record = services.submit(asn, _input(jp_claimed=20))
    check = services.rules.check_record(record)
    assert check.capped == 12 and len(check.warnings) == 1 and "melebihi aturan" in check.warnings[0]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"evidence": None}, "evidence", "Unggah bukti"),
        ({"evidence": make_evidence(b"just text, not a certificate", "bukti.pdf")}, "evidence", "Jenis berkas"),
        ({"development_type_id": None}, "development_type_id", "Pilih jenis"),
        ({"development_type_id": 999999}, "development_type_id", "Pilih jenis"),
        ({"title": "abc"}, "title", "minimal 5"),
        ({"title": "x" * 201}, "title", "paling banyak 200"),
        ({"provider": " "}, "provider", "minimal 2"),
        ({"start_date": None}, "start_date", "tanggal mulai"),
        ({"end_date": None}, "end_date", "tanggal selesai"),
        ({"quantity": 0}, "quantity", "Jumlah harus"),
        ({"quantity": 4}, "quantity", "melebihi rentang tanggal kegiatan (3 hari)"),
        ({"jp_claimed": 0}, "jp_claimed", "JP yang diajukan"),
        ({"jp_claimed": None}, "jp_claimed", "JP yang diajukan"),
        ({"jp_claimed": 1000}, "jp_claimed", "JP yang diajukan"),
        ({"competency_codes": ["X.99"]}, "competencies", "tidak dikenal"),
        ({"certificate_number": "9" * 41}, "certificate_number", "Nomor sertifikat"),
        ({"description": "x" * 2001}, "description", "Uraian"),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(app, asn, fields, field, message):
    with pytest.raises(LearningError) as refused:
        services.submit(asn, _input(**fields))
    assert refused.value.field == field
    assert message in str(refused.value.message)
    assert _count() == 0 and _stored_files(app) == []


def test_dates_must_be_ordered_past_and_recent(app, asn):
    today = services.local_today()
    day = timedelta(days=1)
    too_old = {"start_date": date(today.year - 6, 12, 30), "end_date": date(today.year - 6, 12, 31)}
    cases = [
        ({"start_date": today, "end_date": today - day, "quantity": 1}, "end_date", "sebelum tanggal mulai"),
        ({"start_date": today, "end_date": today + day, "quantity": 1}, "end_date", "belum selesai"),
        (too_old, "start_date", "tidak dapat diajukan lagi"),
        ({"type_code": "NKL12", "start_date": today - 400 * day, "quantity": 1}, "end_date", "paling lama 366 hari"),
    ]
    for fields, field, message in cases:
        with pytest.raises(LearningError) as refused:
            services.submit(asn, _input(**fields))
        assert (refused.value.field, message in str(refused.value.message)) == (field, True)
    assert _count() == 0 and _stored_files(app) == []


def test_a_png_scan_is_accepted_as_evidence(asn):
    record = services.submit(asn, _input(evidence=make_evidence(PNG_BYTES, "scan.png")))
    assert (record.evidence_mime, record.evidence_name) == ("image/png", "scan.png")


def test_an_inactive_type_cannot_be_chosen(asn):
    seminar = get_development_type_by_code("KL06")
    seminar.is_active = False
    db.session.commit()
    with pytest.raises(LearningError, match="Pilih jenis"):
        services.submit(asn, _input())


# ---------------------------------------------------------------- editing and withdrawing


def test_owner_edits_a_waiting_record_and_replaces_the_evidence(app, asn):
    record = services.submit(asn, _input())
    old_file = record.evidence_path

    services.update(
        asn, record, _input(title="Seminar Nasional (revisi judul)", evidence=make_evidence(PNG_BYTES, "b.png"))
    )

    record = db.session.get(LearningRecord, record.id)
    assert record.title == "Seminar Nasional (revisi judul)" and record.status == SUBMITTED
    assert [p.name for p in _stored_files(app)] == [record.evidence_path] and record.evidence_path != old_file


def test_editing_keeps_the_evidence_when_no_new_file_is_given(app, asn):
    record = services.submit(asn, _input())
    services.update(asn, record, _input(evidence=None, jp_claimed=10))
    record = db.session.get(LearningRecord, record.id)
    assert record.jp_claimed == 10 and len(_stored_files(app)) == 1


def test_bad_edit_changes_nothing_and_leaves_no_file(app, asn):
    record = services.submit(asn, _input())
    with pytest.raises(LearningError):
        services.update(asn, record, _input(quantity=9, evidence=make_evidence(PNG_BYTES, "b.png")))
    db.session.expire_all()
    assert db.session.get(LearningRecord, record.id).quantity == 3 and len(_stored_files(app)) == 1


def test_others_and_decided_records_cannot_be_edited_or_withdrawn(asn, make_user, verifier):
    record = services.submit(asn, _input())
    with pytest.raises(PermissionDenied):
        services.update(make_user(), record, _input())
    with pytest.raises(PermissionDenied):
        services.withdraw(make_user(), record)
    services.approve(verifier, record.id, 12)
    record = db.session.get(LearningRecord, record.id)
    with pytest.raises(PermissionDenied):
        services.update(asn, record, _input())
    with pytest.raises(PermissionDenied):
        services.withdraw(asn, record)


def test_withdraw_deletes_the_record_and_its_file(app, asn):
    record = services.submit(asn, _input())
    services.withdraw(asn, record)
    assert _count() == 0 and _stored_files(app) == []


def test_returned_record_is_fixed_and_submitted_again(asn, verifier):
    record = services.submit(asn, _input())
    services.return_for_revision(verifier, record.id, "Sertifikat tidak terbaca, unggah ulang.")
    record = db.session.get(LearningRecord, record.id)
    assert record.status == REVISION and services.can_edit(asn, record)
    first_submission = record.submitted_at

    services.update(asn, record, _input(evidence=make_evidence(PNG_BYTES, "jelas.png")))

    record = db.session.get(LearningRecord, record.id)
    assert record.status == SUBMITTED and record.submitted_at >= first_submission
    assert record.verifier_note == "Sertifikat tidak terbaca, unggah ulang."  # the verifier sees what was asked


# ---------------------------------------------------------------- deciding


def test_approve_recognises_jp_notifies_and_audits(asn, verifier):
    record = services.submit(asn, _input(jp_claimed=15))

    services.approve(verifier, record.id, 12, "Disesuaikan dengan aturan seminar.")

    record = db.session.get(LearningRecord, record.id)
    assert (record.status, record.jp, record.jp_claimed, record.verifier_id) == (VERIFIED, 12, 15, verifier.id)
    assert record.verified_at is not None and record.verifier_note == "Disesuaikan dengan aturan seminar."
    assert services.verified_jp(asn, record.year) == 12 and services.pending_jp(asn, record.year) == 0
    assert _kinds(asn) == ["learning.verified"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "learning.verify"))
    assert entry.actor_id == verifier.id and entry.details["recognised"] == 12 and entry.details["claimed"] == 15
    note = db.session.scalar(select(Notification).where(Notification.user_id == asn.id))
    assert note.url == f"/rekam-jejak/kegiatan/{record.id}" and note.params["jp"] == 12


def test_return_needs_a_note_and_reject_a_reason(asn, verifier):
    record = services.submit(asn, _input())
    with pytest.raises(LearningError) as refused:
        services.return_for_revision(verifier, record.id, "  ")
    assert refused.value.field == "note"
    with pytest.raises(LearningError) as refused:
        services.reject(verifier, record.id, "no")
    assert refused.value.field == "reason"
    assert db.session.get(LearningRecord, record.id).status == SUBMITTED and _kinds(asn) == []

    services.reject(verifier, record.id, "Kegiatan bukan pengembangan kompetensi.")
    record = db.session.get(LearningRecord, record.id)
    assert (record.status, record.jp, record.verifier_note) == (REJECTED, 0, "Kegiatan bukan pengembangan kompetensi.")
    assert _kinds(asn) == ["learning.rejected"]
    assert services.pending_jp(asn, record.year) == 0


@pytest.mark.parametrize("jp", [None, -1, 1000])
def test_approve_refuses_a_bad_jp(asn, verifier, jp):
    record = services.submit(asn, _input())
    with pytest.raises(LearningError) as refused:
        services.approve(verifier, record.id, jp)
    assert refused.value.field == "jp" and db.session.get(LearningRecord, record.id).status == SUBMITTED


def test_a_record_is_decided_once(asn, verifier, make_user):
    record = services.submit(asn, _input())
    services.approve(verifier, record.id, 12)
    second_verifier = make_user(Role.ADMIN)
    with pytest.raises(LearningError, match="tidak sedang menunggu"):
        services.reject(second_verifier, record.id, "Terlambat diputuskan.")
    assert db.session.get(LearningRecord, record.id).status == VERIFIED and _kinds(asn) == ["learning.verified"]


def test_only_verifiers_decide_and_never_their_own_record(asn, verifier, make_user):
    record = services.submit(asn, _input())
    for outsider in (asn, make_user(Role.ORGANIZER), make_user(Role.MODERATOR)):
        with pytest.raises(PermissionDenied):
            services.approve(outsider, record.id, 12)
    own = services.submit(verifier, _input())
    with pytest.raises(LearningError, match="verifikator lain"):
        services.approve(verifier, own.id, 12)


def test_attendance_records_are_not_in_the_queue_nor_decidable(asn, verifier, make_record):
    attendance = make_record(asn, end=date(2025, 2, 2), jp=5, source=LearningSource.ATTENDANCE)
    waiting = services.submit(asn, _input())
    page = services.verification_queue(verifier, services.QueueFilters(status=None), 1)
    assert [row.record.id for row in page.items] == [waiting.id]
    assert not services.can_decide(verifier, attendance) and not services.can_edit(asn, attendance)


def test_queue_is_oldest_first_and_filters(asn, verifier, make_user, make_unit):
    other = make_user(unit_id=make_unit().id)
    first = services.submit(asn, _input(title="Pertama diajukan"))
    second = services.submit(other, _input(title="Kedua diajukan", type_code="NKL03", quantity=1, jp_claimed=3))
    third = services.submit(asn, _input(title="Ketiga diajukan", acknowledge_duplicate=True))  # same certificate
    first.submitted_at = datetime.now(UTC) - timedelta(days=3)
    second.submitted_at = datetime.now(UTC) - timedelta(days=2)
    db.session.commit()
    services.approve(verifier, third.id, 12)

    def ids(**filters) -> list[int]:
        return [
            row.record.id for row in services.verification_queue(verifier, services.QueueFilters(**filters), 1).items
        ]

    assert ids() == [first.id, second.id]
    assert ids(status=VERIFIED) == [third.id]
    assert ids(status=None) == [first.id, second.id, third.id]
    assert ids(unit_id=other.unit_id) == [second.id]
    assert ids(development_type_id=get_development_type_by_code("NKL03").id) == [second.id]
    with pytest.raises(PermissionDenied):
        services.verification_queue(asn, services.QueueFilters(), 1)


# ---------------------------------------------------------------- contribution claims


def _article(author, title: str, day: datetime, status=ArticleStatus.PUBLISHED) -> Article:
    article = Article(title=title, author_id=author.id, status=status, published_at=day, body_md="Isi.")
    db.session.add(article)
    db.session.commit()
    return article


def _accepted_answer(author, asker, solved: datetime) -> ForumPost:
    category = ForumCategory(name="Kepegawaian", slug=f"kepegawaian-{author.id}")
    db.session.add(category)
    db.session.flush()
    thread = ForumThread(
        category_id=category.id, author_id=asker.id, title="Cara menghitung JP coaching?", solved_at=solved
    )
    db.session.add(thread)
    db.session.flush()
    db.session.add(ForumPost(thread_id=thread.id, number=1, author_id=asker.id, body_md="?", body_html="?"))
    answer = ForumPost(
        thread_id=thread.id, number=2, author_id=author.id, body_md="2 JP.", body_html="2 JP.", is_solution=True
    )
    db.session.add(answer)
    db.session.commit()
    return answer


def test_published_articles_and_accepted_answers_are_claimable_once(asn, make_user):
    yesterday = datetime.now(UTC) - timedelta(days=1)
    article = _article(asn, "Tips pelayanan loket", yesterday)
    _article(asn, "Draf belum terbit", yesterday, status=ArticleStatus.DRAFT)
    _article(make_user(), "Artikel orang lain", yesterday)
    answer = _accepted_answer(asn, make_user(), yesterday - timedelta(days=3))

    items = contributions.claimable(asn)
    assert [i.key for i in items] == [f"forum_post:{answer.id}", f"article:{article.id}"]
    assert all(i.claimable for i in items)

    record = contributions.claim(asn, f"article:{article.id}")
    assert (record.status, record.development_type.code, record.jp_claimed, record.quantity) == (
        SUBMITTED,
        "NKL10",
        2,
        1,
    )
    assert record.title == "Artikel terbit: Tips pelayanan loket" and record.evidence_path == ""
    assert contributions.link(record.contribution_key) == f"/artikel/{article.id}"
    assert [i.key for i in contributions.claimable(asn)] == [f"forum_post:{answer.id}"]
    with pytest.raises(LearningError, match="sudah diklaim"):
        contributions.claim(asn, f"article:{article.id}")
    with pytest.raises(LearningError, match="sudah diklaim"):
        contributions.claim(make_user(), f"forum_post:{answer.id}")  # not theirs
    assert _count() == 1


def test_contribution_claims_respect_the_daily_limit(asn):
    moment = datetime.now(UTC) - timedelta(days=2)
    articles = [_article(asn, f"Artikel ke-{n}", moment + timedelta(minutes=n)) for n in range(3)]
    contributions.claim(asn, f"article:{articles[0].id}")
    contributions.claim(asn, f"article:{articles[1].id}")

    (third,) = contributions.claimable(asn)
    assert not third.claimable and "Melebihi batas 2 kegiatan sehari" in third.warning
    with pytest.raises(LearningError, match="Melebihi batas"):
        contributions.claim(asn, f"article:{articles[2].id}")


def test_answers_in_ones_own_thread_do_not_count(asn):
    _accepted_answer(asn, asn, datetime.now(UTC) - timedelta(days=1))
    assert contributions.claimable(asn) == []
