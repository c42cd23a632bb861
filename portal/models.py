"""Imports every feature's models so SQLAlchemy's metadata (and Alembic autogenerate) sees all tables.

A new feature adds its ``models`` module here.
"""

from portal.accounts import models as accounts_models  # noqa: F401
from portal.articles import models as articles_models  # noqa: F401
from portal.audit import models as audit_models  # noqa: F401
from portal.competencies import models as competencies_models  # noqa: F401
from portal.feedback import models as feedback_models  # noqa: F401
from portal.forums import models as forums_models  # noqa: F401
from portal.learning import models as learning_models  # noqa: F401
from portal.notifications import models as notifications_models  # noqa: F401
from portal.planning import models as planning_models  # noqa: F401
from portal.search import models as search_models  # noqa: F401
from portal.units import models as units_models  # noqa: F401
from portal.workshops import models as workshops_models  # noqa: F401
