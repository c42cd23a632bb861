"""Article rules through the services: validation, workflow, review, revisions, votes, views, comments."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.articles import services
from portal.articles.models import (
    Article,
    ArticleComment,
    ArticleRevision,
    ArticleStatus,
    ArticleView,
    ArticleVote,
    Tag,
    UnitReviewSetting,
)
from portal.articles.services import ArticleError, ArticleFilters, ArticleInput
from portal.audit.models import AuditEntry
from portal.core.permissions import PermissionDenied, Role
from portal.extensions import db
from portal.notifications.models import Notification


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _kinds_for(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id))
    )


# ---------------------------------------------------------------- authoring and validation


def test_new_article_is_a_draft_with_rendered_html_tags_and_competencies(make_article, author):
    article = make_article(status="draft", body="# Langkah\n\nSapa warga.", tags="Pelayanan Publik, MPP, mpp")
    assert article.status == ArticleStatus.DRAFT
    assert article.unit_id == author.unit_id
    assert '<h1 id="h-langkah">Langkah</h1>' in article.body_html
    assert article.renderer_version >= 1
    assert [t.slug for t in article.tags] == ["mpp", "pelayanan-publik"]
    assert [c.code for c in article.competencies] == ["M.05"]
    assert article.published_at is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "Judul wajib diisi."),
        ({"title": "abc"}, "Judul harus 5-200 karakter."),
        ({"competency_codes": ["X.99"]}, "Kompetensi X.99 tidak ada dalam katalog."),
        ({"tags": [f"tag{n}" for n in range(11)]}, "Paling banyak 10 tag per artikel."),
        ({"tags": ["<script>"]}, "tidak valid"),
        ({"summary": "x" * 501}, "Ringkasan maksimal 500 karakter."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(catalogue, author, fields, message):
    data = ArticleInput(title="Judul yang cukup panjang", body="Isi", competency_codes=["M.05"], tags=["a-b"])
    for key, value in fields.items():
        setattr(data, key, value)
    with pytest.raises(ArticleError) as error:
        services.create(author, data)
    assert message in str(error.value.message)
    db.session.rollback()
    assert _count(Article) == 0
    assert _count(Tag) == 0


def test_publishing_needs_a_body(make_article, author):
    article = make_article(status="draft", body="")
    with pytest.raises(ArticleError, match="Isi artikel wajib diisi"):
        services.publish(author, article)
    assert article.status == ArticleStatus.DRAFT


def test_others_cannot_edit_but_moderators_can(make_article, make_user, moderator):
    article = make_article()
    colleague = make_user(Role.MEMBER)
    data = ArticleInput(title="Judul diubah orang lain", body="Isi baru")
    with pytest.raises(PermissionDenied):
        services.update(colleague, article, data)
    services.update(moderator, article, ArticleInput(title="Judul dirapikan moderator", body="Isi baru", note="rapi"))
    assert article.title == "Judul dirapikan moderator"


def test_drafts_are_visible_to_author_and_moderators_only(make_article, author, make_user, moderator, admin):
    article = make_article(status="draft")
    assert services.get_visible(author, article.id) is not None
    assert services.get_visible(moderator, article.id) is not None
    assert services.get_visible(make_user(Role.MEMBER), article.id) is None
    assert services.get_visible(make_user(Role.ORGANIZER), article.id) is None


# ---------------------------------------------------------------- review workflow


def test_unit_requiring_review_sends_articles_to_moderators(make_article, author, moderator, unit):
    db.session.add(UnitReviewSetting(unit_id=unit.id))
    db.session.commit()
    article = make_article(status="published")
    assert article.status == ArticleStatus.IN_REVIEW
    assert services.review_queue(moderator) == [article]

    services.return_for_changes(moderator, article, "Tambahkan dasar hukum layanan.")
    assert article.status == ArticleStatus.DRAFT
    assert article.status_note == "Tambahkan dasar hukum layanan."
    assert _kinds_for(author) == ["article.returned"]

    services.publish(author, article)
    services.approve(moderator, article)
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at is not None
    assert _kinds_for(author) == ["article.returned", "article.approved"]
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"article.return", "article.approve"} <= actions


def test_revision_1_of_an_approved_article_is_credited_to_its_writer(make_article, author, moderator, unit):
    db.session.add(UnitReviewSetting(unit_id=unit.id))
    db.session.commit()
    article = make_article(status="published")
    services.approve(moderator, article)
    first = services.get_revision(article, 1)
    assert first.editor_id == author.id
    assert first.note == "Disetujui moderator"
    # The history page says who wrote it.
    history = services.revisions(moderator, article)
    assert [revision.editor.name for revision in history] == ["Rina Marlina"]


def test_global_review_setting(app, make_article):
    app.config["ARTICLES_REVIEW_REQUIRED"] = True
    try:
        assert make_article().status == ArticleStatus.IN_REVIEW
    finally:
        app.config["ARTICLES_REVIEW_REQUIRED"] = False


def test_moderator_unpublishes_and_archives_with_reason_and_author_is_told(make_article, author, moderator):
    article = make_article()
    with pytest.raises(ArticleError, match="Alasan wajib diisi"):
        services.unpublish(moderator, article, "")
    assert article.status == ArticleStatus.PUBLISHED
    services.unpublish(moderator, article, "Data anggaran belum boleh dipublikasikan.")
    assert article.status == ArticleStatus.DRAFT
    services.archive(moderator, article, "Sudah tidak relevan lagi.")
    assert article.status == ArticleStatus.ARCHIVED
    assert _kinds_for(author) == ["article.unpublished", "article.archived"]


def test_members_cannot_moderate(make_article, make_user):
    article = make_article()
    with pytest.raises(PermissionDenied):
        services.unpublish(make_user(Role.ORGANIZER), article, "Alasan apa saja")


def test_soft_delete_and_admin_restore(make_article, author, admin, moderator):
    article = make_article()
    services.delete(author, article)
    assert services.get_visible(author, article.id) is None
    assert services.list_published(ArticleFilters()).items == []
    with pytest.raises(PermissionDenied):
        services.restore(moderator, article)
    services.restore(admin, article)
    assert services.get_visible(author, article.id) is not None


# ---------------------------------------------------------------- revisions


def test_each_save_of_a_published_article_is_a_revision_and_restore_adds_one(make_article, author):
    article = make_article(body="Versi pertama.")
    services.update(author, article, ArticleInput(title=article.title, body="Versi kedua.", note="perbaikan"))
    services.update(author, article, ArticleInput(title=article.title, body="Versi ketiga."))
    numbers = [r.number for r in services.revisions(author, article)]
    assert numbers == [3, 2, 1]

    diff = services.compare(author, article, 1, 3)
    assert "<del>pertama.</del><ins>ketiga.</ins>" in str(diff.body)

    revision = services.restore_revision(author, article, 1)
    assert revision.number == 4
    assert article.body_md == "Versi pertama."
    assert "Dipulihkan dari revisi 1" in revision.note


def test_drafts_do_not_pile_up_revisions(make_article, author):
    article = make_article(status="draft")
    services.update(author, article, ArticleInput(title=article.title, body="Draf lagi."))
    assert _count(ArticleRevision) == 0


def test_diff_escapes_text():
    from portal.articles.diffing import word_diff

    assert str(word_diff("a <b>", "a <script>")) == "a <del>&lt;b&gt;</del><ins>&lt;script&gt;</ins>"


# ---------------------------------------------------------------- reading, votes, views


def test_list_filters_and_sorts(make_article, make_user, catalogue):
    first = make_article(title="Kearsipan digital di OPD", competency_codes=["M.03"], tags=["arsip"])
    second = make_article(title="SPBE untuk pelayanan", competency_codes=["M.05"], tags=["spbe"])
    services.toggle_vote(make_user(Role.MEMBER), first)
    assert [a.id for a in services.list_published(ArticleFilters()).items] == [second.id, first.id]
    assert [a.id for a in services.list_published(ArticleFilters(sort="helpful")).items] == [first.id, second.id]
    assert [a.id for a in services.list_published(ArticleFilters(competency="m.03")).items] == [first.id]
    assert [a.id for a in services.list_published(ArticleFilters(tag="spbe")).items] == [second.id]


def test_keyset_pages_walk_every_article_once(make_article):
    made = [make_article(title=f"Artikel nomor {n}") for n in range(5)]
    seen, cursor = [], None
    while True:
        page = services.list_published(ArticleFilters(sort="viewed"), cursor, per_page=2)
        seen += [a.id for a in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(a.id for a in made)
    assert len(seen) == 5


def test_vote_toggles_and_counter_stays_consistent(make_article, make_user, author):
    article = make_article()
    reader = make_user(Role.MEMBER)
    assert services.toggle_vote(reader, article) is True
    assert article.vote_count == 1
    assert services.toggle_vote(reader, article) is False
    db.session.refresh(article)
    assert article.vote_count == 0 == _count(ArticleVote)
    with pytest.raises(ArticleError, match="sendiri"):
        services.toggle_vote(author, article)


def test_a_reader_counts_once_a_day(make_article, make_user):
    article = make_article()
    reader = make_user(Role.MEMBER)
    assert services.record_view(reader, article.id) is True
    assert services.record_view(reader, article.id) is False
    db.session.refresh(article)
    assert article.view_count == 1 == _count(ArticleView)


def test_drafts_do_not_count_views(make_article, author):
    article = make_article(status="draft")
    assert services.record_view(author, article.id) is False


def test_related_articles_share_topics(make_article):
    base = make_article(tags=["arsip"], competency_codes=["M.03"])
    close = make_article(title="Arsip dinamis", tags=["arsip"], competency_codes=["M.03"])
    make_article(title="Tidak berhubungan", tags=["olahraga"], competency_codes=["SK.01"])
    assert services.related(base) == [close]


def test_search_hook_yields_published_articles_only(make_article):
    published = make_article()
    make_article(status="draft", title="Draf rahasia")
    assert [a.id for a in services.published_articles_for_index()] == [published.id]


# ---------------------------------------------------------------- comments


def test_comments_replies_edit_delete_hide(make_article, make_user, moderator, author):
    article = make_article()
    reader, other = make_user(Role.MEMBER), make_user(Role.MEMBER)
    top = services.add_comment(reader, article, "Sangat membantu, **terima kasih**.")
    reply = services.add_comment(other, article, "Setuju.", parent_id=top.id)
    nested = services.add_comment(author, article, "Sama-sama.", parent_id=reply.id)
    assert nested.parent_id == top.id  # one level of replies
    threads = services.comment_threads(reader, article)
    assert [(t.comment.id, [r.id for r in t.replies]) for t in threads] == [(top.id, [reply.id, nested.id])]
    assert "article.commented" in _kinds_for(author)
    assert "article.replied" in _kinds_for(reader)

    with pytest.raises(PermissionDenied):
        services.edit_comment(other, top, "Bukan komentar saya")
    services.edit_comment(reader, top, "Diperbarui.")
    assert top.edited_at is not None and "Diperbarui." in top.body_html
    services.delete_comment(other, reply)
    assert reply.deleted_at is not None
    services.hide_comment(moderator, top, "Memuat data pribadi warga.")
    assert top.hidden_reason == "Memuat data pribadi warga."
    with pytest.raises(PermissionDenied):
        services.hide_comment(other, nested, "Saya tidak suka")


def test_empty_comment_and_comment_on_draft_are_refused(make_article, make_user):
    reader = make_user(Role.MEMBER)
    with pytest.raises(ArticleError, match="tidak boleh kosong"):
        services.add_comment(reader, make_article(), "   ")
    draft = make_article(status="draft")
    with pytest.raises(PermissionDenied):
        services.add_comment(reader, draft, "Halo")
    assert _count(ArticleComment) == 0


def test_old_renderer_output_is_refreshed(make_article):
    article = make_article()
    article.renderer_version = 0
    article.body_html = "<p>lama</p>"
    db.session.commit()
    services.refresh_rendering(article)
    assert "<strong>ramah</strong>" in article.body_html
