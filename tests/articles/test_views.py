"""Article pages as each role sees them: browsing, reading, writing, workflow, attachments, comments, feeds."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from portal.articles import services
from portal.articles.models import Article, ArticleAttachment, ArticleComment, ArticleStatus, ArticleVote
from portal.core.permissions import Role
from portal.extensions import db
from portal.search import services as search
from tests.articles.conftest import PDF_BYTES, PNG_BYTES, counting_queries
from tests.floor import warm_floor


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _text(response) -> str:
    return response.get_data(as_text=True)


def _form(**fields):
    data = {
        "title": "Menata Arsip Dinamis di OPD",
        "summary": "Langkah praktis.",
        "body": "Mulai dari **daftar**.",
        "competencies": ["M.03"],
        "tags": "kearsipan, arsip digital",
        "unit_id": "0",
        "action": "save",
    }
    data.update(fields)
    return data


# ---------------------------------------------------------------- browsing


def test_anonymous_visitors_are_sent_to_login(client, make_article):
    article = make_article()
    for path in ("/artikel", f"/artikel/{article.id}", "/artikel/tulis", "/artikel/tag/mpp"):
        response = client.get(path)
        assert response.status_code == 302 and "/masuk" in response.location


def test_list_shows_published_articles_with_filters(member_client, make_article):
    published = make_article(title="Melatih Petugas Melayani Warga di Mal Pelayanan Publik")
    make_article(status="draft", title="Draf yang belum siap")
    page = _text(member_client.get("/artikel"))
    assert published.title in page
    assert "Draf yang belum siap" not in page
    assert "Pelayanan Publik" in page and "#mpp" in page
    assert published.title in _text(member_client.get("/artikel?kompetensi=M.05&urut=helpful"))
    assert published.title not in _text(member_client.get("/artikel?kompetensi=M.03"))
    assert published.title in _text(member_client.get("/artikel/tag/mpp"))
    assert published.title in _text(member_client.get("/artikel/kompetensi/M.05"))
    assert member_client.get("/artikel/tag/tidak-ada").status_code == 404
    assert member_client.get("/artikel/kompetensi/X.99").status_code == 404


def test_list_loads_more_with_htmx(app, member_client, make_article):
    app.config["ARTICLES_PAGE_SIZE"] = 2
    try:
        for n in range(3):
            make_article(title=f"Artikel berurutan {n}")
        first = _text(member_client.get("/artikel"))
        cursor = re.search(r'hx-get="/artikel\?setelah=([^"]+)"', first).group(1).replace("&amp;", "&")
        more = member_client.get(f"/artikel?setelah={cursor}", headers={"HX-Request": "true"})
        assert "<html" not in _text(more)
        assert "Artikel berurutan 0" in _text(more)
    finally:
        app.config["ARTICLES_PAGE_SIZE"] = 20


def _list_queries(client) -> int:
    # Articles made outside a request queue index updates that the next request would apply; a real list
    # request has none to apply, so take that work out of the count.
    search.take_committed_flag()
    warm_floor(client)  # the account row and the bell: kept, read again only after the setup's writes to them
    with counting_queries() as statements:
        assert client.get("/artikel").status_code == 200
    return len(statements)


def test_list_page_runs_a_bounded_number_of_queries(member_client, make_article, make_user):
    make_article(title="Satu-satunya artikel")
    few = _list_queries(member_client)
    writers = [make_user(Role.MEMBER) for _ in range(5)]
    for n in range(24):
        make_article(title=f"Artikel ke-{n} tentang SPBE", by=writers[n % 5], tags=[f"tag{n}", "spbe"])
    many = _list_queries(member_client)
    assert few == many
    assert many <= 8, many


def test_article_page_runs_a_bounded_number_of_queries(member_client, make_article, make_user):
    article = make_article()
    for n in range(8):
        services.add_comment(make_user(Role.MEMBER), article, f"Komentar {n}")
        make_article(title=f"Artikel terkait {n}")
    search.take_committed_flag()  # see _list_queries
    with counting_queries() as statements:
        assert member_client.get(f"/artikel/{article.id}").status_code == 200
    # 21: a cold cache ranks the related ids (articles and links only, what the cache is keyed on), then reads
    # those articles with their authors: one statement more than ranking and reading at once.
    assert len(statements) <= 21, len(statements)


# ---------------------------------------------------------------- reading


def test_reading_counts_a_view_and_shows_everything(member_client, make_article):
    article = make_article(body="## Persiapan\n\nSiapkan *nomor antrean*.")
    page = _text(member_client.get(f"/artikel/{article.id}"))
    member_client.get(f"/artikel/{article.id}")
    assert '<h2 id="h-persiapan">Persiapan</h2>' in page
    assert "Rina Marlina" in page and "1 menit baca" in page
    db.session.refresh(article)
    assert article.view_count == 1


@pytest.mark.parametrize("role", ["member", "organizer"])
def test_others_cannot_see_drafts(login_as, make_article, role):
    article = make_article(status="draft")
    assert login_as(role).get(f"/artikel/{article.id}").status_code == 404


def test_moderator_sees_draft_and_author_sees_own(moderator_client, make_article, author):
    article = make_article(status="draft")
    assert moderator_client.get(f"/artikel/{article.id}").status_code == 200


def test_vote_toggles_with_htmx(member_client, make_article):
    article = make_article()
    response = member_client.post(f"/artikel/{article.id}/bermanfaat", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'aria-pressed="true"' in _text(response) and "<html" not in _text(response)
    response = member_client.post(f"/artikel/{article.id}/bermanfaat", headers={"HX-Request": "true"})
    assert 'aria-pressed="false"' in _text(response)
    assert _count(ArticleVote) == 0


# ---------------------------------------------------------------- writing


def test_member_writes_a_draft_then_publishes(member_client, catalogue):
    response = member_client.post("/artikel/tulis", data=_form())
    assert response.status_code == 302
    article = db.session.scalar(select(Article))
    assert article.status == ArticleStatus.DRAFT and article.author_id == member_client.user.id
    assert [t.name for t in article.tags] == ["arsip digital", "kearsipan"]
    response = member_client.post(f"/artikel/{article.id}/ubah", data=_form(action="publish"))
    assert response.status_code == 302
    db.session.refresh(article)
    assert article.status == ArticleStatus.PUBLISHED


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Judul wajib diisi."),
        ({"competencies": ["X.99"]}, "Kompetensi X.99 tidak ada dalam katalog."),
        ({"tags": ", ".join(f"tag{n}" for n in range(11))}, "Paling banyak 10 tag per artikel."),
    ],
)
def test_bad_article_input_shows_message_and_writes_nothing(member_client, catalogue, fields, message):
    response = member_client.post("/artikel/tulis", data=_form(**fields))
    assert response.status_code == 200
    assert message in _text(response)
    assert _count(Article) == 0


def test_editing_someone_elses_article_is_forbidden(member_client, make_article):
    article = make_article()
    assert member_client.get(f"/artikel/{article.id}/ubah").status_code == 403
    assert member_client.post(f"/artikel/{article.id}/ubah", data=_form(title="Diambil alih")).status_code == 403
    db.session.refresh(article)
    assert article.title != "Diambil alih"


def test_preview_renders_like_the_article_page(member_client):
    response = member_client.post(
        "/artikel/pratinjau", data={"body": "**tebal** <script>x</script>"}, headers={"HX-Request": "true"}
    )
    assert '<div class="article-body"><p><strong>tebal</strong> &lt;script&gt;x&lt;/script&gt;</p>' in _text(response)


def test_autosave_saves_drafts_only(login_as, make_article, author):
    client = login_as(Role.MEMBER)
    draft = services.create(client.user, services.ArticleInput(title="Draf autosave", body="awal"))
    response = client.post(
        f"/artikel/{draft.id}/autosimpan",
        data=_form(title="Draf autosave", body="lanjut"),
        headers={"HX-Request": "true"},
    )
    assert "Tersimpan otomatis" in _text(response)
    db.session.refresh(draft)
    assert draft.body_md == "lanjut"


def test_tag_suggestions(member_client, make_article):
    make_article(tags=["kearsipan"])
    response = member_client.get("/artikel/tag-saran?tags=spbe, kear", headers={"HX-Request": "true"})
    assert 'data-add-tag="kearsipan"' in _text(response)


# ---------------------------------------------------------------- workflow through the pages


def test_moderator_returns_and_approves_through_pages(moderator_client, make_article, unit):
    from portal.articles.models import UnitReviewSetting

    db.session.add(UnitReviewSetting(unit_id=unit.id))
    db.session.commit()
    article = make_article()
    assert article.title in _text(moderator_client.get("/artikel/tinjauan"))
    response = moderator_client.post(f"/artikel/{article.id}/kembalikan", data={"reason": ""})
    db.session.refresh(article)
    assert article.status == ArticleStatus.IN_REVIEW
    assert "Alasan wajib diisi" in _text(moderator_client.get(response.location))
    moderator_client.post(f"/artikel/{article.id}/setujui")
    db.session.refresh(article)
    assert article.status == ArticleStatus.PUBLISHED


def test_member_cannot_unpublish(member_client, make_article):
    article = make_article()
    assert member_client.post(f"/artikel/{article.id}/tarik", data={"reason": "Saya mau"}).status_code == 403


def test_review_settings_by_admin(admin_client, unit):
    response = admin_client.post("/artikel/pengaturan", data={"unit_ids": [str(unit.id)]})
    assert response.status_code == 302
    assert services.review_required(unit.id)


def test_history_compare_and_restore_pages(login_as, make_article):
    client = login_as(Role.MEMBER)
    article = make_article(by=client.user, body="Kalimat lama.")
    services.update(client.user, article, services.ArticleInput(title=article.title, body="Kalimat baru.", note="ubah"))
    assert "ubah" in _text(client.get(f"/artikel/{article.id}/riwayat"))
    page = _text(client.get(f"/artikel/{article.id}/riwayat/banding?dari=1&ke=2"))
    assert "<del>lama.</del><ins>baru.</ins>" in page
    assert client.get(f"/artikel/{article.id}/riwayat/banding?dari=1&ke=9").status_code == 302
    client.post(f"/artikel/{article.id}/riwayat/1/pulihkan")
    db.session.refresh(article)
    assert article.body_md == "Kalimat lama."


# ---------------------------------------------------------------- attachments


def _upload(client, article, content: bytes, name: str):
    return client.post(
        f"/artikel/{article.id}/lampiran",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_attachments_upload_serve_and_limits(app, login_as, make_article, make_user):
    client = login_as(Role.MEMBER)
    article = make_article(by=client.user)
    _upload(client, article, PNG_BYTES, "denah.png")
    attachment = db.session.scalar(select(ArticleAttachment))
    assert attachment.kind == "png" and attachment.original_name == "denah.png"
    url = f"/lampiran/artikel/{article.id}/{attachment.stored_name}"
    served = client.get(url)
    assert served.data == PNG_BYTES
    assert served.headers["Content-Disposition"].startswith("inline")
    served.close()

    disguised = _upload(client, article, b"MZ\x90\x00 not a pdf", "laporan.pdf")
    assert "Jenis berkas tidak diizinkan" in _text(client.get(disguised.location))
    app.config["MAX_UPLOAD_MB"] = 0.0001
    try:
        big = _upload(client, article, PDF_BYTES * 10, "besar.pdf")
        assert "melebihi batas" in _text(client.get(big.location))
    finally:
        app.config["MAX_UPLOAD_MB"] = 10
    app.config["ARTICLES_MAX_ATTACHMENTS"] = 1
    try:
        too_many = _upload(client, article, PDF_BYTES, "kedua.pdf")
        assert "Paling banyak 1 lampiran" in _text(client.get(too_many.location))
    finally:
        app.config["ARTICLES_MAX_ATTACHMENTS"] = 5
    assert _count(ArticleAttachment) == 1


def test_attachment_of_unpublished_article_is_hidden(login_as, make_article):
    writer = login_as(Role.MEMBER)
    article = make_article(status="draft", by=writer.user)
    _upload(writer, article, PDF_BYTES, "draf.pdf")
    stored = db.session.scalar(select(ArticleAttachment.stored_name))
    url = f"/lampiran/artikel/{article.id}/{stored}"
    response = writer.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    response.close()
    assert login_as(Role.MEMBER).get(url).status_code == 404
    assert login_as(Role.MEMBER).get(f"/lampiran/artikel/{article.id}/../../etc/passwd").status_code == 404


def test_embedded_image_is_kept_in_the_body(make_article):
    article = make_article(body="![denah](/lampiran/artikel/1/abc.png) ![luar](http://contoh.test/x.png)")
    assert '<img src="/lampiran/artikel/1/abc.png" alt="denah">' in article.body_html
    assert "contoh.test" not in article.body_html


# ---------------------------------------------------------------- comments


def test_comment_with_htmx_and_without(member_client, make_article):
    article = make_article()
    response = member_client.post(
        f"/artikel/{article.id}/komentar", data={"body": "Terima kasih!"}, headers={"HX-Request": "true"}
    )
    assert "Terima kasih!" in _text(response) and "<html" not in _text(response)
    response = member_client.post(f"/artikel/{article.id}/komentar", data={"body": ""})
    assert response.status_code == 302
    assert "Komentar tidak boleh kosong." in _text(member_client.get(response.location))
    assert _count(ArticleComment) == 1


def test_comment_edit_delete_and_hide_pages(login_as, make_article, moderator_client):
    client = login_as(Role.MEMBER)
    article = make_article()
    comment = services.add_comment(client.user, article, "Versi awal")
    assert login_as(Role.MEMBER).get(f"/artikel/komentar/{comment.id}/ubah").status_code == 403
    client.post(f"/artikel/komentar/{comment.id}/ubah", data={"body": "Versi revisi"})
    db.session.refresh(comment)
    assert comment.body_md == "Versi revisi"
    moderator_client.post(f"/artikel/komentar/{comment.id}/sembunyikan", data={"reason": "Di luar topik artikel."})
    db.session.refresh(comment)
    assert comment.hidden_at is not None
    assert "Di luar topik artikel." in _text(client.get(f"/artikel/{article.id}"))


# ---------------------------------------------------------------- feeds and profile


def test_feeds_are_public_and_list_published_only(client, make_article):
    published = make_article(title="Cagar Budaya Ombilin", summary="Merawat warisan tambang.")
    make_article(status="draft", title="Draf internal")
    for path in ("/artikel/feed.atom", "/artikel/tag/mpp/feed.atom", "/artikel/kompetensi/M.05/feed.atom"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.mimetype == "application/atom+xml"
        body = _text(response)
        assert published.title in body and "Merawat warisan tambang." in body
        assert "Draf internal" not in body and published.body_md not in body


def test_profile_lists_the_authors_articles(member_client, make_article, author):
    make_article(title="Artikel di profil")
    make_article(status="draft", title="Draf di profil")
    page = _text(member_client.get(f"/pegawai/{author.id}"))
    assert "Artikel di profil" in page and "Draf di profil" not in page
