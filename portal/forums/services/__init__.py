"""Forum rules (being split by job; see the modules of this package)."""

from portal.forums.services.topics import *  # noqa: F403
