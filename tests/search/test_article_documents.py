"""The article document type (portal/articles/search.py): published articles only, for signed-in users."""

from __future__ import annotations

from portal.articles import services as articles
from portal.core.permissions import Role
from portal.extensions import db
from portal.search import services
from tests.search.conftest import search_titles


def _article(author, title: str, body: str, publish: bool = True):
    article = articles.create(author, articles.ArticleInput(title=title, summary="", body=body))
    if publish:
        articles.publish(author, article)
    return article


def test_published_articles_are_found_by_any_word_form(make_user):
    author = make_user(Role.MODERATOR)
    reader = make_user(Role.MEMBER)
    _article(author, "Melatih Petugas Melayani Warga", "Petugas loket dilatih menyapa warga dengan ramah.")
    _article(author, "Draf pelatihan rahasia", "Belum terbit: pelatihan pelayanan.", publish=False)
    services.rebuild()
    assert search_titles("pelatihan pelayanan", reader) == ["Melatih Petugas Melayani Warga"]
    assert search_titles("pelatihan pelayanan", None) == []  # articles are for signed-in users
    assert services.check().ok


def test_unpublished_article_leaves_the_index_when_its_change_is_applied(make_user):
    author = make_user(Role.MODERATOR)
    article = _article(author, "Rencana aksi SPBE", "Arsitektur SPBE kota.")
    services.rebuild()
    assert search_titles("SPBE", author) == ["Rencana aksi SPBE"]
    articles.archive(author, article, "Sudah tidak berlaku lagi.")
    services.queue("article", article.id)  # until the article services queue their own changes
    db.session.commit()
    services.apply_outbox()
    assert search_titles("SPBE", author) == []
