"""The public landing page: what the portal is, upcoming workshops, the newest articles."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.articles import services as articles
from portal.workshops import services as workshops

WORKSHOPS_SHOWN = 3
ARTICLES_SHOWN = 3


@dataclass
class Landing:
    workshops: list = field(default_factory=list)
    articles: list = field(default_factory=list)


def landing() -> Landing:
    upcoming = workshops.list_upcoming(workshops.WorkshopFilters(), 1).items[:WORKSHOPS_SHOWN]
    newest = articles.list_published(articles.ArticleFilters(), per_page=ARTICLES_SHOWN).items
    return Landing(list(upcoming), list(newest))
