"""Articles, forum replies and attachments changed through one server show on the very next answer of the other.

The list pages (article list, forum index) render fragments cached per server; they show a change made on the
other server at once only when the caches' change counters are shared in Redis (CACHE_REDIS_URL, branch
redis-cache). The pages of one article or topic, and the files, do not depend on it.
"""

from __future__ import annotations

import re
import secrets

import pytest

from tests.cluster.client import Browser
from tests.core.test_uploads import make_pdf

_ARTICLE_URL = re.compile(r"/artikel/(\d+)$")


@pytest.fixture(scope="module")
def article(cluster, admin) -> dict[str, str]:
    """An article the admin publishes through the cluster (moderators publish without review)."""
    title = f"Arsip dinamis klaster {secrets.token_hex(3)}"
    published = admin.post(
        "/artikel/tulis",
        {
            "title": title,
            "summary": "Langkah praktis.",
            "body": "Mulai dari **daftar arsip**.",
            "competencies": "M.05",
            "tags": "kearsipan",
            "unit_id": "0",
            "action": "publish",
        },
    )
    assert published.status == 302, published.text[:2000]
    match = _ARTICLE_URL.search(published.location)
    assert match, published.location
    return {"id": match.group(1), "title": title, "host": published.host}


def test_a_published_article_shows_on_the_other_server(article, members):
    reader = members[102]
    page = reader.until_other_host(f"/artikel/{article['id']}", other_than=article["host"])
    assert page.status == 200 and article["title"] in page.text


def test_a_published_article_is_in_the_list_of_the_other_server(article, members):
    reader = members[103]
    listing = reader.until_other_host("/artikel", other_than=article["host"])
    assert article["title"] in listing.text


def test_an_edit_shows_on_the_other_server_page_and_list(article, admin, members):
    reader = members[104]
    reader.get("/artikel")  # both servers have rendered the list (and may hold it in their caches)
    reader.get("/artikel")
    new_title = article["title"] + " (revisi)"
    edited = admin.post(
        f"/artikel/{article['id']}/ubah",
        {
            "title": new_title,
            "summary": "Langkah praktis.",
            "body": "Mulai dari **daftar arsip** dan jadwal retensi.",
            "competencies": "M.05",
            "tags": "kearsipan",
            "unit_id": "0",
            "note": "Judul diperbaiki",
            "action": "save",
        },
    )
    assert edited.status == 302, edited.text[:2000]
    page = reader.until_other_host(f"/artikel/{article['id']}", other_than=edited.host)
    assert new_title in page.text and "jadwal retensi" in page.text
    listing = reader.until_other_host("/artikel", other_than=edited.host)
    assert new_title in listing.text


def test_an_attachment_uploaded_through_one_server_is_served_by_the_other(article, admin, members):
    pdf = make_pdf() + secrets.token_bytes(16)
    uploaded = admin.post_file(f"/artikel/{article['id']}/lampiran", "file", "panduan.pdf", pdf, "application/pdf")
    assert uploaded.status == 302, uploaded.text[:2000]
    editor = admin.until_other_host(f"/artikel/{article['id']}/ubah", other_than=uploaded.host)
    links = re.findall(rf"/lampiran/artikel/{article['id']}/[0-9a-f]{{32}}\.pdf", editor.text)
    assert links, "the attachment is not listed on the other server"
    reader = members[105]
    served = reader.until_other_host(links[0], other_than=uploaded.host)
    assert served.status == 200 and served.body == pdf
    assert served.headers["content-type"] == "application/pdf"


def test_an_attachment_of_the_wrong_kind_is_refused_on_either_server(article, admin):
    refused = admin.post_file(
        f"/artikel/{article['id']}/lampiran", "file", "skrip.pdf", b"#!/bin/sh\n", "application/pdf"
    )
    assert refused.status == 302
    editor = admin.get(
        refused.location.replace("http://127.0.0.1", "").split("#")[0] or f"/artikel/{article['id']}/ubah"
    )
    assert "Jenis berkas tidak diizinkan" in editor.text


def test_a_forum_reply_shows_on_the_other_server(seeded, members):
    writer, reader = members[106], members[107]
    body = f"Sudah saya coba lewat menu klaim, berhasil ({secrets.token_hex(3)})."
    thread = f"/forum/t/{seeded.thread_id}"
    reader.get(thread)
    reader.get(thread)
    replied = writer.post(f"{thread}/balas", {"body": body})
    assert replied.status == 302
    page = reader.until_other_host(thread, other_than=replied.host)
    assert body in page.text


def test_a_forum_reply_count_shows_on_the_other_server_index(seeded, members):
    reader = members[108]
    before = [reader.get("/forum/k/umum") for _ in range(2)]
    replied = members[109].post(f"/forum/t/{seeded.thread_id}/balas", {"body": f"Terima kasih {secrets.token_hex(3)}."})
    assert replied.status == 302
    after = reader.until_other_host("/forum/k/umum", other_than=replied.host)
    counts_before = {a.host: _reply_count(a.text) for a in before}
    assert _reply_count(after.text) == counts_before[after.host] + 1


def _reply_count(html: str) -> int:
    found = re.search(r"(\d+)\s+balasan", html)
    assert found, "no reply count on the category page"
    return int(found.group(1))


def test_a_visitor_without_session_is_sent_to_login_by_both_servers(cluster):
    visitor = Browser(cluster.url)
    answers = [visitor.get("/pelatihan/saya") for _ in range(2)]
    assert {a.host for a in answers} == {"app-1", "app-2"}
    assert all(a.status == 302 and "/masuk" in a.location for a in answers)
