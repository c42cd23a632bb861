"""A form's open/close times are typed day first (dd/mm/yyyy HH.MM, WIB) whatever the browser's language (issue 17)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.feedback import services
from portal.feedback.models import FeedbackForm
from portal.feedback.services import FormInput

MESSAGE = "Waktu tidak valid. Tulis hari/bulan/tahun jam.menit, misalnya 17/08/2026 08.00."


@pytest.fixture
def organizer_form(organizer_client):
    return services.create_form(organizer_client.user, FormInput(title="Survei Layanan Kepegawaian"))


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(FeedbackForm)) or 0


def test_create_with_day_first_times_stores_utc(organizer_client):
    page = organizer_client.get("/evaluasi/kelola/baru").get_data(as_text=True)
    assert 'placeholder="hh/bb/tttt jj.mm"' in page and "datetime-local" not in page
    response = organizer_client.post(
        "/evaluasi/kelola/baru",
        data={
            "title": "Survei Kepuasan Layanan",
            "purpose": "survey",
            "audience": "all_asn",
            "opens_at": "03/05/2026 08.00",  # 3 May, not 5 March
            "closes_at": "17/05/2026 16:00",
        },
    )
    assert response.status_code == 302
    form = db.session.scalar(select(FeedbackForm))
    assert form is not None
    assert form.opens_at is not None and form.closes_at is not None
    assert form.opens_at.astimezone(UTC) == datetime(2026, 5, 3, 1, 0, tzinfo=UTC)  # 08.00 WIB
    assert form.closes_at.astimezone(UTC) == datetime(2026, 5, 17, 9, 0, tzinfo=UTC)  # 16.00 WIB
    settings = organizer_client.get(f"/evaluasi/kelola/{form.id}/pengaturan").get_data(as_text=True)
    assert 'value="03/05/2026 08.00"' in settings and 'value="17/05/2026 16.00"' in settings


def test_create_with_a_bad_time_gives_the_message_and_saves_nothing(organizer_client):
    response = organizer_client.post(
        "/evaluasi/kelola/baru",
        data={"title": "Survei Kepuasan Layanan", "purpose": "survey", "audience": "all_asn", "opens_at": "05/13/2026"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert MESSAGE in page and 'value="05/13/2026"' in page
    assert _count() == 0


def test_edit_settings_with_day_first_times(organizer_client, organizer_form):
    response = organizer_client.post(
        f"/evaluasi/kelola/{organizer_form.id}/pengaturan",
        data={
            "title": organizer_form.title,
            "purpose": "survey",
            "audience": "all_asn",
            "closes_at": "01/06/2026 23.59",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    closes = db.session.get(FeedbackForm, organizer_form.id).closes_at
    assert closes is not None and closes.astimezone(UTC) == datetime(2026, 6, 1, 16, 59, tzinfo=UTC)


def test_edit_settings_with_a_bad_time_changes_nothing(organizer_client, organizer_form):
    response = organizer_client.post(
        f"/evaluasi/kelola/{organizer_form.id}/pengaturan",
        data={"title": "Judul Baru Survei", "purpose": "survey", "audience": "all_asn", "closes_at": "1/6/2026 25.00"},
    )
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)
    db.session.expire_all()
    form = db.session.get(FeedbackForm, organizer_form.id)
    assert (form.title, form.closes_at) == ("Survei Layanan Kepegawaian", None)


def test_members_cannot_post_settings(member_client, organizer_form):
    response = member_client.post(
        f"/evaluasi/kelola/{organizer_form.id}/pengaturan",
        data={"title": "Survei Lain", "purpose": "survey", "closes_at": "01/06/2026 08.00"},
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(FeedbackForm, organizer_form.id).closes_at is None
