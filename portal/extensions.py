"""Flask extensions, created unbound here and bound in the app factory."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names: Alembic needs them to alter or drop constraints (SQLite batch mode, PostgreSQL).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


if TYPE_CHECKING:
    from flask_sqlalchemy.model import Model as _FlaskModel

    class _PortalModel(Base, _FlaskModel):
        __abstract__ = True

    class _PortalSQLAlchemy(SQLAlchemy):
        # Flask-SQLAlchemy types `db.Model` as its own Model class, which lacks the declarative base's keyword
        # constructor (pallets-eco/flask-sqlalchemy#1312); at runtime `db.Model` does subclass `Base`.
        Model: type[_PortalModel]  # pyright: ignore[reportIncompatibleVariableOverride]


db = cast("_PortalSQLAlchemy", SQLAlchemy(model_class=Base))
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
htmx = HTMX()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
