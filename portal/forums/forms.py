from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import PortalForm
from portal.core.i18n import lazy_gettext as _l
from portal.forums.models import Visibility

BODY_HELP = _l("Markdown didukung. Sebut rekan dengan @nama.pengguna atau @NIP.")


def _optional_int(value) -> int | None:
    """A forged, non-numeric id reads as no choice (WTForms' own coercion message is English only)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ThreadForm(PortalForm):
    title = StringField(_l("Judul"), validators=[DataRequired(message=_l("Judul wajib diisi.")), Length(max=200)])
    body = TextAreaField(
        _l("Pertanyaan atau cerita Anda"), validators=[DataRequired(message=_l("Isi kiriman tidak boleh kosong."))]
    )


class NewTopicForm(ThreadForm):
    """The forum-wide "new topic" form: the category is chosen here (checked by the service)."""

    category_id = SelectField(_l("Kategori"), coerce=_optional_int, validate_choice=False)


class ReplyForm(PortalForm):
    body = TextAreaField(_l("Balasan Anda"), validators=[DataRequired(message=_l("Isi kiriman tidak boleh kosong."))])


class EditPostForm(PortalForm):
    title = StringField(_l("Judul"), validators=[Optional(), Length(max=200)])
    body = TextAreaField(_l("Isi kiriman"), validators=[DataRequired(message=_l("Isi kiriman tidak boleh kosong."))])


class ReasonForm(PortalForm):
    reason = TextAreaField(_l("Alasan"), validators=[DataRequired(message=_l("Alasan wajib diisi.")), Length(max=500)])


class MoveForm(PortalForm):
    category_id = SelectField(_l("Pindahkan ke kategori"), coerce=_optional_int, validate_choice=False)


def visibility_choices() -> list[tuple[str, str]]:
    return [
        (Visibility.EVERYONE.value, _l("Semua pegawai")),
        (Visibility.UNIT.value, _l("Hanya anggota satu unit kerja")),
        (Visibility.STAFF.value, _l("Hanya penyelenggara, moderator, dan admin")),
    ]


class CategoryForm(PortalForm):
    name = StringField(_l("Nama"), validators=[DataRequired(message=_l("Nama kategori wajib diisi.")), Length(max=100)])
    slug = StringField(_l("Slug (alamat)"), validators=[DataRequired(message=_l("Slug wajib diisi.")), Length(max=60)])
    description = TextAreaField(_l("Deskripsi"), validators=[Length(max=500)])
    position = StringField(_l("Urutan (kecil tampil lebih dulu)"), default="0", render_kw={"inputmode": "numeric"})
    visibility = SelectField(_l("Siapa yang dapat melihat"), choices=visibility_choices, validate_choice=False)
    unit_id = SelectField(_l("Unit kerja (untuk ruang khusus unit)"), coerce=_optional_int, validate_choice=False)
    is_read_only = BooleanField(_l("Hanya-baca: hanya penyelenggara, moderator, dan admin yang menulis (pengumuman)"))
