"""Uploaded files: recognised by their bytes, stored under random names outside static/, served with safe headers.

The extension and the browser's Content-Type are never trusted: :func:`save_upload` reads the bytes and asks
``filetype`` what they are; Office files are additionally opened as ZIP archives and must contain the parts
their type requires, without encryption or bomb-like compression. Files are stored through ``core.storage``
(``UPLOAD_ROOT/<subdir>/<random>.<ext>``, written atomically; the root may be shared by hosts). A view that
serves one first checks the viewer may see the object the file belongs to, then calls :func:`send_stored`.

Delete files (:func:`delete_stored`) after the database change that forgets them has been committed, so a
rolled-back transaction never points at a missing file.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import Response, abort, send_file
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from portal.core.storage import storage

_DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_ZIP_MIME = "application/zip"

ALLOWED_KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": (_DOCX_MIME, "docx"),
    "xlsx": (_XLSX_MIME, "xlsx"),
    "pptx": (_PPTX_MIME, "pptx"),
    "png": ("image/png", "png"),
    "jpeg": ("image/jpeg", "jpg"),
}
INLINE_MIMES = frozenset({"application/pdf", "image/png", "image/jpeg"})

# The part an Office Open XML file of each kind cannot do without (besides [Content_Types].xml).
_OFFICE_MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
_CONTENT_TYPES_PART = "[Content_Types].xml"
_ZIP_LIKE_MIMES = frozenset({_ZIP_MIME, _DOCX_MIME, _XLSX_MIME, _PPTX_MIME})
MAX_ZIP_MEMBERS = 2000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Archives inside the upload (an Office file embeds a workbook as a zip, a zip holds a zip) are opened and checked
# too, down to this depth (the upload itself is depth 0); members and sizes count against the limits above summed
# over every level. A nested archive, or any member, bigger than these is refused outright.
MAX_ARCHIVE_DEPTH = 2
MAX_NESTED_ARCHIVE_BYTES = 20 * 1024 * 1024
MAX_MEMBER_BYTES = 100 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
# Compressed formats that cannot be looked into here: refused when found inside an upload.
_OTHER_ARCHIVE_MAGICS = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"PK\x05\x06")
_RATIO_CHECK_FROM_BYTES = 1024 * 1024  # small members may compress extremely well without harm
_ZIP_ENCRYPTED_FLAG = 0x1

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\"\\/]+")
_FALLBACK_STEM = "berkas"


class UploadError(ValueError):
    """An upload was refused; the message is meant for the user."""


@dataclass
class StoredFile:
    stored_name: str
    original_name: str
    kind: str
    mime: str
    size: int
    sha256: str


def save_upload(file: FileStorage | None, allowed: Iterable[str], max_bytes: int, subdir: str) -> StoredFile:
    allowed = frozenset(allowed)
    unknown = allowed - ALLOWED_KINDS.keys()
    if unknown:
        raise ValueError(f"Unknown upload kinds: {sorted(unknown)}")
    if file is None or not file.filename:
        raise UploadError(_("Pilih berkas yang akan diunggah."))
    data = file.stream.read(max_bytes + 1)
    if not data:
        raise UploadError(_("Berkas kosong. Pilih berkas yang berisi."))
    if len(data) > max_bytes:
        raise UploadError(_("Berkas melebihi batas %(mb)s MB", mb=f"{max_bytes / (1024 * 1024):g}"))
    kind = detect_kind(data)
    if kind not in allowed:
        raise UploadError(_("Jenis berkas tidak diizinkan. Unggah berkas %(kinds)s.", kinds=kinds_label(allowed)))
    mime, extension = ALLOWED_KINDS[kind]
    stored_name = storage().save(subdir, extension, data)
    return StoredFile(
        stored_name=stored_name,
        original_name=display_name(file.filename, extension),
        kind=kind,
        mime=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def detect_kind(data: bytes) -> str | None:
    """The allowed kind these bytes really are, or None; raises UploadError for damaged or unsafe archives."""
    guessed = filetype.guess(data)
    if guessed is None:
        return None
    if guessed.mime in _ZIP_LIKE_MIMES:
        return _office_kind(data)
    return next((kind for kind, (mime, _ext) in ALLOWED_KINDS.items() if mime == guessed.mime), None)


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_archive_is_safe(archive, _Budget())
    except UploadError:
        raise
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, RuntimeError, OSError):
        raise UploadError(_("Berkas rusak atau tidak dapat dibaca.")) from None
    names = {member.filename for member in members}
    if _CONTENT_TYPES_PART not in names:
        return None
    return next((kind for kind, part in _OFFICE_MAIN_PARTS.items() if part in names), None)


@dataclass
class _Budget:
    """What the archive and the archives inside it may hold together."""

    members: int = 0
    uncompressed: int = 0


def _too_big() -> UploadError:
    return UploadError(_("Isi berkas terlalu besar setelah dibuka."))


def _check_archive_is_safe(archive: zipfile.ZipFile, budget: _Budget, depth: int = 0) -> None:
    """Refuse encryption, bombs, oversize members and nested archives beyond the limits, recursively."""
    members = archive.infolist()
    if any(member.flag_bits & _ZIP_ENCRYPTED_FLAG for member in members):
        raise UploadError(_("Berkas yang dilindungi kata sandi tidak dapat diunggah."))
    budget.members += len(members)
    budget.uncompressed += sum(member.file_size for member in members)
    if budget.members > MAX_ZIP_MEMBERS or budget.uncompressed > MAX_UNCOMPRESSED_BYTES:
        raise _too_big()
    if any(member.file_size > MAX_MEMBER_BYTES or _compresses_suspiciously_well(member) for member in members):
        raise _too_big()
    for member in members:
        if member.is_dir() or member.file_size == 0:
            continue
        with archive.open(member) as stream:
            head = stream.read(8)
            if head.startswith(_ZIP_MAGIC):
                if depth + 1 > MAX_ARCHIVE_DEPTH:
                    raise UploadError(_("Berkas berisi arsip bertingkat yang tidak dapat diperiksa."))
                if member.file_size > MAX_NESTED_ARCHIVE_BYTES:
                    raise _too_big()
                inner = head + stream.read(MAX_NESTED_ARCHIVE_BYTES + 1 - len(head))
            elif head.startswith(_OTHER_ARCHIVE_MAGICS):
                raise UploadError(_("Berkas berisi arsip bertingkat yang tidak dapat diperiksa."))
            else:
                continue
        if len(inner) > MAX_NESTED_ARCHIVE_BYTES:  # the header understated the size
            raise _too_big()
        with zipfile.ZipFile(io.BytesIO(inner)) as nested:
            if sum(item.file_size for item in nested.infolist()) > MAX_NESTED_ARCHIVE_BYTES:
                raise _too_big()
            _check_archive_is_safe(nested, budget, depth + 1)


def _compresses_suspiciously_well(member: zipfile.ZipInfo) -> bool:
    ratio_limit = MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
    return member.file_size >= _RATIO_CHECK_FROM_BYTES and member.file_size > ratio_limit


def kinds_label(kinds: Iterable[str]) -> str:
    """'PDF, DOCX, JPG' - what the user may upload, for messages and help text."""
    return ", ".join(ALLOWED_KINDS[kind][1].upper() for kind in ALLOWED_KINDS if kind in set(kinds))


def display_name(original: str | None, extension: str) -> str:
    """A harmless version of the user's file name with the extension of what the file really is."""
    base_name = (original or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = secure_filename(base_name.rsplit(".", 1)[0])[:120].strip("._-")
    return f"{stem or _FALLBACK_STEM}.{extension}"


def delete_stored(subdir: str, stored_name: str) -> None:
    storage().delete(subdir, stored_name)


def send_stored(subdir: str, stored: str, download_name: str, mime: str, inline: bool = False) -> Response:
    """Serve a stored file; attachment unless ``inline`` is asked for an image or PDF. 404 if it is not there."""
    path = storage().path(subdir, stored)
    if path is None or not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=mime,
        as_attachment=not (inline and mime in INLINE_MIMES),
        download_name=_CONTROL_CHARACTERS.sub("", download_name).strip() or _FALLBACK_STEM,
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    return response


def stored_path(subdir: str, stored_name: str) -> Path | None:
    """Where a stored file lives (for code that reads it, e.g. a logo drawn into a PDF); None for names that could
    lead outside the upload folder."""
    return storage().path(subdir, stored_name)
