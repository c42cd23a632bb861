"""The "thread" record type of ``flask content import``.

{"type": "thread", "external_id": "...", "category": "slug", "title": "...", "body": "Markdown",
 "author_nip"?: "...", "created_at"?: ISO 8601,
 "replies": [{"body": "...", "author_nip"?: "...", "created_at"?: ISO 8601}, ...]}

A record whose external_id was imported before updates that thread: its title, category, opening post and the
replies at the same positions; replies added since stay. An unknown or missing author means the admin running
the import. Imported history sends no notifications; authors follow their threads from then on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from portal.accounts.models import User
from portal.content import fields
from portal.content.services import Outcome
from portal.core.i18n import lazy_gettext as _l
from portal.core.types import utcnow
from portal.extensions import db
from portal.forums import services
from portal.forums.models import ForumCategory, ForumPost, ForumThread
from portal.forums.services import ForumError

MAX_REPLIES = 500


@dataclass
class ImportedPost:
    body: str
    author: User
    created_at: datetime | None


def import_thread(record: Mapping[str, Any], actor: User) -> Outcome:
    external_id = fields.external_id(record.get("external_id"))
    category = _category(record.get("category"))
    title = services.check_title(fields.text(record.get("title"), "title"))
    opening = _post(record, actor)
    replies = [_post(item, actor) for item in _replies(record.get("replies"))]
    thread = db.session.scalar(select(ForumThread).where(ForumThread.external_id == external_id))
    if thread is None:
        _create(external_id, category, title, opening, replies)
        return Outcome.CREATED
    return _update(thread, category, title, opening, replies)


def _create(
    external_id: str, category: ForumCategory, title: str, opening: ImportedPost, replies: list[ImportedPost]
) -> None:
    started = opening.created_at or utcnow()
    thread = ForumThread(
        external_id=external_id,
        category_id=category.id,
        author_id=opening.author.id,
        title=title,
        created_at=started,
        last_post_at=started,
    )
    db.session.add(thread)
    db.session.flush()
    for item in [opening, *replies]:
        services.new_post(thread, item.author.id, item.body, item.created_at or started)
    for author_id in {item.author.id for item in [opening, *replies]}:
        services.subscribe(author_id, thread.id)
    services.refresh_counters(thread)
    db.session.flush()


def _update(
    thread: ForumThread, category: ForumCategory, title: str, opening: ImportedPost, replies: list[ImportedPost]
) -> Outcome:
    changed = False
    previous_category = thread.category_id
    if (thread.title, thread.category_id, thread.author_id) != (title, category.id, opening.author.id):
        thread.title, thread.category_id, thread.author_id = title, category.id, opening.author.id
        changed = True
    posts = {
        post.number: post for post in db.session.scalars(select(ForumPost).where(ForumPost.thread_id == thread.id))
    }
    for number, item in enumerate([opening, *replies], start=1):
        post = posts.get(number)
        if post is None:
            services.new_post(thread, item.author.id, item.body, item.created_at or thread.created_at)
            db.session.flush()  # the next subscribe() looks the author's subscription up
            services.subscribe(item.author.id, thread.id)
            changed = True
        elif (post.body_md, post.author_id) != (item.body, item.author.id):
            post.body_md, post.author_id = item.body, item.author.id
            services.render_post(post)
            changed = True
    if not changed:
        return Outcome.UNCHANGED
    services.refresh_counters(thread, previous_category)
    db.session.flush()
    return Outcome.UPDATED


def _post(record: Mapping[str, Any], actor: User) -> ImportedPost:
    return ImportedPost(
        body=services.check_body(fields.text(record.get("body"), "body")),
        author=fields.author(record.get("author_nip"), actor),
        created_at=fields.moment(record.get("created_at")),
    )


def _category(value: Any) -> ForumCategory:
    slug = str(value or "").strip().lower()
    category = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == slug)) if slug else None
    if category is None:
        raise ForumError(_l('Kategori forum "%(slug)s" tidak ditemukan.', slug=slug[:60]))
    return category


def _replies(value: Any) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ForumError(_l("replies harus berupa daftar objek."))
    if len(value) > MAX_REPLIES:
        raise ForumError(_l("Paling banyak %(max)d balasan per topik.", max=MAX_REPLIES))
    return value
