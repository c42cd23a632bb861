"""The portal as the load benchmark serves it: ``create_app()`` plus a bare endpoint as the throughput ceiling.

``gunicorn 'bench.load_app:create_bench_app()'``. The ``/_bench/bare`` route exists only here, never in the
product: it measures what the server, the WSGI stack and the app's own hooks cost without any page work.
"""

from __future__ import annotations

from flask import Flask

from portal import create_app


def create_bench_app() -> Flask:
    app = create_app()

    @app.get("/_bench/bare")
    def bench_bare() -> str:
        return "ok"

    return app
