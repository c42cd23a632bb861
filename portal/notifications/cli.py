"""``flask notifications digest`` (daily): each person's email digest; safe to run more often."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from portal.notifications import digest

notifications_cli = AppGroup("notifications", help="Notifikasi: ringkasan email harian.")


@notifications_cli.command("digest")
def digest_command() -> None:
    """Kirim ringkasan harian pemberitahuan kepada yang memilihnya (tiap pemberitahuan hanya sekali).

    Contoh cron (setiap hari pukul 16.00): 0 16 * * * cd /srv/portal && .venv/bin/flask notifications digest
    """
    result = digest.send_digests()
    click.echo(
        _("Ringkasan terkirim: %(mails)d email, %(items)d pemberitahuan.", mails=result.mails, items=result.items)
    )
    if result.failed:
        click.echo(_("Gagal dikirim (dicoba lagi pada jalan berikutnya): %(count)d email.", count=result.failed))
