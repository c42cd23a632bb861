"""WSGI entry point: ``gunicorn wsgi:app``. The environment chooses the config (PORTAL_CONFIG)."""

from portal import create_app

app = create_app()
