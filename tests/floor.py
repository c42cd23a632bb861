"""The reads every signed-in page shares (the account row and the bell's count) are kept between requests until
the users, units or notifications tables change. Statement-count tests that compare a page's own work call
:func:`warm_floor` first, so a write made by the test's setup (a new user, a notification) does not add those
reads to one count and not to the other."""

from __future__ import annotations

from typing import Any

FLOOR_PAGE = "/notifikasi/"  # a page with the header (user, bell) and nothing the counted pages show


def warm_floor(client: Any) -> None:
    assert client.get(FLOOR_PAGE).status_code == 200
