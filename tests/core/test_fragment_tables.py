"""No silent staleness: every cached render is keyed on every table its SQL reads.

Tests run with ``FRAGMENT_CHECK_TABLES`` (TestingConfig): each ``cached()``/``remembered()``/``static()`` render
records the tables its statements read (FROM/JOIN, in the engine's ``before_cursor_execute``) and raises
``StaleKey`` when one is missing from the tables it is keyed on. So every request test checks the renders it
reaches; this one reaches them with rows to show (the demo city: lazy loads only happen for rows) as every role,
on every page without arguments and on the pages with cached parts, full and as htmx fragments.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from portal.accounts.models import User
from portal.articles.models import Article, ArticleStatus
from portal.core import fragments
from portal.core.fragment_versions import read_tables
from portal.core.permissions import Role
from portal.extensions import db
from portal.forums.models import ForumCategory, ForumThread

KNOWN = ("users", "units", "articles", "article_tags", "forum_posts")


@pytest.mark.parametrize(
    ("statement", "tables"),
    [
        ("SELECT users.id FROM users JOIN units ON units.id = users.unit_id", {"users", "units"}),
        ('SELECT a.id FROM "articles" AS a LEFT OUTER JOIN article_tags AS t_1 ON 1', {"articles", "article_tags"}),
        ("SELECT count(*) FROM users, units WHERE 1", {"users", "units"}),
        ("SELECT x FROM (SELECT id AS x FROM forum_posts) AS anon_1", {"forum_posts"}),
        ("SELECT extract(year FROM articles.published_at) FROM units", {"units"}),
        ("SELECT 1", set()),
    ],
)
def test_the_tables_a_statement_reads_are_parsed(statement, tables):
    assert read_tables(statement, KNOWN) == tables


def test_a_render_reading_a_table_its_key_does_not_name_fails(app, member_client):
    with app.test_request_context():
        with pytest.raises(fragments.StaleKey, match="read units; it is keyed on users"):
            fragments.remembered("test.missing", None, ("users",), lambda: db.session.scalar(text(_USERS_UNITS)))
        assert fragments.remembered(
            "test.named", None, ("users", "units"), lambda: db.session.scalar(text(_USERS_UNITS))
        )
        with pytest.raises(fragments.StaleKey, match="must not query the database"):
            fragments.static("test.static", None, lambda: str(db.session.scalar(text("SELECT count(*) FROM units"))))


_USERS_UNITS = "SELECT count(*) FROM users JOIN units ON units.id = users.unit_id"


def test_a_nested_render_served_from_the_cache_still_counts_for_the_enclosing_one(app, member_client):
    def inner():
        return fragments.remembered(
            "test.inner", None, ("units",), lambda: db.session.scalar(text("SELECT 1 FROM units"))
        )

    with app.test_request_context():
        inner()  # kept
        with pytest.raises(fragments.StaleKey, match="read units"):
            fragments.remembered("test.outer", None, ("users",), inner)


def _pages(app) -> list[str]:
    """Every GET page without arguments, and the pages with cached parts for a row of the demo."""
    pages = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and not rule.arguments and rule.endpoint not in {"static", "core.healthz"}
    )
    article = db.session.scalar(select(Article.id).where(Article.status == ArticleStatus.PUBLISHED).limit(1))
    thread = db.session.scalar(select(ForumThread.id).limit(1))
    category = db.session.scalar(select(ForumCategory.slug).limit(1))
    return [
        *pages,
        f"/artikel/{article}",
        f"/forum/t/{thread}",
        f"/forum/k/{category}",
        "/forum/terbaru",
        "/forum/saya",
        "/artikel?halaman=2",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.ORGANIZER, Role.MODERATOR, Role.ADMIN])
def test_every_cached_render_of_every_page_names_the_tables_it_reads(demo_loaded, app, role):
    client = app.test_client()
    if role is not None:  # a person of the demo with this role, signed in as the login form would
        user = db.session.scalar(select(User).where(User.role == role, User.active, User.is_verified).limit(1))
        assert user is not None
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = user.get_id(), True
    fragments.clear()
    failures = []
    for page in _pages(app):
        for headers in ({}, {"HX-Request": "true"}):
            try:
                status = client.get(page, headers=headers).status_code
            except fragments.StaleKey as error:
                failures.append(f"{page}: {error}")
                continue
            if status >= 500:  # the error handlers answered (and logged what raised, StaleKey among them)
                failures.append(f"{page}: {status}")
    assert not failures, "\n".join(failures)
