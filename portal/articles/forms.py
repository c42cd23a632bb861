from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.core.forms import IdField, PortalForm
from portal.core.i18n import lazy_gettext as _l


class ArticleForm(PortalForm):
    title = StringField(_l("Judul"), validators=[DataRequired(message=_l("Judul wajib diisi.")), Length(max=200)])
    summary = TextAreaField(_l("Ringkasan"), validators=[Length(max=500)])
    body = TextAreaField(_l("Isi artikel (Markdown)"))
    competencies = SelectMultipleField(_l("Kompetensi terkait"), validate_choice=False)
    tags = StringField(_l("Tag"))
    unit_id = SelectField(_l("Unit kerja"), coerce=int, validate_choice=False)
    note = StringField(_l("Catatan perubahan"), validators=[Length(max=200)])
    # "Unggah dan sisipkan": the file goes into the text at the cursor (its offset in the body, set by the editor
    # script; the end of the text without JavaScript), and nothing typed is lost.
    file = FileField(_l("Sisipkan gambar atau berkas"))
    cursor = HiddenField()


class CommentForm(PortalForm):
    body = TextAreaField(
        _l("Komentar"), validators=[DataRequired(message=_l("Komentar tidak boleh kosong.")), Length(max=5000)]
    )
    parent_id = IdField()


class AttachmentForm(PortalForm):
    file = FileField(_l("Berkas (PDF, DOCX, XLSX, PPTX, PNG, JPEG)"))


class ReviewUnitsForm(PortalForm):
    unit_ids = SelectMultipleField(_l("Unit yang memerlukan tinjauan"), coerce=int, validate_choice=False)
