"""The competency profile: gaps (hand-computed), unit gaps, assessing and confirming, recommendations, pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.articles import services as articles
from portal.articles.services import ArticleInput
from portal.audit.models import AuditEntry
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.learning.models import CompetencyAssessment
from portal.learning.services import profile
from portal.notifications.models import Notification
from portal.units.models import UnitHead
from tests.conftest import login
from tests.learning.profile_helpers import add_catalogue, add_position, add_workshop, assess


@pytest.fixture
def catalogue():
    return add_catalogue()


@pytest.fixture
def standard(catalogue):
    """A position requiring M.01 3, M.05 3, M.03 1, SK.01 2 and T.SPBE.01 4."""
    c = catalogue
    return add_position(
        "ANALIS-1", {c["M.01"]: 3, c["M.05"]: 3, c["M.03"]: 1, c["SK.01"]: 2, c["T.SPBE.01"]: 4}, name="Analis"
    )


@pytest.fixture
def owner(make_user, standard, catalogue):
    """Self-assessed M.01 1, M.05 2 (confirmed 3), M.03 2, T.SPBE.01 3; SK.01 not assessed."""
    user = make_user(name="Pemilik Profil", position_id=standard.id)
    boss = make_user(name="Atasan Penilai")
    assess(user, catalogue["M.01"], 1)
    assess(user, catalogue["M.05"], 2, confirmed=3, by=boss)
    assess(user, catalogue["M.03"], 2)
    assess(user, catalogue["T.SPBE.01"], 3)
    return user


def _rows(gaps):
    return [(g.competency.code, g.required, g.current, g.gap) for g in gaps]


# ---------------------------------------------------------------- gaps


def test_gaps_are_required_minus_current_largest_first(owner):
    gaps = profile.gaps_for(owner)
    assert _rows(gaps) == [
        ("M.01", 3, 1, 2),
        ("T.SPBE.01", 4, 3, 1),
        ("SK.01", 2, None, None),  # belum dinilai: after the real gaps, before the standards met
        ("M.05", 3, 3, 0),  # the confirmed level (3) wins over the self-assessment (2)
        ("M.03", 1, 2, -1),
    ]
    assert [g.has_gap for g in gaps] == [True, True, False, False, False]
    assert [g.confirmed for g in gaps] == [False, False, False, True, False]


def test_no_position_means_no_gaps(make_user, catalogue):
    user = make_user()
    assess(user, catalogue["M.01"], 2)
    assert profile.gaps_for(user) == []


def test_unit_gaps_are_average_shortfalls_of_the_assessed(make_user, make_unit, unit, catalogue):
    c = catalogue
    position = add_position("UMUM-1", {c["M.05"]: 3, c["M.01"]: 2})
    other = make_unit("Kecamatan Talawi")
    a1 = make_user(position_id=position.id)
    a2 = make_user(position_id=position.id)
    a3 = make_user(position_id=position.id)
    gone = make_user(position_id=position.id, active=False)
    b1 = make_user(position_id=position.id, unit_id=other.id)
    make_user()  # no position: not counted
    assess(a1, c["M.05"], 1)  # shortfall 2
    assess(a1, c["M.01"], 2)  # 0
    assess(a2, c["M.05"], 2, confirmed=4)  # confirmed above the standard: 0, never negative
    assess(a2, c["M.01"], 1)  # 1
    assess(a3, c["M.01"], 1)  # 1; M.05 not assessed
    assess(gone, c["M.05"], 1)  # inactive: left out
    assess(b1, c["M.05"], 1)  # 2
    assess(b1, c["M.01"], 2)  # 0: no gap, not listed

    def rows(**kwargs):
        return [
            (g.unit.name, g.competency.code, g.people_required, g.people_assessed, g.mean_gap)
            for g in profile.unit_gaps(**kwargs)
        ]

    assert rows() == [
        ("Kecamatan Talawi", "M.05", 1, 1, 2.0),
        (unit.name, "M.05", 3, 2, 1.0),  # (2 + 0) / 2 assessed; a3 counts as required, not assessed
        (unit.name, "M.01", 3, 3, 0.67),  # (0 + 1 + 1) / 3
    ]
    assert rows(unit_id=unit.id) == rows()[1:]
    assert rows(limit=1) == rows()[:1]
    assert rows(unit_id=other.id + 1000) == []


# ---------------------------------------------------------------- assessing and confirming


def test_self_assessment_is_saved_and_replaced(make_user, catalogue):
    user = make_user()
    profile.assess(user, catalogue["M.03"].id, "2", "  Memimpin rapat koordinasi.  ")
    profile.assess(user, catalogue["M.03"].id, 3, "Menyusun SOP layanan.")
    rows = list(db.session.scalars(select(CompetencyAssessment)))
    assert [(r.level, r.evidence) for r in rows] == [(3, "Menyusun SOP layanan.")]


@pytest.mark.parametrize(
    ("level", "evidence", "field"),
    [("0", "", "level"), ("6", "", "level"), ("", "", "level"), ("3", "x" * 2001, "evidence")],
)
def test_bad_self_assessment_writes_nothing(make_user, catalogue, level, evidence, field):
    user = make_user()
    with pytest.raises(profile.ProfileError) as caught:
        profile.assess(user, catalogue["M.03"].id, level, evidence)
    assert caught.value.field == field
    assert db.session.scalar(select(CompetencyAssessment)) is None


def test_inactive_or_unknown_competency_cannot_be_assessed(make_user, catalogue):
    catalogue["M.03"].is_active = False
    db.session.commit()
    with pytest.raises(profile.ProfileError):
        profile.assess(make_user(), catalogue["M.03"].id, 2)
    with pytest.raises(profile.ProfileError):
        profile.assess(make_user(), 987654, 2)


def test_supervisor_confirms_audited_and_notified(make_user, catalogue):
    boss = make_user(name="Bu Atasan")
    user = make_user(supervisor_id=boss.id)
    profile.assess(user, catalogue["M.05"].id, 2)
    profile.confirm(boss, user, catalogue["M.05"].id, "3")
    assessment = profile.assessment_of(user, catalogue["M.05"].id)
    assert (assessment.level, assessment.confirmed_level, assessment.current_level) == (2, 3, 3)
    assert assessment.confirmed_by_id == boss.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "competency.confirm"))
    assert entry.details == {"competency": "M.05", "self_level": 2, "old": None, "new": 3}
    note = db.session.scalar(select(Notification))
    assert (note.user_id, note.kind, note.url) == (user.id, "assessment.confirmed", "/profil-kompetensi")
    # A later self-assessment does not undo the confirmation; confirming the same level again is a no-op...
    profile.confirm(boss, user, catalogue["M.05"].id, 3)
    assert _confirmations() == 1
    profile.assess(user, catalogue["M.05"].id, 1)
    assert profile.assessment_of(user, catalogue["M.05"].id).current_level == 3
    # ...unless the ASN changed their self-assessment since: then it is a new confirmation.
    profile.confirm(boss, user, catalogue["M.05"].id, 3)
    assessment = profile.assessment_of(user, catalogue["M.05"].id)
    assert _confirmations() == 2 and assessment.confirmed_at >= assessment.assessed_at


def _confirmations() -> int:
    return len(list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "competency.confirm"))))


def test_confirmation_rules(make_user, unit, catalogue):
    admin = make_user(Role.ADMIN)
    head = make_user(name="Kepala")
    colleague = make_user()
    user = make_user()
    db.session.add(UnitHead(unit_id=unit.id, user_id=head.id))
    db.session.commit()
    with pytest.raises(profile.ProfileError, match="belum menilai diri"):
        profile.confirm(head, user, catalogue["M.05"].id, 3)
    profile.assess(user, catalogue["M.05"].id, 2)
    with pytest.raises(PermissionDenied):
        profile.confirm(colleague, user, catalogue["M.05"].id, 3)
    with pytest.raises(PermissionDenied):
        profile.confirm(user, user, catalogue["M.05"].id, 5)
    with pytest.raises(profile.ProfileError, match="level 1 sampai 5"):
        profile.confirm(head, user, catalogue["M.05"].id, 8)
    profile.confirm(head, user, catalogue["M.05"].id, 3)
    profile.confirm(admin, user, catalogue["M.05"].id, 2)
    assert profile.assessment_of(user, catalogue["M.05"].id).confirmed_level == 2


# ---------------------------------------------------------------- recommendations


def test_recommendations_follow_the_gap_competencies(make_user, make_unit, unit, owner, catalogue):
    organizer = make_user(Role.ORGANIZER)
    c = catalogue
    fits = add_workshop(organizer, [c["M.01"], c["M.03"]], title="Integritas dalam Pelayanan")
    add_workshop(organizer, [c["M.01"]], title="Draf Integritas", publish=False)
    add_workshop(organizer, [c["M.05"]], title="Pelayanan Prima")  # M.05 meets the standard
    elsewhere = make_unit()
    add_workshop(organizer, [c["M.01"]], title="Khusus Unit Lain", eligible_unit_ids=[elsewhere.id])
    open_to_unit = add_workshop(
        organizer, [c["T.SPBE.01"]], title="Tata Kelola SPBE", days_ahead=5, eligible_unit_ids=[unit.id]
    )
    author = make_user()
    article = articles.create(
        author, ArticleInput(title="Menjaga Integritas ASN", body="Isi.", competency_codes=["M.01"])
    )
    articles.publish(author, article)
    articles.create(author, ArticleInput(title="Draf tentang Integritas", body="Isi.", competency_codes=["M.01"]))
    recs = profile.recommendations_for(owner, profile.gaps_for(owner))
    assert [w.title for w in recs.workshops] == [open_to_unit.title, fits.title]  # soonest first
    assert [a.title for a in recs.articles] == ["Menjaga Integritas ASN"]
    assert recs.competency_ids == {c["M.01"].id, c["T.SPBE.01"].id}


def test_no_gaps_no_recommendations(make_user, catalogue):
    recs = profile.recommendations_for(make_user(), [])
    assert (recs.workshops, recs.articles) == ([], [])


# ---------------------------------------------------------------- pages and privacy


def test_own_profile_page(client, owner, catalogue):
    login(client, owner)
    page = client.get("/profil-kompetensi").get_data(as_text=True)
    assert "Analis" in page
    assert "2 kompetensi di bawah standar" in page
    assert "1 belum dinilai" in page
    assert page.index("M.01") < page.index("T.SPBE.01") < page.index("SK.01")
    assert "Kurang 2 level" in page and "dikonfirmasi" in page


def test_assess_page_shows_level_descriptions_and_saves(member_client, catalogue):
    competency = catalogue["M.03"]
    picked = member_client.get(f"/profil-kompetensi/nilai?kompetensi={competency.id}")
    assert picked.location.endswith(f"/profil-kompetensi/nilai/{competency.id}")
    page = member_client.get(f"/profil-kompetensi/nilai/{competency.id}").get_data(as_text=True)
    for level in range(1, 6):
        assert f"Deskripsi M.03 level {level}." in page
    refused = member_client.post(f"/profil-kompetensi/nilai/{competency.id}", data={"evidence": "x"})
    assert refused.status_code == 400 and "Pilih level 1 sampai 5." in refused.get_data(as_text=True)
    saved = member_client.post(
        f"/profil-kompetensi/nilai/{competency.id}", data={"level": "3", "evidence": "Rapat rutin."}
    )
    assert saved.status_code == 302
    assert profile.assessment_of(member_client.user, competency.id).level == 3
    assert member_client.get("/profil-kompetensi/nilai/999999").status_code == 404
    assert member_client.get("/profil-kompetensi/nilai?kompetensi=abc").status_code == 404


def test_profile_privacy_per_role(login_as, make_user, unit, owner, make_unit):
    supervisor_client = login_as(Role.MEMBER, name="Atasan Langsung")
    owner.supervisor_id = supervisor_client.user.id
    db.session.commit()
    head_client = login_as(Role.MEMBER, name="Kepala Unit", unit_id=make_unit().id)
    db.session.add(UnitHead(unit_id=unit.id, user_id=head_client.user.id))
    db.session.commit()
    url = f"/profil-kompetensi/pegawai/{owner.id}"
    assert login_as(Role.MEMBER).get(url).status_code == 404  # a colleague in the same unit
    assert login_as(Role.MODERATOR).get(url).status_code == 404
    assert supervisor_client.get(url).status_code == 200
    assert head_client.get(url).status_code == 200
    assert login_as(Role.ADMIN).get(url).status_code == 200
    assert login_as(Role.MEMBER).get("/profil-kompetensi/pegawai/999999").status_code == 404


def test_supervisor_confirms_from_the_page(login_as, owner, catalogue):
    client = login_as(Role.MEMBER, name="Atasan Langsung")
    owner.supervisor_id = client.user.id
    db.session.commit()
    page = client.get(f"/profil-kompetensi/pegawai/{owner.id}").get_data(as_text=True)
    assert "Konfirmasi" in page
    answer = client.post(
        f"/profil-kompetensi/pegawai/{owner.id}/konfirmasi",
        data={"competency_id": catalogue["M.01"].id, "level": "2"},
        headers={"HX-Request": "true"},
    )
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Level 2 untuk M.01 dikonfirmasi." in text and "<html" not in text
    assert profile.assessment_of(owner, catalogue["M.01"].id).confirmed_level == 2
    unassessed = client.post(
        f"/profil-kompetensi/pegawai/{owner.id}/konfirmasi",
        data={"competency_id": catalogue["SK.01"].id, "level": "2"},
        headers={"HX-Request": "true"},
    )
    assert "belum menilai diri" in unassessed.get_data(as_text=True)
    plain = client.post(
        f"/profil-kompetensi/pegawai/{owner.id}/konfirmasi",
        data={"competency_id": catalogue["M.03"].id, "level": "2"},
    )
    assert plain.status_code == 302
