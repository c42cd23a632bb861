"""The public landing page: what the portal is, upcoming workshops open to every unit, the newest articles (the
published articles the public Atom feed lists too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from portal.articles import services as articles
from portal.articles.models import Article
from portal.core.types import utcnow
from portal.workshops import queries as workshops
from portal.workshops.models import Workshop

WORKSHOPS_SHOWN = 3
ARTICLES_SHOWN = 3


@dataclass
class Landing:
    workshops: list[Workshop] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)


def landing(now: datetime | None = None) -> Landing:
    newest = articles.list_published(articles.ArticleFilters(), per_page=ARTICLES_SHOWN).items
    return Landing(workshops.public_upcoming(now or utcnow(), WORKSHOPS_SHOWN), list(newest))
