"""Importing external learning records under /rekam-jejak/impor (BKPSDM, VERIFY_LEARNING)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from wtforms import BooleanField, FileField, StringField
from wtforms.validators import Length

from portal.accounts.current import current_user
from portal.core.forms import PortalForm, apply_error
from portal.core.htmx import render
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Permission, role_required
from portal.learning.services import record_import
from portal.learning.views import bp


class RecordImportForm(PortalForm):
    file = FileField(_l("Berkas CSV atau XLSX"))
    source = StringField(
        _l("Sumber data"), validators=[Length(max=record_import.SOURCE_MAX)], default="ASN Unggul (LAN)"
    )
    recognise = BooleanField(_l("Akui langsung (terverifikasi); tanpa centang: menunggu verifikasi"))
    dry_run = BooleanField(_l("Periksa saja, jangan simpan"))


@bp.route("/rekam-jejak/impor", methods=["GET", "POST"])
@role_required(Permission.VERIFY_LEARNING)
def records_import():
    form = RecordImportForm()
    report, errors, status = None, [], 200
    if form.validate_on_submit():
        upload = request.files.get("file")
        content = upload.stream.read(record_import.IMPORT_MAX_BYTES + 1) if upload and upload.filename else b""
        try:
            if not content:
                raise record_import.RecordImportError(_("Pilih berkas CSV atau XLSX yang akan diimpor."))
            report = record_import.import_records(
                current_user,
                content,
                source=form.source.data or "",
                recognise=bool(form.recognise.data),
                dry_run=bool(form.dry_run.data),
            )
        except record_import.RecordImportError as error:
            apply_error(form, error)
            errors, status = error.errors, 400
    elif form.is_submitted():
        status = 400
    return render(
        "learning/records_import.html",
        form=form,
        report=report,
        errors=errors,
        columns=(*record_import.COLUMNS, *record_import.OPTIONAL),
        status=status,
    )
