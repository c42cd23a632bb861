"""The registration window is typed day first (dd/mm/yyyy HH.MM, WIB) whatever the browser's language (issue 17)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from portal.core.permissions import Role
from portal.extensions import db
from portal.learning import services as learning
from portal.workshops import services
from portal.workshops.models import Workshop
from tests.conftest import login


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _first_day() -> date:
    return (datetime.now(UTC) + timedelta(days=30)).date()


def _form(organizer, **fields) -> dict:
    day = _first_day()
    return {
        "title": "Pelatihan Pelayanan Prima di Mal Pelayanan Publik",
        "development_type_id": str(learning.get_development_type_by_code("KL03").id),
        "competencies": ["M.05"],
        "provider_unit_id": str(organizer.unit_id),
        "sessions-0-day": day.strftime("%d/%m/%Y"),
        "sessions-0-start": "08:00",
        "sessions-0-end": "12:00",
        "capacity": "30",
        "employment_filter": "all",
        "approval_mode": "automatic",
        **fields,
    }


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Workshop)) or 0


def test_organizer_types_the_window_day_first_and_it_is_stored_as_utc(app, organizer, development_types, catalogue):
    client = _client(app, organizer)
    page = client.get("/pelatihan/baru").get_data(as_text=True)
    assert 'name="registration_opens_at"' in page and 'placeholder="hh/bb/tttt jj.mm"' in page
    assert "datetime-local" not in page
    opens, closes = _first_day() - timedelta(days=20), _first_day() - timedelta(days=2)
    response = client.post(
        "/pelatihan/baru",
        data=_form(
            organizer,
            registration_opens_at=opens.strftime("%d/%m/%Y") + " 08.00",
            registration_closes_at=closes.strftime("%d/%m/%Y") + " 16:30",
        ),
    )
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert workshop is not None
    # 08.00 WIB is 01.00 UTC; 16.30 WIB is 09.30 UTC.
    assert workshop.registration_opens_at.astimezone(UTC) == datetime(
        opens.year, opens.month, opens.day, 1, 0, tzinfo=UTC
    )
    assert workshop.registration_closes_at.astimezone(UTC) == datetime(
        closes.year, closes.month, closes.day, 9, 30, tzinfo=UTC
    )
    edit = client.get(f"/pelatihan/{workshop.id}/ubah").get_data(as_text=True)
    assert f'value="{opens.strftime("%d/%m/%Y")} 08.00"' in edit  # shown back day first, in WIB
    assert f'value="{closes.strftime("%d/%m/%Y")} 16.30"' in edit


def test_iso_from_older_pages_is_still_read(app, organizer, development_types, catalogue):
    client = _client(app, organizer)
    opens = _first_day() - timedelta(days=10)
    response = client.post("/pelatihan/baru", data=_form(organizer, registration_opens_at=f"{opens.isoformat()}T07:15"))
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert services.to_local(workshop.registration_opens_at).strftime("%d/%m/%Y %H.%M") == (
        opens.strftime("%d/%m/%Y") + " 07.15"
    )


def test_a_month_first_value_gives_the_message_and_saves_nothing(app, organizer, development_types, catalogue):
    client = _client(app, organizer)
    response = client.post("/pelatihan/baru", data=_form(organizer, registration_opens_at="08/17/2026 08.00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Waktu tidak valid. Tulis hari/bulan/tahun jam.menit, misalnya 17/08/2026 08.00." in page
    assert 'value="08/17/2026 08.00"' in page  # what was typed stays, to correct it
    assert _count() == 0


def test_a_bad_value_on_edit_leaves_the_window_as_it_was(app, organizer, make_workshop):
    opens = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0) + timedelta(days=1)
    workshop = make_workshop(registration_opens_at=opens)
    client = _client(app, organizer)
    local = services.to_local
    data = {
        "title": workshop.title,
        "development_type_id": str(workshop.development_type_id),
        "provider_name": workshop.provider_name,
        "capacity": "30",
        "employment_filter": "all",
        "approval_mode": "automatic",
        "registration_opens_at": "besok jam 8",
    }
    for n, s in enumerate(workshop.sessions):
        data |= {f"sessions-{n}-day": local(s.starts_at).strftime("%d/%m/%Y"),
                 f"sessions-{n}-start": local(s.starts_at).strftime("%H:%M"),
                 f"sessions-{n}-end": local(s.ends_at).strftime("%H:%M")}  # fmt: skip
    page = client.post(f"/pelatihan/{workshop.id}/ubah", data=data).get_data(as_text=True)
    assert "Waktu tidak valid." in page
    db.session.expire_all()
    assert services.get(workshop.id).registration_opens_at.astimezone(UTC) == opens


def test_the_english_interface_explains_the_format_in_english(app, organizer, development_types, catalogue):
    client = _client(app, organizer)
    client.post("/bahasa", data={"locale": "en"})
    page = client.post("/pelatihan/baru", data=_form(organizer, registration_opens_at="17-08-2026 8")).get_data(True)
    assert "Invalid date and time. Write day/month/year hour.minute, for example 17/08/2026 08.00." in page
    assert 'placeholder="dd/mm/yyyy hh.mm"' in page
    assert _count() == 0


def test_members_cannot_open_the_workshop_form(login_as):
    client = login_as(Role.MEMBER)
    assert client.get("/pelatihan/baru").status_code == 403
