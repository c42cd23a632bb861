"""``flask learning ...``: commands for cron and for BKPSDM's data imports."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from portal.core.jobs import scheduled
from portal.learning.services import position_import, positions, record_import, reminders

learning_cli = AppGroup("learning", help="Rekam jejak belajar: pengingat JP, impor jabatan.")


@learning_cli.command("remind")
@click.option("--force", is_flag=True, help="Kirim juga di luar triwulan terakhir (Oktober–Desember).")
@click.option("--year", type=click.IntRange(2000, 2100), help="Tahun capaian JP (bawaan: tahun berjalan).")
@scheduled("learning-remind")
def remind_command(force: bool, year: int | None) -> None:
    """Ingatkan ASN yang JP-nya di bawah target, sekali per triwulan (hanya Oktober–Desember kecuali --force).

    PPPK tidak diingatkan: angka JP tahunan PPPK adalah batas per tahun kontrak, bukan target.

    Contoh cron (setiap Senin pukul 07.00): 0 7 * * 1 cd /srv/portal && .venv/bin/flask learning remind
    """
    if not force and not reminders.in_last_quarter():
        click.echo(
            _("Bukan triwulan terakhir (Oktober–Desember): tidak ada pengingat. Pakai --force untuk tetap mengirim.")
        )
        return
    counts = reminders.send_reminders(force=force, year=year)
    click.echo(
        _(
            "Pengingat terkirim: %(sent)d. Sudah diingatkan periode ini: %(already)d. "
            "Sudah mencapai target: %(reached)d. PPPK (batas, bukan target; tidak diingatkan): %(ceiling)d.",
            sent=counts["sent"],
            already=counts["already"],
            reached=counts["reached"],
            ceiling=counts["ceiling"],
        )
    )


@learning_cli.command("import-positions")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Periksa berkas saja, tanpa menyimpan.")
def import_positions_command(file: Path, dry_run: bool) -> None:
    """Impor jabatan dan standar kompetensinya dari CSV atau XLSX (susunan: docs/positions-import.md).

    Semua baris diperiksa dulu; satu baris salah berarti tidak ada yang disimpan. Impor ulang memperbarui.
    """
    try:
        report = position_import.import_positions(None, file.read_bytes(), dry_run=dry_run)
    except positions.PositionImportError as error:
        click.secho(str(error.message), fg="red", err=True)
        for problem in error.errors:
            click.secho(
                _("Baris %(line)d: %(messages)s", line=problem.line, messages="; ".join(problem.messages)),
                fg="red",
                err=True,
            )
        sys.exit(1)
    if dry_run:
        click.echo(_("Pemeriksaan saja: tidak ada yang disimpan."))
    click.echo(
        _(
            "%(rows)d baris. Jabatan baru: %(created)d, diubah: %(updated)d, tidak berubah: %(unchanged)d. "
            "Standar ditambah: %(added)d, diubah: %(changed)d, dihapus: %(removed)d.",
            rows=report.rows,
            created=len(report.created),
            updated=len(report.updated),
            unchanged=len(report.unchanged),
            added=report.requirements_added,
            changed=report.requirements_changed,
            removed=report.requirements_removed,
        )
    )


@learning_cli.command("import-records")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", required=True, help="Sumber data, mis. “ASN Unggul (LAN)”, “BPSDM Provinsi”, “Moodle”.")
@click.option("--recognise", is_flag=True, help="Simpan sebagai terverifikasi (bawaan: menunggu verifikasi).")
@click.option("--dry-run", is_flag=True, help="Periksa berkas saja, tanpa menyimpan.")
def import_records_command(file: Path, source: str, recognise: bool, dry_run: bool) -> None:
    """Impor riwayat belajar dari luar portal (CSV atau XLSX; susunan: docs/record-import.md).

    Semua baris diperiksa dulu; satu baris salah berarti tidak ada yang disimpan. Kegiatan yang sudah tercatat
    dilewati (bukan kredit kedua), jadi impor ulang berkas yang sama tidak mengubah apa pun.
    """
    try:
        report = record_import.import_records(
            None, file.read_bytes(), source=source, recognise=recognise, dry_run=dry_run
        )
    except record_import.RecordImportError as error:
        click.secho(str(error.message), fg="red", err=True)
        for problem in error.errors:
            click.secho(
                _("Baris %(line)d: %(messages)s", line=problem.line, messages="; ".join(problem.messages)),
                fg="red",
                err=True,
            )
        sys.exit(1)
    if dry_run:
        click.echo(_("Pemeriksaan saja: tidak ada yang disimpan."))
    for skipped in report.skipped:
        click.echo(
            _("Baris %(line)d dilewati: kegiatan ini sudah tercatat untuk %(nip)s.", line=skipped.line, nip=skipped.nip)
        )
    click.echo(
        _(
            "%(rows)d baris. Kegiatan baru: %(created)d (%(status)s), dilewati karena sudah tercatat: %(skipped)d.",
            rows=report.rows,
            created=report.created,
            status=_("terverifikasi") if report.recognised else _("menunggu verifikasi"),
            skipped=len(report.skipped),
        )
    )
