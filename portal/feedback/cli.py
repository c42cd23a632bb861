"""``flask feedback send-followups``: run daily (cron or a systemd timer); safe to run more often."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from portal.core.jobs import scheduled
from portal.feedback.services.followups import send_due_followups

feedback_cli = AppGroup("feedback", help="Evaluasi dan survei: evaluasi pasca pelatihan.")


@feedback_cli.command("send-followups")
@scheduled("feedback-send-followups")
def send_followups_command() -> None:
    """Buat dan kirim permintaan evaluasi pasca pelatihan yang sudah jatuh tempo (tidak pernah dua kali).

    Contoh cron (setiap hari pukul 07.30): 30 7 * * * cd /srv/portal && .venv/bin/flask feedback send-followups
    """
    counts = send_due_followups()
    click.echo(
        _(
            "Permintaan evaluasi pasca pelatihan dibuat: %(participant)d untuk peserta, %(supervisor)d untuk atasan "
            "(%(notified)d pemberitahuan).",
            participant=counts["participant"],
            supervisor=counts["supervisor"],
            notified=counts["notified"],
        )
    )
    if counts["no_supervisor"] or counts["inactive"]:
        click.echo(
            _(
                "Dilewati: %(none)d peserta tanpa atasan tercatat, %(inactive)d akun nonaktif.",
                none=counts["no_supervisor"],
                inactive=counts["inactive"],
            )
        )
