import pytest

from portal import create_app
from portal.extensions import db


@pytest.fixture
def make_app(app):
    """``make_app(SETTING=value)`` -> another app on the session app's database, for settings read at start-up.

    Its engine is disposed after the test.
    """
    built = []

    def factory(**settings):
        config = {
            "PORTAL_CONFIG": "testing",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
            "UPLOAD_ROOT": app.config["UPLOAD_ROOT"],
            **settings,
        }
        application = create_app(config)
        application.test_client_class = app.test_client_class
        built.append(application)
        return application

    yield factory
    for application in built:
        with application.app_context():
            db.engine.dispose()
