"""Article rules (being split by job; see the modules of this package)."""

from portal.articles.services.authoring import *  # noqa: F403
