"""save_upload / send_stored / delete_stored with real (tiny) files built in the test."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from portal.core import uploads
from portal.core.uploads import ALLOWED_KINDS, UploadError, delete_stored, save_upload, send_stored

MB = 1024 * 1024
OFFICE = ("docx", "xlsx", "pptx")

# ---------------------------------------------------------------- tiny real files


def make_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def make_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1 pixel, 8-bit RGB
    pixels = zlib.compress(b"\x00\xc0\x39\x2b")  # filter byte + one reddish pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def make_jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"


def make_office(kind: str, extra: dict[str, bytes] | None = None, content_types: bool = True) -> bytes:
    main_part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(main_part, '<?xml version="1.0"?><root>Laporan pelatihan</root>')
        for name, body in (extra or {}).items():
            archive.writestr(name, body)
    return buffer.getvalue()


def mark_encrypted(archive: bytes) -> bytes:
    """Set the 'encrypted' flag on every central-directory entry (zipfile cannot write encrypted members)."""
    data = bytearray(archive)
    index = data.find(b"PK\x01\x02")
    while index != -1:
        data[index + 8] |= 0x1
        index = data.find(b"PK\x01\x02", index + 4)
    return bytes(data)


REAL_FILES = {
    "pdf": make_pdf,
    "png": make_png,
    "jpeg": make_jpeg,
    "docx": lambda: make_office("docx"),
    "xlsx": lambda: make_office("xlsx"),
    "pptx": lambda: make_office("pptx"),
}


def storage(data: bytes, filename: str = "berkas.pdf", content_type: str = "application/pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


def upload_dir(app) -> Path:
    return Path(app.config["UPLOAD_ROOT"])


def files_in(app, subdir: str = "tests") -> list[Path]:
    folder = upload_dir(app) / subdir
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture(autouse=True)
def _empty_upload_dir(app):
    yield
    for path in files_in(app):
        path.unlink()


# ---------------------------------------------------------------- accepted files


@pytest.mark.parametrize("kind", sorted(REAL_FILES))
def test_real_file_of_each_kind_is_stored(app, kind):
    data = REAL_FILES[kind]()
    mime, extension = ALLOWED_KINDS[kind]
    stored = save_upload(storage(data, f"Laporan Kegiatan.{extension}"), ALLOWED_KINDS, MB, "tests")
    assert stored.kind == kind
    assert stored.mime == mime
    assert stored.size == len(data)
    assert stored.original_name == f"Laporan_Kegiatan.{extension}"
    assert len(stored.sha256) == 64
    assert stored.stored_name.endswith(f".{extension}")
    saved = upload_dir(app) / "tests" / stored.stored_name
    assert saved.read_bytes() == data
    assert "static" not in saved.parts


def test_stored_names_are_random_and_never_the_users_name(app):
    first = save_upload(storage(make_pdf(), "../../static/evil.pdf"), ["pdf"], MB, "tests")
    second = save_upload(storage(make_pdf(), "../../static/evil.pdf"), ["pdf"], MB, "tests")
    assert first.stored_name != second.stored_name
    assert "evil" not in first.stored_name
    assert first.original_name == "evil.pdf"


def test_browser_mimetype_and_extension_are_ignored(app):
    stored = save_upload(storage(make_png(), "foto.pdf", "application/pdf"), ["pdf", "png"], MB, "tests")
    assert (stored.kind, stored.mime, stored.original_name) == ("png", "image/png", "foto.png")


@pytest.mark.parametrize("name", ["资料.pdf", "....pdf", "%%%", "../"])
def test_unreadable_original_name_gets_a_readable_fallback(app, name):
    assert save_upload(storage(make_pdf(), name), ["pdf"], MB, "tests").original_name == "berkas.pdf"


def test_file_exactly_at_the_limit_is_accepted(app):
    data = make_pdf()
    assert save_upload(storage(data), ["pdf"], len(data), "tests").size == len(data)


# ---------------------------------------------------------------- refused files (message, nothing written)


def refused(app, data: bytes, allowed=("pdf",), max_bytes: int = MB, filename: str = "berkas.pdf") -> str:
    with pytest.raises(UploadError) as error:
        save_upload(storage(data, filename), allowed, max_bytes, "tests")
    assert files_in(app) == []
    return str(error.value)


def test_too_big_file_is_refused(app):
    message = refused(app, make_pdf() + b"%" * 2 * MB, max_bytes=2 * MB)
    assert message == "Berkas melebihi batas 2 MB"


def test_size_limit_message_shows_fractional_megabytes(app):
    assert refused(app, b"%PDF" + b"-" * MB, max_bytes=MB // 2) == "Berkas melebihi batas 0.5 MB"


def test_empty_file_is_refused(app):
    assert refused(app, b"") == "Berkas kosong. Pilih berkas yang berisi."


def test_missing_file_is_refused(app):
    with pytest.raises(UploadError, match="Pilih berkas yang akan diunggah"):
        save_upload(FileStorage(stream=io.BytesIO(b""), filename=""), ["pdf"], MB, "tests")
    with pytest.raises(UploadError, match="Pilih berkas yang akan diunggah"):
        save_upload(None, ["pdf"], MB, "tests")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, "setup.pdf"),
        (b"<!doctype html><script>alert(1)</script>", "laporan.pdf"),
        (b"Ini hanya teks biasa.\n", "foto.png"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "gambar.png"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "animasi.png"),
    ],
)
def test_disguised_file_is_refused(app, data, filename):
    message = refused(app, data, allowed=("pdf", "png", "jpeg"), filename=filename)
    assert message == "Jenis berkas tidak diizinkan. Unggah berkas PDF, PNG, JPG."


def test_real_file_of_a_kind_not_allowed_here_is_refused(app):
    assert refused(app, make_png(), allowed=("pdf",)) == "Jenis berkas tidak diizinkan. Unggah berkas PDF."


def test_docx_is_not_accepted_where_only_spreadsheets_are(app):
    assert "XLSX" in refused(app, make_office("docx"), allowed=("xlsx",), filename="data.xlsx")


def test_zip_without_content_types_part_is_refused(app):
    refused(app, make_office("docx", content_types=False), allowed=OFFICE, filename="surat.docx")


def test_plain_zip_is_refused(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "halo")
    refused(app, buffer.getvalue(), allowed=OFFICE, filename="surat.docx")


def test_zip_bomb_is_refused(app):
    bomb = make_office("xlsx", extra={"xl/worksheets/sheet1.xml": b"\x00" * (20 * MB)})
    assert len(bomb) < MB
    assert refused(app, bomb, allowed=OFFICE, filename="data.xlsx") == "Isi berkas terlalu besar setelah dibuka."


def test_archive_with_too_many_members_is_refused(app, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_MEMBERS", 5)
    many = make_office("docx", extra={f"word/media/{n}.xml": b"x" for n in range(5)})
    assert refused(app, many, allowed=OFFICE, filename="a.docx") == "Isi berkas terlalu besar setelah dibuka."


def test_encrypted_office_file_is_refused(app):
    message = refused(app, mark_encrypted(make_office("docx")), allowed=OFFICE, filename="rahasia.docx")
    assert message == "Berkas yang dilindungi kata sandi tidak dapat diunggah."


def test_damaged_office_file_is_refused(app):
    truncated = make_office("docx")[:200]
    assert refused(app, truncated, allowed=OFFICE, filename="rusak.docx") == "Berkas rusak atau tidak dapat dibaca."


def test_unknown_kind_or_bad_subdir_is_a_programming_error(app):
    with pytest.raises(ValueError, match="Unknown upload kinds"):
        save_upload(storage(make_pdf()), ["exe"], MB, "tests")
    with pytest.raises(ValueError, match="Invalid upload subdir"):
        save_upload(storage(make_pdf()), ["pdf"], MB, "../static")
    assert not (upload_dir(app).parent / "static").exists()


def test_default_upload_limit_is_configured(app):
    assert app.config["MAX_UPLOAD_MB"] == 10


# ---------------------------------------------------------------- serving and deleting


def served(app, *args, **kwargs):
    with app.test_request_context():
        response = send_stored(*args, **kwargs)
        response.direct_passthrough = False
        body = response.get_data()
        response.close()
    return response, body


def test_stored_file_is_sent_as_attachment_with_safe_headers(app):
    data = make_office("docx")
    stored = save_upload(storage(data, "Materi Bimtek.docx"), OFFICE, MB, "tests")
    response, body = served(app, "tests", stored.stored_name, stored.original_name, stored.mime, inline=True)
    assert body == data
    assert response.mimetype == stored.mime
    assert response.headers["Content-Disposition"] == "attachment; filename=Materi_Bimtek.docx"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in response.headers["Cache-Control"]


@pytest.mark.parametrize("kind", ["pdf", "png", "jpeg"])
def test_images_and_pdf_may_be_shown_inline(app, kind):
    stored = save_upload(storage(REAL_FILES[kind](), "bukti"), [kind], MB, "tests")
    response, body = served(app, "tests", stored.stored_name, stored.original_name, stored.mime, inline=True)
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert body == REAL_FILES[kind]()


def test_download_name_cannot_inject_headers(app):
    stored = save_upload(storage(make_pdf()), ["pdf"], MB, "tests")
    response, _body = served(app, "tests", stored.stored_name, 'a"\r\nSet-Cookie: x=1\\.pdf', stored.mime)
    assert "Set-Cookie" not in response.headers
    assert response.headers["Content-Disposition"] == 'attachment; filename="aSet-Cookie: x=1.pdf"'


def test_non_ascii_download_name_is_encoded(app):
    stored = save_upload(storage(make_pdf()), ["pdf"], MB, "tests")
    response, _body = served(app, "tests", stored.stored_name, "Sertifikat Pelatihan – Budi.pdf", stored.mime)
    assert "filename*=UTF-8''Sertifikat%20Pelatihan%20%E2%80%93%20Budi.pdf" in response.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("subdir", "stored_name"),
    [
        ("tests", "../../../../etc/passwd"),
        ("tests/../..", "0123456789abcdef0123456789abcdef.pdf"),
        ("/etc", "passwd"),
        ("tests", "/etc/passwd"),
        ("tests", "0123456789abcdef0123456789abcdef.pdf"),  # well-formed but not there
    ],
)
def test_path_traversal_or_missing_file_is_404(app, subdir, stored_name):
    with app.test_request_context(), pytest.raises(NotFound):
        send_stored(subdir, stored_name, "x.pdf", "application/pdf")


def test_symlink_out_of_the_upload_folder_is_404(app, tmp_path):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(make_pdf())
    folder = upload_dir(app) / "tests"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0123456789abcdef0123456789abcdef.pdf").symlink_to(secret)
    with app.test_request_context(), pytest.raises(NotFound):
        send_stored("tests", "0123456789abcdef0123456789abcdef.pdf", "x.pdf", "application/pdf")


def test_delete_stored_removes_only_that_file(app):
    keep = save_upload(storage(make_pdf()), ["pdf"], MB, "tests")
    gone = save_upload(storage(make_pdf()), ["pdf"], MB, "tests")
    delete_stored("tests", gone.stored_name)
    delete_stored("tests", gone.stored_name)  # already gone: no error
    delete_stored("tests", "../../../etc/passwd")  # refused silently
    assert [path.name for path in files_in(app)] == [keep.stored_name]
