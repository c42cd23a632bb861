"""``flask content import FILE.jsonl --as NIP``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from portal.content import services

content_cli = AppGroup("content", help="Impor konten pengetahuan (artikel, dan jenis lain yang terdaftar).")


@content_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "as_nip", required=True, help="NIP admin yang menjalankan impor.")
def import_command(file: Path, as_nip: str) -> None:
    """Import FILE (JSON Lines: one object with a "type" per line). Re-importing updates by external_id."""
    try:
        actor = services.importing_admin(as_nip)
    except services.ImportRejected as error:
        raise click.UsageError(str(error)) from None
    with file.open(encoding="utf-8") as lines:
        report = services.run_import(lines, actor)
    for failure in report.failures:
        click.echo(_("Baris %(line)d: %(reason)s", line=failure.line, reason=failure.reason), err=True)
    counts = report.counts
    click.echo(
        _(
            "Selesai: %(created)d dibuat, %(updated)d diperbarui, %(unchanged)d tidak berubah, %(failed)d gagal.",
            created=counts[services.Outcome.CREATED],
            updated=counts[services.Outcome.UPDATED],
            unchanged=counts[services.Outcome.UNCHANGED],
            failed=len(report.failures),
        )
    )
    if not report.ok:
        raise click.exceptions.Exit(1)
