"""Atom feeds of newly published articles.

Feeds are public (no login): feed readers cannot sign in to the portal, and a personal token in a URL
leaks through reader services and logs and would need rotating. So a feed carries only what a published
article's card shows anyway - title, summary and link (plus dates); the article itself stays behind the
login. Drafts, articles in review, archived and deleted articles never appear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import Response, current_app, url_for

from portal.articles.models import Article

FEED_SIZE = 20
_NOT_XML = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_EMPTY_FEED_UPDATED = datetime(2020, 1, 1, tzinfo=UTC)


def atom_response(articles: Sequence[Article], title: str, self_url: str, page_url: str) -> Response:
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.subtitle(current_app.config["SITE_NAME"])
    feed.author({"name": current_app.config["SITE_NAME"]})
    feed.link(href=self_url, rel="self")
    feed.link(href=page_url, rel="alternate")
    feed.language("id")
    feed.updated(max((a.published_at for a in articles if a.published_at), default=None) or _EMPTY_FEED_UPDATED)
    for article in reversed(articles):  # feedgen prepends: add oldest first so the newest ends up first
        link = url_for("articles.show", article_id=article.id, _external=True)
        entry = feed.add_entry()
        entry.id(link)
        entry.title(_xml_text(article.title))
        entry.summary(_xml_text(article.excerpt or article.title))
        entry.link(href=link)
        entry.published(article.published_at)
        entry.updated(article.published_at)
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


def _xml_text(text: str) -> str:
    """Characters XML cannot carry are dropped (older rows, or an excerpt of a body with them)."""
    return _NOT_XML.sub("", text)
