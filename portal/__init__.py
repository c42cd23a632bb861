"""Portal Kompetensi ASN Sawahlunto - application factory."""

from __future__ import annotations

import logging
import os
from typing import Any, cast

from flask import Flask, has_request_context, session
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.accounts.current import current_user
from portal.config import Config, check_production_hosts, check_production_secrets, config_from_name
from portal.core.inputs import register_converters
from portal.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate


def create_app(config: str | type[Config] | dict[str, Any] | None = None) -> Flask:
    instance_path = os.environ.get("PORTAL_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    _load_config(app, config)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    os.makedirs(app.instance_path, exist_ok=True)
    _init_logging(app)
    register_converters(app)  # before any blueprint adds its routes
    _init_extensions(app)
    _register_features(app)
    return app


def _load_config(app: Flask, config: str | type[Config] | dict[str, Any] | None) -> None:
    overrides: dict[str, Any] = {}
    if isinstance(config, dict):
        overrides = config
        config = cast("str | type[Config] | None", overrides.get("PORTAL_CONFIG"))
    config_class = config if isinstance(config, type) else config_from_name(config)
    app.config.from_object(config_class)
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "portal.sqlite3")
    app.config.setdefault("SEARCH_INDEX_DIR", None)
    if not app.config.get("UPLOAD_ROOT") and app.config.get("UPLOAD_DIR"):  # the setting's older name
        app.config["UPLOAD_ROOT"] = app.config["UPLOAD_DIR"]
    for key, folder in (("SEARCH_INDEX_DIR", "search-index"), ("UPLOAD_ROOT", "uploads")):
        if not app.config.get(key):
            app.config[key] = os.path.join(app.instance_path, folder)
    app.config["UPLOAD_DIR"] = app.config["UPLOAD_ROOT"]  # the older name, for code that still reads it
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("CACHE_REDIS_URL") or "memory://"
    if app.config["ENV_NAME"] == "production":
        check_production_secrets(app.config.get("SECRET_KEY"))
        check_production_hosts(int(app.config.get("PORTAL_HOSTS") or 1), app.config.get("CACHE_REDIS_URL"))


def _init_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _select_locale() -> str:
    from flask import current_app

    if not has_request_context():  # CLI commands, background work: no session, no logged-in user
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("locale")
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _init_extensions(app: Flask) -> None:
    import portal.models  # noqa: F401 - registers every table on the metadata
    from portal.core.database import configure_engine
    from portal.core.database import init_app as init_database

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
        init_database(app, db)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, default_translation_directories="translations")
    htmx.init_app(app)
    _init_rate_limiting(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"  # pyright: ignore[reportAttributeAccessIssue] - inferred from its None default
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "basic"

    from portal.core.i18n import lazy_gettext as _l

    login_manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")


@limiter.request_filter
def _rate_limiting_off() -> bool:
    from flask import current_app

    return not current_app.config["RATELIMIT_ENABLED"]


def _init_rate_limiting(app: Flask) -> None:
    """Honour RATELIMIT_ENABLED per app.

    The one shared ``limiter`` keeps a single process-wide ``enabled`` flag and storage, set by the latest
    ``init_app``: a second app (tests build several) would switch limiting on or off for every app. So the
    limiter is always initialised enabled (which also gives this app fresh storage and its hooks) and a
    request filter exempts requests to apps that switched it off.
    """
    wanted = app.config.get("RATELIMIT_ENABLED", True)
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    app.config["RATELIMIT_ENABLED"] = wanted
    if not app.testing:  # memory: per process; redis: every worker and host
        storage = str(app.config["RATELIMIT_STORAGE_URI"]).partition("://")[0]
        logging.getLogger(__name__).info("rate limits: %s", storage if wanted else "off")


def _register_features(app: Flask) -> None:
    from portal.accounts.cli import users_cli
    from portal.accounts.views import bp as accounts_bp
    from portal.admin.unit_views import bp as units_bp
    from portal.admin.views import bp as admin_bp
    from portal.articles import init_app as init_articles
    from portal.competencies.views import bp as competencies_bp
    from portal.content.cli import content_cli
    from portal.core.errors import register_error_handlers
    from portal.core.security import register_security_headers
    from portal.core.views import bp as core_bp
    from portal.demo.cli import demo_cli
    from portal.feedback import init_app as init_feedback
    from portal.forums import init_app as init_forums
    from portal.home import init_app as init_home
    from portal.learning import init_app as init_learning
    from portal.notifications import init_app as init_notifications
    from portal.planning import init_app as init_planning
    from portal.workshops import init_app as init_workshops

    for blueprint in (core_bp, accounts_bp, admin_bp, units_bp, competencies_bp):
        app.register_blueprint(blueprint)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(content_cli)
    init_articles(app)
    init_forums(app)
    init_learning(app)
    init_workshops(app)
    init_feedback(app)
    init_planning(app)
    init_home(app)
    init_notifications(app)
    register_error_handlers(app)
    register_security_headers(app)

    from portal.search import init_app as init_search

    init_search(app)

    from portal.core.templating import register_template_helpers

    register_template_helpers(app)
