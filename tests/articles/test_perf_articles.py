"""The cached article list and related articles: every change shows on the next request, the cached parts hold
nothing of one reader, and a page served from the cache asks the database (almost) nothing."""

from __future__ import annotations

import time
from html import unescape

from portal.articles import services
from portal.articles.services import ArticleInput
from portal.core.permissions import Role
from portal.extensions import db
from tests.articles.conftest import counting_queries


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _edit(article, by, **fields):
    data = ArticleInput(
        title=fields.get("title", article.title),
        summary=fields.get("summary", article.summary),
        body=fields.get("body", article.body_md),
        competency_codes=fields.get("competency_codes", [c.code for c in article.competencies]),
        tags=fields.get("tags", [t.name for t in article.tags]),
        unit_id=article.unit_id,
    )
    return services.update(by, article, data)


def test_a_published_article_shows_in_the_cached_list_on_the_next_request(member_client, make_article):
    make_article(title="Artikel Pertama Kota")
    assert "Artikel Pertama Kota" in _text(member_client.get("/artikel"))
    make_article(title="Artikel Kedua Kota")
    page = _text(member_client.get("/artikel"))
    assert "Artikel Kedua Kota" in page and "Artikel Pertama Kota" in page


def test_edits_votes_renames_and_withdrawals_show_on_the_next_request(member_client, make_article, author, moderator):
    article = make_article(title="Judul Lama Artikel")
    member_client.get("/artikel")
    _edit(article, author, title="Judul Baru Artikel")
    assert "Judul Baru Artikel" in _text(member_client.get("/artikel"))

    services.toggle_vote(member_client.user, article)
    assert "1 bermanfaat" in _text(member_client.get("/artikel"))

    author.name = "Rina Berganti Nama"
    db.session.commit()
    assert "Rina Berganti Nama" in _text(member_client.get("/artikel"))

    services.unpublish(moderator, article, "Perlu diperiksa ulang.")
    assert "Judul Baru Artikel" not in _text(member_client.get("/artikel"))


def test_the_cached_list_is_the_same_for_every_reader_and_the_buttons_are_not(login_as, make_article):
    make_article(title="Artikel Bersama")
    moderator, member = login_as(Role.MODERATOR), login_as(Role.MEMBER)
    moderator_page, member_page = _text(moderator.get("/artikel")), _text(member.get("/artikel"))
    assert "Antrean tinjauan" in moderator_page and "Antrean tinjauan" not in member_page
    assert "Artikel Bersama" in member_page


def test_drafts_never_reach_the_cached_list(member_client, make_article, author):
    make_article(title="Artikel Terbit Saja")
    make_article(status="draft", title="Draf Rahasia Penulis")
    member_client.get("/artikel")
    assert "Draf Rahasia Penulis" not in _text(member_client.get("/artikel"))


def test_the_list_is_kept_per_language(member_client, make_article):
    make_article()
    assert "Saring dan urutkan" in _text(member_client.get("/artikel"))
    member_client.post("/bahasa", data={"locale": "en"})
    english = _text(member_client.get("/artikel"))
    assert "Filter and sort" in english and "Saring dan urutkan" not in english


def test_a_cached_list_page_asks_the_database_only_for_the_reader(member_client, make_article):
    for n in range(5):
        make_article(title=f"Artikel Nomor {n}")
    time.sleep(0.05)  # a list read right after a write is not kept (portal.core.fragments)
    db.session.rollback()
    member_client.get("/artikel")
    member_client.get("/artikel")
    with counting_queries() as statements:
        assert member_client.get("/artikel").status_code == 200
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) <= 2, reads  # the reader's account and their unread notifications, nothing of the list


def test_related_articles_follow_a_newly_published_article(member_client, make_article):
    first = make_article(title="Artikel Utama", tags=["arsip digital"])
    assert "Artikel Sejenis Baru" not in _text(member_client.get(f"/artikel/{first.id}"))
    make_article(title="Artikel Sejenis Baru", tags=["arsip digital"])
    assert "Artikel Sejenis Baru" in _text(member_client.get(f"/artikel/{first.id}"))
