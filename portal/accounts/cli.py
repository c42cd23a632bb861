"""``flask users ...`` commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from portal.accounts import importing, services
from portal.accounts.importing import Outcome, UnitDirectory
from portal.accounts.models import User
from portal.accounts.nip import NipError, parse_nip
from portal.core.permissions import Role
from portal.units.seed import BKPSDM_CODE, upsert_units

users_cli = AppGroup("users", help="Kelola akun pengguna.")


def _fail(message: Any) -> NoReturn:
    click.secho(str(message), fg="red", err=True)
    sys.exit(1)


def _is_interactive() -> bool:
    return sys.stdin.isatty()


def _value(given: str | None, option: str, label: str, *, secret: bool = False) -> str:
    """The option's value; asked for only in a terminal, so scripts fail fast instead of hanging."""
    if given:
        return given
    if not _is_interactive():
        _fail(_("Opsi %(option)s wajib diisi.", option=option))
    return click.prompt(label, hide_input=secret, confirmation_prompt=secret)


def _unit_id(code_or_name: str) -> int:
    directory = UnitDirectory.load()
    if not directory:
        counts = upsert_units()
        click.echo(_("Belum ada unit kerja: daftar OPD Kota Sawahlunto dimuat (%(n)d unit).", n=counts["created"]))
        directory = UnitDirectory.load()
    unit = directory.find(code_or_name)
    if unit is None:
        _fail(
            _("Unit kerja “%(unit)s” tidak dikenal: beri --unit dengan kode atau nama lengkap unit.", unit=code_or_name)
        )
    return unit.id


def _promote(user: User, password: str | None) -> None:
    try:
        promotion = importing.promote_to_admin(user, password)
    except services.AccountError as error:
        _fail(error.message)
    if not promotion.changed:
        click.echo(_("%(name)s (NIP %(nip)s) sudah admin; tidak ada yang diubah.", name=user.name, nip=user.nip))
        return
    details = {"nip": user.nip, "name": user.name, "email": user.email}
    if "role" in promotion.changed:
        click.echo(
            _("NIP %(nip)s sudah terdaftar atas nama %(name)s <%(email)s>: akun itu dijadikan admin.", **details)
        )
    else:
        click.echo(_("NIP %(nip)s sudah terdaftar atas nama %(name)s <%(email)s> sebagai admin.", **details))
    if "is_verified" in promotion.changed or "active" in promotion.changed:
        click.echo(_("Akun juga diverifikasi dan diaktifkan."))
    if "password" in promotion.changed:
        click.echo(_("Kata sandinya diganti dengan yang Anda berikan."))


@users_cli.command("create-admin")
@click.option("--nip", help="NIP / NI PPPK (18 digit).")
@click.option("--name", help="Nama lengkap dengan gelar.")
@click.option("--email", help="Alamat email.")
@click.option("--password", help="Kata sandi (minimal 10 karakter).")
@click.option("--unit", help=f"Kode atau nama unit kerja (bawaan: {BKPSDM_CODE}).")
def create_admin(nip: str | None, name: str | None, email: str | None, password: str | None, unit: str | None):
    """Buat akun admin yang langsung terverifikasi.

    Bila NIP sudah terdaftar, akun itu dijadikan admin (diverifikasi dan diaktifkan; kata sandinya diganti
    hanya bila --password diberikan). Opsi yang tidak diberikan ditanyakan bila dijalankan di terminal.
    Bila belum ada unit kerja sama sekali, daftar OPD Kota Sawahlunto dimuat lebih dulu.
    """
    nip = _value(nip, "--nip", _("NIP"))
    existing = services.get_by_nip(nip)
    if existing is None:
        try:  # before asking for the rest: a typo in the NIP should not cost the whole form
            nip = parse_nip(nip).nip
        except NipError as error:
            _fail(error)
    if existing is not None:
        _promote(existing, password)
        return
    name = _value(name, "--name", _("Nama lengkap (dengan gelar)"))
    email = _value(email, "--email", _("Email"))
    password = _value(password, "--password", _("Kata sandi"), secret=True)
    registration = services.Registration(
        nip=nip, name=name, email=email, password=password, unit_id=_unit_id(unit or BKPSDM_CODE), position=""
    )
    try:
        user = services.create_user(None, registration, Role.ADMIN)
    except services.AccountError as error:
        _fail(error.message)
    click.echo(_("Admin dibuat: %(name)s, NIP %(nip)s, unit %(unit)s.", name=user.name, nip=user.nip, unit=user.unit))


def _echo_report(report: importing.ImportReport) -> None:
    if report.ignored_columns:
        click.echo(_("Kolom yang diabaikan: %(columns)s.", columns=", ".join(report.ignored_columns)))
    for result in report.failures:
        label = _("Baris %(line)d (NIP %(nip)s)", line=result.line, nip=result.nip or "-")
        for message in result.messages:
            click.secho(f"{label}: {message}", fg="red", err=True)
    counts = report.counts
    click.echo(
        _(
            "Ringkasan: %(created)d dibuat, %(updated)d diperbarui, %(unchanged)d tidak berubah, %(failed)d gagal.",
            created=counts[Outcome.CREATED],
            updated=counts[Outcome.UPDATED],
            unchanged=counts[Outcome.UNCHANGED],
            failed=counts[Outcome.FAILED],
        )
    )
    if report.dry_run:
        click.echo(_("Uji coba (--dry-run): tidak ada yang disimpan."))


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Periksa dan laporkan saja, tanpa menyimpan apa pun.")
def import_users(file: Path, dry_run: bool):
    """Impor pegawai dari ekspor CSV BKPSDM.

    \b
    Baris judul: nip,name,email,unit,position[,status][,role][,contract_start,contract_end]
      unit   = kode unit atau nama lengkap unit
      status = PNS, CPNS, PPPK, PPPK_PW (bawaan PNS)
      role   = member, organizer, moderator, admin (bawaan member)
      contract_start, contract_end = tanggal kontrak PPPK (TTTT-BB-HH atau HH/BB/TTTT; kosong: tetap)
    Pemisah koma atau titik koma; UTF-8 dengan atau tanpa BOM.

    Akun dicocokkan dengan NIP: NIP yang sudah ada diperbarui, tidak pernah digandakan. Sel status/role
    yang kosong mempertahankan nilai akun yang ada. Baris yang salah dilaporkan dengan nomor barisnya dan
    tidak disimpan; baris yang benar tetap disimpan, dan kode keluar 1 bila ada baris yang gagal.

    Akun hasil impor langsung terverifikasi dengan kata sandi acak yang tidak diketahui siapa pun: pegawai
    mengatur kata sandinya sendiri lewat "Lupa kata sandi" di halaman masuk (tautan dikirim ke email dari
    berkas ini).
    """
    try:
        report = importing.import_accounts(file.read_bytes(), dry_run=dry_run)
    except importing.ImportFileError as error:
        _fail(error.message)
    _echo_report(report)
    if report.failures:
        sys.exit(1)
