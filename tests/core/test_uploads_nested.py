"""Archives inside uploads: nested zips are opened and checked too (depth, members, sizes)."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from portal.core import uploads
from portal.core.uploads import save_upload
from tests.core.test_uploads import MB, OFFICE, files_in, make_office, refused, storage

TOO_BIG = "Isi berkas terlalu besar setelah dibuka."
NESTED = "Berkas berisi arsip bertingkat yang tidak dapat diperiksa."


@pytest.fixture(autouse=True)
def _empty_upload_dir(app):
    yield
    for path in files_in(app):
        path.unlink()


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_docx_holding_a_nested_50_mb_zip_is_refused(app):
    inner = zipped({"data.bin": b"\x00" * (50 * MB)})
    docx = make_office("docx", extra={"word/embeddings/package.zip": inner})
    assert len(docx) < MB  # the outer archive alone looks harmless
    assert refused(app, docx, allowed=OFFICE, max_bytes=MB, filename="laporan.docx") == TOO_BIG


def test_nested_bomb_below_the_ratio_check_of_the_outer_archive_is_refused(app):
    inner = zipped({f"part{n}.bin": b"\x00" * (3 * MB) for n in range(8)})  # 24 MB behind a small zip
    docx = make_office("docx", extra={"word/embeddings/object.bin": inner})
    assert refused(app, docx, allowed=OFFICE, max_bytes=MB, filename="laporan.docx") == TOO_BIG


def test_oversize_member_is_refused(app, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_MEMBER_BYTES", 64 * 1024)
    monkeypatch.setattr(uploads, "MAX_COMPRESSION_RATIO", 10**6)
    docx = make_office("docx", extra={"word/media/big.xml": b"<a/>" * 20000})
    assert refused(app, docx, allowed=OFFICE, max_bytes=MB, filename="laporan.docx") == TOO_BIG


def test_archives_nested_too_deep_are_refused(app):
    deepest = zipped({"a.txt": b"halo"})
    middle = zipped({"b.zip": deepest})
    outer_member = zipped({"c.zip": middle})
    docx = make_office("docx", extra={"word/embeddings/d.zip": outer_member})
    assert refused(app, docx, allowed=OFFICE, max_bytes=MB, filename="laporan.docx") == NESTED


def test_other_compressed_archives_inside_are_refused(app):
    docx = make_office("docx", extra={"word/embeddings/data.gz": gzip.compress(b"halo" * 100)})
    assert refused(app, docx, allowed=OFFICE, max_bytes=MB, filename="laporan.docx") == NESTED


def test_members_of_nested_archives_count_toward_the_member_limit(app, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_MEMBERS", 10)
    inner = zipped({f"{n}.txt": b"x" for n in range(8)})
    docx = make_office("docx", extra={"word/embeddings/sheet.xlsx": inner})
    assert refused(app, docx, allowed=OFFICE, max_bytes=MB, filename="laporan.docx") == TOO_BIG


def test_office_file_with_an_embedded_workbook_is_accepted(app):
    workbook = make_office("xlsx")
    docx = make_office("docx", extra={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": workbook})
    stored = save_upload(storage(docx, "laporan.docx"), OFFICE, MB, "tests")
    assert stored.kind == "docx"
