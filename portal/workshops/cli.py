"""``flask workshops send-reminders`` (daily) and ``flask workshops complete-due`` (hourly): for cron or a systemd
timer; both are safe to run more often."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from portal.core.jobs import scheduled
from portal.workshops import services

workshops_cli = AppGroup("workshops", help="Pelatihan: pengingat peserta dan penyelesaian.")


@workshops_cli.command("send-reminders")
@scheduled("workshops-send-reminders")
def send_reminders_command() -> None:
    """Ingatkan peserta terkonfirmasi sehari sebelum pelatihan dimulai (tidak pernah dua kali).

    Contoh cron (setiap hari pukul 07.00): 0 7 * * * cd /srv/portal && .venv/bin/flask workshops send-reminders
    """
    sent = services.send_reminders()
    click.echo(_("Pengingat terkirim: %(count)d peserta.", count=sent))


@workshops_cli.command("complete-due")
@scheduled("workshops-complete-due")
def complete_due_command() -> None:
    """Catat penyelesaian (JP dan sertifikat) peserta pelatihan yang sesi terakhirnya sudah berakhir.

    Contoh cron (setiap jam): 5 * * * * cd /srv/portal && .venv/bin/flask workshops complete-due
    """
    completed = services.complete_due()
    click.echo(_("Penyelesaian dicatat: %(count)d peserta.", count=completed))
