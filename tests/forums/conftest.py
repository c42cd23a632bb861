"""Forum fixtures: categories of every kind, a thread factory through the services, a query counter."""

from __future__ import annotations

import pytest

from portal.core.permissions import Role
from portal.extensions import db
from portal.forums import services
from portal.forums.models import ForumCategory, Visibility
from tests.articles.conftest import counting_queries  # noqa: F401 - re-exported for the forum tests
from tests.core.conftest import make_app  # noqa: F401 - a fixture: apps with other settings (rate limits)
from tests.postings import every_posting_new


@pytest.fixture
def general():
    return services.ensure_general_category()


@pytest.fixture
def make_category():
    def factory(slug: str, name: str | None = None, **fields) -> ForumCategory:
        category = ForumCategory(slug=slug, name=name or slug.replace("-", " ").title(), **fields)
        db.session.add(category)
        db.session.commit()
        return category

    return factory


@pytest.fixture
def unit_room(make_category, make_unit):
    """A room for the members of one unit (RSUD), which the default test users do not belong to."""
    rsud = make_unit("RSUD Sawahlunto", short_name="RSUD")
    return make_category("ruang-rsud", "Ruang RSUD", visibility=Visibility.UNIT, unit_id=rsud.id)


@pytest.fixture
def announcements(make_category):
    return make_category("pengumuman", "Pengumuman BKPSDM", is_read_only=True)


@pytest.fixture
def author(make_user):
    return make_user(Role.MEMBER, name="Rina Marlina, S.E.")


@pytest.fixture
def moderator(make_user):
    return make_user(Role.MODERATOR, name="Fajri Ananda, S.Kom.")


@pytest.fixture
def make_thread(general, author):
    def factory(title: str = "Cara mengisi SKP di e-Kinerja", body: str = "Mohon petunjuknya.", by=None, category=None):
        with every_posting_new():
            return services.create_thread(by or author, category or general, title, body)

    return factory
