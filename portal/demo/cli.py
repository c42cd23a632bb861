"""``flask demo load``."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, NoReturn

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from portal.accounts.importing import any_account_exists
from portal.accounts.services import password_problem
from portal.demo import people
from portal.demo.context import DemoContext
from portal.demo.steps import STEPS
from portal.extensions import db

demo_cli = AppGroup("demo", help="Data demo Kota Sawahlunto.")


def _fail(message: Any) -> NoReturn:
    click.secho(str(message), fg="red", err=True)
    sys.exit(1)


def _describe(counts: Mapping[str, int]) -> str:
    return _(
        "%(created)d dibuat, %(updated)d diperbarui, %(unchanged)d tidak berubah",
        created=counts.get("created", 0),
        updated=counts.get("updated", 0),
        unchanged=counts.get("unchanged", 0),
    )


def _run_steps(password: str) -> None:
    context = DemoContext(password)
    for step in STEPS:
        try:
            counts = step.load(context)
        except (ValueError, SQLAlchemyError) as error:
            db.session.rollback()
            _fail(_("Gagal memuat %(step)s: %(error)s", step=step.label, error=error))
        click.echo(f"{step.label}: {_describe(counts)}")


def _echo_logins(password: str) -> None:
    logins = people.showcase_accounts()
    if not logins:
        click.echo(_("Akun demo tidak ada di basis data ini. Buat admin dengan: flask users create-admin"))
        return
    click.echo("")
    click.echo(_("Masuk di /masuk dengan NIP berikut dan kata sandi demo: %(password)s", password=password))
    for label, user in logins:
        click.echo(f"  {str(label):<14} {user.nip}  {user.name}")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Lewati pemuatan bila sudah ada pengguna di basis data.")
def load(if_empty: bool):
    """Muat data demo Kota Sawahlunto: unit kerja, katalog kompetensi, dan akun pegawai.

    Aman dijalankan berulang: data demo diperbarui, tidak digandakan. Semua akun demo memakai kata sandi
    DEMO_ADMIN_PASSWORD (bawaan Sawahlunto#2026), jadi penguji bisa masuk sebagai peran apa pun; kata sandi
    akun demo yang diganti dikembalikan. Ditolak di produksi.
    """
    if current_app.config["ENV_NAME"] == "production":
        _fail(_("Data demo tidak boleh dimuat di produksi: semua akun demo memakai kata sandi yang diketahui umum."))
    password = current_app.config["DEMO_ADMIN_PASSWORD"]
    problem = password_problem(password)
    if problem:
        _fail(_("DEMO_ADMIN_PASSWORD tidak memenuhi aturan kata sandi: %(problem)s", problem=problem))
    if if_empty and any_account_exists():
        click.echo(_("Basis data sudah berisi pengguna: data demo tidak dimuat (--if-empty)."))
    else:
        _run_steps(password)
    _echo_logins(password)
