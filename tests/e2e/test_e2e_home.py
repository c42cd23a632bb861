"""Journey: a member starts at the home page and reaches, in one click each, the evaluation waiting for them and
their next session, on a desktop and on a 360 px phone (the cards stacked, nothing wider than the screen)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, REPO, _server_env
from tests.e2e.journeys import follow, import_content, signed_in_page

MEMBER = "198206192008011005"  # Rudi Hartono, PUPR
WORKSHOP = "Penyusunan Rencana Anggaran Biaya Jalan Lingkungan"
SURVEY = "Survei Kepuasan Layanan Kepegawaian 2026"

_SETUP = f"""
from portal import create_app
from portal.accounts.models import User
from portal.core.types import utcnow
from portal.extensions import db
from portal.feedback.models import FeedbackForm, FormAudience, FormPurpose, FormStatus, LikertScale, Question
from portal.feedback.models import QuestionKind
from portal.workshops import services as workshops
from portal.workshops.models import Workshop

app = create_app()
with app.app_context():
    member = db.session.scalar(db.select(User).where(User.nip == "{MEMBER}"))
    admin = db.session.scalar(db.select(User).where(User.nip == app.config["DEMO_ADMIN_NIP"]))
    workshop = db.session.scalar(db.select(Workshop).where(Workshop.external_id == "e2e-home-next"))
    workshops.register(member, workshop.id)
    form = FeedbackForm(title="{SURVEY}", purpose=FormPurpose.SURVEY, audience=FormAudience.ALL_ASN,
                        status=FormStatus.OPEN, owner_id=admin.id, published_at=utcnow())
    form.questions.append(Question(kind=QuestionKind.LIKERT, label="Layanan kepegawaian memuaskan", position=0,
                                   scale=LikertScale.QUALITY))
    db.session.add(form)
    db.session.commit()
"""


@pytest.fixture(scope="module")
def prepared(server, tmp_path_factory) -> None:
    """A workshop in four days the member is registered for, and a survey for every ASN."""
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=4)
    workshop = {
        "type": "workshop",
        "external_id": "e2e-home-next",
        "title": WORKSHOP,
        "body": "Praktik menghitung RAB dengan contoh jalan lingkungan.",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=3)).isoformat(),
        "capacity": 20,
        "jp": 3,
        "location": "Aula Dinas PUPR",
        "competencies": ["M.03"],
    }
    import_content(server, tmp_path_factory.mktemp("home"), [workshop])
    result = subprocess.run(  # noqa: S603 - fixed command line
        [sys.executable, "-c", _SETUP],
        cwd=REPO,
        env=_server_env(server.log.parent),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.usefixtures("prepared")
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_member_reaches_the_evaluation_and_the_next_session_from_home(new_page, sign_in, snapshot, viewport):
    page = signed_in_page(new_page, sign_in, MEMBER, viewport=viewport)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Selamat datang kembali, Rudi Hartono")
    waiting = page.get_by_role("region", name="Menunggu Anda")
    agenda = page.get_by_role("region", name="Sesi saya berikutnya")
    expect(waiting.get_by_role("link", name=f"Isi: {SURVEY}")).to_be_visible()
    expect(agenda).to_contain_text("Aula Dinas PUPR")
    expect(page.get_by_role("region", name="JP saya tahun ini")).to_contain_text("JP")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scroll"
    if viewport == PHONE:  # stacked: one card under the other, what waits first
        first, second = waiting.bounding_box(), agenda.bounding_box()
        assert first["y"] < second["y"] and abs(first["x"] - second["x"]) < 2, (first, second)
    snapshot(page, "home-member")

    follow(waiting.get_by_role("link", name=f"Isi: {SURVEY}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(SURVEY)

    page.goto("/")
    follow(page.get_by_role("region", name="Sesi saya berikutnya").get_by_role("link", name=WORKSHOP))
    expect(page.get_by_role("heading", level=1)).to_contain_text(WORKSHOP)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_staff_see_the_work_waiting_with_links_and_the_page_passes_axe(new_page, axe_script, snapshot, viewport):
    from tests.e2e.test_e2e_accessibility import _serious_violations

    page = new_page(viewport=viewport, as_admin=True, bypass_csp=True)
    page.goto("/")
    work = page.get_by_role("region", name="Pekerjaan menunggu")
    for label in ("Artikel menunggu tinjauan", "Laporan forum terbuka", "Klaim JP menunggu verifikasi"):
        expect(work.get_by_role("link", name=label)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scroll"
    snapshot(page, "home-admin")
    assert _serious_violations(page, axe_script) == []
    follow(work.get_by_role("link", name="Klaim JP menunggu verifikasi"))
    expect(page).to_have_url(re.compile(r"/rekam-jejak/verifikasi$"))


def test_visitors_get_the_landing_page(new_page, snapshot):
    page = new_page(viewport=PHONE)
    page.goto("/")
    expect(page.get_by_role("link", name="Daftar dengan NIP")).to_be_visible()
    expect(page.get_by_role("heading", name="Pelatihan mendatang")).to_be_visible()
    snapshot(page, "home-landing")
