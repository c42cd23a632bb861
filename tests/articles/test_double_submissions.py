"""Issue 13 §7 / issue 19 §7: a second click, a re-sent form or two identical requests at the same moment post one
comment or one article; an htmx comment post empties the box, a post without JavaScript redirects (PRG)."""

from __future__ import annotations

import re

from portal.accounts import services as accounts
from portal.articles import services
from portal.articles.models import Article, ArticleComment
from portal.articles.services import ArticleInput
from portal.core.permissions import Role
from portal.extensions import db
from portal.notifications.models import Notification
from tests.postings import at_the_same_moment, count_rows, move_clock


def test_the_same_comment_twice_within_seconds_is_one_comment(make_article, make_user, author, monkeypatch):
    article = make_article()
    reader = make_user(Role.MEMBER)
    first = services.add_comment(reader, article, "Terima kasih, sangat membantu!")
    again = services.add_comment(reader, article, "Terima kasih, sangat membantu!\n")
    assert again.id == first.id
    assert count_rows(ArticleComment) == 1
    notified = count_rows(Notification, Notification.user_id == author.id, Notification.kind == "article.commented")
    assert notified == 1  # the author is told once

    # A different text, or the same words as a reply, is a new comment.
    services.add_comment(reader, article, "Satu pertanyaan lagi.")
    reply = services.add_comment(reader, article, "Terima kasih, sangat membantu!", parent_id=first.id)
    assert reply.id != first.id and reply.parent_id == first.id
    # Someone else saying the same is their own comment.
    services.add_comment(make_user(Role.MEMBER), article, "Terima kasih, sangat membantu!")
    assert count_rows(ArticleComment) == 4

    move_clock(monkeypatch, 29)
    assert services.add_comment(reader, article, "Terima kasih, sangat membantu!").id == first.id
    move_clock(monkeypatch, 31)  # past the window: saying it again is deliberate
    assert services.add_comment(reader, article, "Terima kasih, sangat membantu!").id != first.id
    assert count_rows(ArticleComment) == 5


def test_a_deleted_comment_is_not_what_a_new_one_returns(make_article, make_user):
    article = make_article()
    reader = make_user(Role.MEMBER)
    first = services.add_comment(reader, article, "Ralat: lihat lampiran.")
    services.delete_comment(reader, first)
    assert services.add_comment(reader, article, "Ralat: lihat lampiran.").id != first.id


def test_htmx_comment_clears_the_box_and_a_second_click_adds_nothing(member_client, make_article):
    article = make_article()
    url = f"/artikel/{article.id}/komentar"
    for _ in range(2):
        response = member_client.post(url, data={"body": "Izin bertanya, Bu."}, headers={"HX-Request": "true"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "<html" not in page
        assert page.count("Izin bertanya, Bu.") == 1  # shown once, as the comment
        box = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page.split("Kirim balasan")[-1], re.S)
        assert box is not None and box.group(1).strip() == ""
    assert count_rows(ArticleComment) == 1


def test_comment_without_javascript_redirects_and_a_resend_adds_nothing(member_client, make_article):
    article = make_article()
    url = f"/artikel/{article.id}/komentar"
    first = member_client.post(url, data={"body": "Materinya bagus."})
    second = member_client.post(url, data={"body": "Materinya bagus."})
    assert first.status_code == second.status_code == 302
    assert first.location.endswith("#komentar")
    assert count_rows(ArticleComment) == 1


def test_a_new_article_sent_twice_is_one_draft(member_client, catalogue):
    form = {
        "title": "Menata Arsip Dinamis di OPD",
        "summary": "",
        "body": "Mulai dari **daftar**.",
        "tags": "",
        "unit_id": "0",
        "action": "save",
    }
    first = member_client.post("/artikel/tulis", data=form)
    second = member_client.post("/artikel/tulis", data=form)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert count_rows(Article) == 1
    member_client.post("/artikel/tulis", data={**form, "body": "Isi lain."})
    assert count_rows(Article) == 2


def test_identical_comments_at_the_same_moment_are_one(app, make_article, make_user):
    article_id = make_article().id
    reader_id = make_user(Role.MEMBER).id
    db.session.commit()

    def post():
        comment = services.add_comment(accounts.get_user(reader_id), services.get(article_id), "Setuju sekali.")
        return comment.id

    results, errors = at_the_same_moment(app, 8, post)
    assert errors == []
    assert len(results) == 8 and len(set(results)) == 1
    assert count_rows(ArticleComment) == 1


def test_identical_new_articles_at_the_same_moment_are_one(app, catalogue, make_user):
    writer_id = make_user(Role.MEMBER).id
    db.session.commit()

    def create():
        data = ArticleInput(title="Praktik Baik Layanan Adminduk", body="Jemput bola ke kelurahan.")
        return services.create(accounts.get_user(writer_id), data).id

    results, errors = at_the_same_moment(app, 8, create)
    assert errors == []
    assert len(set(results)) == 1
    assert count_rows(Article) == 1
