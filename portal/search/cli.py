"""``flask search sync|rebuild|check``: for cron, deployment and the operator."""

from __future__ import annotations

import sys
import time

import click
from flask.cli import AppGroup

from portal.core.jobs import scheduled
from portal.search import services

search_cli = AppGroup("search", help="Indeks pencarian: sinkronkan, bangun ulang, periksa.")


@search_cli.command("sync")
@click.option("--timeout", default=services.SYNC_LOCK_TIMEOUT, show_default=True, help="Detik menunggu kunci indeks.")
@scheduled("search-sync")
def sync(timeout: float) -> None:
    """Apply every queued change (the outbox) to the index."""
    try:
        applied = services.apply_outbox(lock_timeout=timeout)
    except services.IndexOutdated:
        click.echo("Indeks dibuat oleh versi lama. Jalankan `flask search rebuild`.", err=True)
        sys.exit(2)
    except services.IndexBusy:
        click.echo("Indeks sedang dipakai proses lain; coba lagi nanti.", err=True)
        sys.exit(2)
    click.echo(f"{applied} perubahan diterapkan ke indeks.")


@search_cli.command("rebuild")
@click.option("--procs", default=1, show_default=True, help="Proses pengindeks paralel.")
def rebuild(procs: int) -> None:
    """Build a fresh index from the database and swap it in (searches keep working)."""
    started = time.perf_counter()
    count = services.rebuild(procs=procs)
    click.echo(f"Indeks dibangun ulang: {count} dokumen dalam {time.perf_counter() - started:.1f} detik.")


@search_cli.command("check")
@click.option("--limit", default=20, show_default=True, help="Berapa kunci dokumen ditampilkan per jenis masalah.")
def check(limit: int) -> None:
    """Compare the index with the database; exit 1 when documents are missing, stale or extra."""
    report = services.check()
    for label, keys in (("hilang", report.missing), ("usang", report.stale), ("berlebih", report.extra)):
        click.echo(f"{label}: {len(keys)}")
        for key in keys[:limit]:
            click.echo(f"  {key}")
    click.echo(f"antrean (outbox) belum diterapkan: {report.pending}")
    if not report.ok:
        click.echo("Indeks tidak sesuai dengan basis data. Jalankan `flask search rebuild`.", err=True)
        sys.exit(1)
    click.echo("Indeks sesuai dengan basis data.")
