"""Article changes reach the search outbox in the same transaction; counters alone do not."""

from sqlalchemy import func, select

from portal.articles import services as articles
from portal.articles.models import ArticleStatus
from portal.extensions import db
from portal.search.models import SearchOutbox
from tests.search.conftest import whoosh_only


def _queued() -> list[tuple[str, int, str]]:
    return [
        tuple(row) for row in db.session.execute(select(SearchOutbox.doc_type, SearchOutbox.doc_id, SearchOutbox.op))
    ]


def _clear_outbox():
    db.session.execute(SearchOutbox.__table__.delete())
    db.session.commit()


@whoosh_only
def test_creating_publishing_and_deleting_an_article_queue_index_updates(make_user):
    author = make_user()
    article = articles.create(author, articles.ArticleInput(title="Melatih Petugas Melayani Warga", body="Isi."))
    assert ("article", article.id, "index") in _queued()
    _clear_outbox()

    articles.publish(author, article)
    assert article.status == ArticleStatus.PUBLISHED
    assert _queued() == [("article", article.id, "index")]
    _clear_outbox()

    articles.delete(author, article)
    assert _queued() == [("article", article.id, "index")]


def test_view_and_vote_counters_do_not_touch_the_index(make_user):
    author = make_user()
    article = articles.create(author, articles.ArticleInput(title="Arsip Dinamis", body="Isi."))
    articles.publish(author, article)
    _clear_outbox()
    article.view_count += 1
    article.vote_count += 1
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0


def test_a_rolled_back_change_leaves_nothing_queued(make_user):
    author = make_user()
    article = articles.create(author, articles.ArticleInput(title="Arsip Dinamis", body="Isi."))
    _clear_outbox()
    article.title = "Judul baru"
    db.session.flush()
    db.session.rollback()
    assert _queued() == []
