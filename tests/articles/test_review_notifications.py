"""An article submitted for review reaches every moderator once (never its own author)."""

from __future__ import annotations

import pytest

from portal.articles import services
from portal.articles.models import ArticleStatus
from portal.core.permissions import Role
from portal.notifications import services as notifications
from tests.notified import notes, recipients


@pytest.fixture
def review_required(app):
    app.config["ARTICLES_REVIEW_REQUIRED"] = True
    yield
    app.config["ARTICLES_REVIEW_REQUIRED"] = False


def test_a_submitted_article_notifies_the_moderators_with_a_link_to_it(review_required, make_article, moderator, admin):
    article = make_article()
    assert article.status == ArticleStatus.IN_REVIEW
    assert recipients("article.review_waiting") == {moderator.id, admin.id}
    note = notes("article.review_waiting")[0]
    assert note.url == f"/artikel/{article.id}"
    assert note.actor_id == article.author_id


def test_without_review_nobody_is_asked(make_article, moderator):
    assert make_article().status == ArticleStatus.PUBLISHED
    assert notes("article.review_waiting") == []


def test_members_and_inactive_moderators_are_not_asked(review_required, make_article, make_user, moderator):
    member, inactive = make_user(Role.MEMBER), make_user(Role.MODERATOR, active=False)
    make_article()
    assert recipients("article.review_waiting") == {moderator.id}
    assert not {member.id, inactive.id} & recipients("article.review_waiting")


def test_a_resubmitted_article_is_one_unread_notification_until_read(review_required, make_article, moderator, author):
    article = make_article()
    services.return_for_changes(moderator, article, "Tambahkan sumber data.")
    services.publish(author, article)
    assert len(notes("article.review_waiting")) == 1  # the first is still unread
    notifications.mark_all_read(moderator)
    services.return_for_changes(moderator, article, "Masih kurang sumber.")
    services.publish(author, article)
    assert len(notes("article.review_waiting")) == 2
