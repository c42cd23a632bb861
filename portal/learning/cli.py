"""``flask learning ...``: commands for cron and for BKPSDM's data imports."""

from __future__ import annotations

from flask.cli import AppGroup

learning_cli = AppGroup("learning", help="Rekam jejak belajar: pengingat JP, impor jabatan.")
