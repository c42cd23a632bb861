"""Workshop rules, being split into one module per job; this step only moves the code (see the next commit)."""

from portal.workshops.services.browsing import *  # noqa: F403
