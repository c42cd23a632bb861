"""Learning records (rekam jejak belajar): the JP an ASN earned, by development type, from any source.

Workshops credit attendance here (:func:`portal.learning.services.credit_workshop_attendance`); the 20 JP
ledger and the verification queue of self-reported records build on the same rows.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.learning.cli import learning_cli
    from portal.learning.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(learning_cli)
