from __future__ import annotations

import pytest
from flask_babel import lazy_gettext as _l

from portal.extensions import db
from portal.notifications import services
from portal.notifications.models import Notification

KIND = "test.greeting"


@pytest.fixture(autouse=True)
def greeting_kind() -> str:
    """A registered kind whose message uses %(actor)s and %(title)s."""
    services.register_kind(KIND, _l("%(actor)s menyapa Anda tentang %(title)s."))
    return KIND


@pytest.fixture
def make_notification():
    """A stored notification for ``user`` (bypassing notify(), so tests can plant odd urls)."""

    def factory(user, url: str = "/artikel/1", title: str = "Pelatihan", **fields) -> Notification:
        notification = Notification(
            user_id=user.id, kind=fields.pop("kind", KIND), params={"actor": "Budi", "title": title}, url=url, **fields
        )
        db.session.add(notification)
        db.session.commit()
        return notification

    return factory
