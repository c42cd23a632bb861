"""Issue 13 §7: uploading a file or image in the editor never throws away the text being written, and the file's
Markdown goes where the cursor was; a new article can take images before anyone pressed "Simpan draf"."""

from __future__ import annotations

import html
import io
import json
import re

from sqlalchemy import func, select

from portal.articles.models import Article, ArticleAttachment, ArticleRevision
from portal.core.permissions import Role
from portal.extensions import db
from tests.articles.conftest import PNG_BYTES


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _editor(title: str, body: str, content: bytes, name: str, cursor: str = "") -> dict:
    return {
        "title": title,
        "summary": "",
        "body": body,
        "tags": "",
        "unit_id": "0",
        "cursor": cursor,
        "action": "upload",
        "file": (io.BytesIO(content), name),
    }


def _textarea(page: str) -> str:
    text = html.unescape(re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    return text.removeprefix("\r\n")  # the newline WTForms writes after <textarea> (a browser drops it)


def test_new_article_upload_saves_the_draft_with_the_image_at_the_cursor(login_as, catalogue):
    client = login_as(Role.MEMBER)
    body = "Paragraf pertama.\r\nParagraf kedua."
    response = client.post(
        "/artikel/tulis",
        data=_editor("Denah Ruang Layanan MPP", body, PNG_BYTES, "denah.png", cursor=str(len("Paragraf pertama.\n"))),
        content_type="multipart/form-data",
    )
    article = db.session.scalar(select(Article))
    attachment = db.session.scalar(select(ArticleAttachment))
    assert response.status_code == 302 and response.location.endswith(f"/artikel/{article.id}/ubah")
    image = f"![denah.png](/lampiran/artikel/{article.id}/{attachment.stored_name})"
    assert article.body_md == f"Paragraf pertama.\n{image}\nParagraf kedua."
    assert article.status == "draft" and article.title == "Denah Ruang Layanan MPP"
    assert f'<img src="/lampiran/artikel/{article.id}/{attachment.stored_name}" alt="denah.png">' in article.body_html
    assert image in _textarea(client.get(response.location).get_data(as_text=True))


def test_draft_upload_keeps_unsaved_text_and_appends_without_a_cursor(login_as, make_article):
    client = login_as(Role.MEMBER)
    article = make_article(status="draft", by=client.user, body="Teks lama.")
    response = client.post(
        f"/artikel/{article.id}/ubah",
        data=_editor(article.title, "Teks lama.\nTeks baru yang belum disimpan.", b"%PDF-1.4\n%%EOF\n", "sk.pdf"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.refresh(article)
    attachment = db.session.scalar(select(ArticleAttachment))
    assert article.body_md == (
        f"Teks lama.\nTeks baru yang belum disimpan.\n[sk.pdf](/lampiran/artikel/{article.id}/{attachment.stored_name})"
    )


def test_published_article_upload_returns_the_text_unsaved(login_as, make_article):
    client = login_as(Role.MEMBER)
    article = make_article(by=client.user)
    saved_body, revisions = article.body_md, _count(ArticleRevision)
    response = client.post(
        f"/artikel/{article.id}/ubah",
        data=_editor(article.title, "Perbaikan yang sedang ditulis.", PNG_BYTES, "foto.png", cursor="0"),
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    attachment = db.session.scalar(select(ArticleAttachment))
    text = _textarea(page)
    assert text.startswith(f"![foto.png](/lampiran/artikel/{article.id}/{attachment.stored_name})\n")
    assert text.endswith("Perbaikan yang sedang ditulis.")
    assert "Simpan perubahan agar tercatat." in page
    db.session.refresh(article)
    assert article.body_md == saved_body and _count(ArticleRevision) == revisions  # nothing published by accident


def test_a_refused_file_changes_nothing_and_keeps_the_text(login_as, catalogue):
    client = login_as(Role.MEMBER)
    response = client.post(
        "/artikel/tulis",
        data=_editor("Judul yang cukup panjang", "Isi yang diketik.", b"MZ\x90\x00 bukan gambar", "foto.png"),
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Jenis berkas tidak diizinkan" in page
    assert _textarea(page) == "Isi yang diketik."
    assert _count(Article) == 0 and _count(ArticleAttachment) == 0
    # A missing title stops it too, before any file is kept.
    response = client.post(
        "/artikel/tulis",
        data=_editor("", "Isi yang diketik.", PNG_BYTES, "foto.png"),
        content_type="multipart/form-data",
    )
    assert "Judul wajib diisi." in response.get_data(as_text=True)
    assert _count(Article) == 0 and _count(ArticleAttachment) == 0


def test_script_upload_answers_the_list_and_the_markdown_to_insert(login_as, make_article):
    client = login_as(Role.MEMBER)
    article = make_article(status="draft", by=client.user)
    response = client.post(
        f"/artikel/{article.id}/lampiran",
        data={"file": (io.BytesIO(PNG_BYTES), "tempel.png")},
        content_type="multipart/form-data",
        headers={"HX-Request": "true"},
    )
    attachment = db.session.scalar(select(ArticleAttachment))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page and 'id="attachment-list"' in page
    added = json.loads(response.headers["HX-Trigger"])["article-attachment"]
    assert added["markdown"] == f"![tempel.png](/lampiran/artikel/{article.id}/{attachment.stored_name})"
    refused = client.post(
        f"/artikel/{article.id}/lampiran",
        data={"file": (io.BytesIO(b"MZ not an image"), "x.png")},
        content_type="multipart/form-data",
        headers={"HX-Request": "true"},
    )
    assert "Jenis berkas tidak diizinkan" in refused.get_data(as_text=True)
    assert "HX-Trigger" not in refused.headers
    assert _count(ArticleAttachment) == 1
