import pytest
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.extensions import db

NEW_PASSWORD = "Songket-Silungkang7"


@pytest.fixture
def registration_form(unit):
    """``registration_form(email=...)`` -> the fields of a valid /daftar post, with overrides."""

    def build(**overrides) -> dict:
        form = {
            "name": "Rina Marlina, S.Kom.",
            "nip": "198503142010012003",
            "employment_status": "PNS",
            "email": "rina.marlina@sawahluntokota.go.id",
            "unit_id": str(unit.id),
            "position": "Pranata Komputer Ahli Pertama",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        }
        form.update(overrides)
        return {key: value for key, value in form.items() if value is not None}

    return build


@pytest.fixture
def user_count():
    def count() -> int:
        db.session.expire_all()
        return db.session.scalar(select(func.count()).select_from(User))

    return count
