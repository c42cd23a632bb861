"""Forum rules: categories, threads, replies, quotes, mentions, likes, solutions, subscriptions, read marks,
reports and moderation.

Every function that changes data takes the acting user, checks permission here and commits. Bad input raises
:class:`ForumError` (a user-facing message) and writes nothing. Moderation is recorded in the audit log and the
author is notified. Notifications are added in the same transaction as the post that causes them.

Who sees a category: everyone signed in; one unit's members; or staff (organizers, moderators, admins).
Moderators and admins see every category. A category the user may not see answers 404 and is never listed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import Select, func, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.audit import services as audit
from portal.core.database import toggle_mark, write_transaction
from portal.core.forms import RuleError
from portal.core.markdown import RENDERER_VERSION, render_markdown, render_plain_excerpt
from portal.core.permissions import Permission, PermissionDenied, has_permission, require
from portal.core.types import utcnow
from portal.extensions import db
from portal.forums.models import (
    CategorySubscription,
    ForumCategory,
    ForumLike,
    ForumPost,
    ForumPostRevision,
    ForumReport,
    ForumThread,
    ReadMark,
    ThreadSubscription,
    Visibility,
)
from portal.notifications import services as notifications
from portal.search import services as search
from portal.units import services as units

GENERAL_SLUG = "umum"
TITLE_MIN, TITLE_MAX, BODY_MAX, REASON_MIN, REASON_MAX = 5, 200, 20_000, 5, 500
NAME_MIN, NAME_MAX, DESCRIPTION_MAX = 3, 100, 500
SEARCH_TYPE = "thread"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Mentions: @handle or @NIP, not inside code, not in an email address or a path.
_MENTION = re.compile(r"(?<![\w@/.])@(\d{18}|[A-Za-z0-9._]{3,30})")
_CODE = re.compile(r"(```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|`[^`\n]*`)", re.S)

NOTIFICATION_KINDS: dict[str, Any] = {
    "forum.replied": _l('%(actor)s membalas topik "%(title)s".'),
    "forum.new_thread": _l('%(actor)s membuka topik baru "%(title)s" di %(category)s.'),
    "forum.mentioned": _l('%(actor)s menyebut Anda di topik "%(title)s".'),
    "forum.solution": _l('Balasan Anda ditandai sebagai solusi di topik "%(title)s".'),
    "forum.post_hidden": _l('Kiriman Anda di topik "%(title)s" disembunyikan moderator: %(reason)s'),
    "forum.post_unhidden": _l('Kiriman Anda di topik "%(title)s" ditampilkan kembali oleh moderator.'),
    "forum.post_edited": _l('Moderator mengubah kiriman Anda di topik "%(title)s".'),
    "forum.thread_locked": _l('Topik Anda "%(title)s" dikunci moderator.'),
    "forum.thread_unlocked": _l('Topik Anda "%(title)s" dibuka kembali oleh moderator.'),
    "forum.thread_moved": _l('Topik Anda "%(title)s" dipindahkan ke kategori %(category)s.'),
}

VIEWS: dict[str, Any] = {
    "terbaru": _l("Terbaru"),
    "belum-terjawab": _l("Belum terjawab"),
    "terjawab": _l("Terjawab"),
    "saya": _l("Topik saya"),
}


class ForumError(RuleError):
    """A forum rule was broken."""


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message)


def posts_per_page() -> int:
    return current_app.config["FORUMS_POSTS_PER_PAGE"]


# ---------------------------------------------------------------- who may do what


def _is_active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_moderator(user: Any) -> bool:
    return has_permission(user, Permission.MODERATE)


def is_staff(user: Any) -> bool:
    return has_permission(user, Permission.POST_ANNOUNCEMENTS)


def can_view_category(user: Any, category: ForumCategory) -> bool:
    if not _is_active(user):
        return False
    if category.visibility == Visibility.EVERYONE or is_moderator(user):
        return True
    if category.visibility == Visibility.UNIT:
        return category.unit_id is not None and user.unit_id == category.unit_id
    return is_staff(user)


def can_post_in(user: Any, category: ForumCategory) -> bool:
    return can_view_category(user, category) and (not category.is_read_only or is_staff(user))


def can_view_thread(user: Any, thread: ForumThread) -> bool:
    if not can_view_category(user, thread.category):
        return False
    if thread.deleted_at is not None:
        return is_moderator(user)
    if thread.hidden_at is not None:  # the author still sees why
        return is_moderator(user) or user.id == thread.author_id
    return True


def can_reply(user: Any, thread: ForumThread) -> bool:
    if not thread.is_listed or not can_post_in(user, thread.category):
        return False
    return not thread.is_locked or is_moderator(user)


def can_edit_post(user: Any, post: ForumPost) -> bool:
    if not _is_active(user) or post.deleted_at is not None:
        return False
    if is_moderator(user):
        return True
    return user.id == post.author_id and post.hidden_at is None and not post.thread.is_locked


def can_mark_solution(user: Any, thread: ForumThread) -> bool:
    return _is_active(user) and thread.is_listed and (user.id == thread.author_id or is_moderator(user))


def _require(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDenied(what)


# ---------------------------------------------------------------- paths (services also run outside requests)


def _path(endpoint: str, **values: Any) -> str:
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("").build(endpoint, values)


def thread_path(thread_id: int) -> str:
    return _path("forums.thread", thread_id=thread_id)


def post_url(post: ForumPost) -> str:
    """The permalink: it redirects to the page that holds the post, whatever page size is set later."""
    return _path("forums.post", post_id=post.id)


def page_of(number: int) -> int:
    return max(1, math.ceil(number / posts_per_page()))


# ---------------------------------------------------------------- categories


@dataclass
class CategoryInput:
    name: str
    slug: str
    description: str = ""
    position: int | str = 0
    visibility: Visibility | str = Visibility.EVERYONE
    unit_id: int | None = None
    is_read_only: bool = False


def _all_categories() -> list[ForumCategory]:
    stmt = (
        select(ForumCategory)
        .options(joinedload(ForumCategory.unit))
        .order_by(ForumCategory.position, ForumCategory.name)
    )
    return list(db.session.scalars(stmt))


def _with_general(categories: list[ForumCategory]) -> list[ForumCategory]:
    """The general category always exists: it is created the first time the forum is opened without it."""
    if any(category.slug == GENERAL_SLUG for category in categories):
        return categories
    ensure_general_category()
    return _all_categories()


def ensure_general_category() -> ForumCategory:
    category = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == GENERAL_SLUG))
    if category is None:
        category = ForumCategory(
            slug=GENERAL_SLUG,
            name="Umum",
            description=str(_l("Tanya jawab dan berbagi pengalaman apa saja seputar pekerjaan ASN.")),
        )
        db.session.add(category)
        try:
            db.session.commit()
        except IntegrityError:  # another request created it first
            db.session.rollback()
            category = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == GENERAL_SLUG))
    return category


def visible_categories(user: Any) -> list[ForumCategory]:
    return [category for category in _with_general(_all_categories()) if can_view_category(user, category)]


def get_category(user: Any, slug: str) -> ForumCategory | None:
    """The category if the user may see it; None otherwise (shown as 404, as if it did not exist)."""
    category = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == (slug or "").lower()))
    if category is None or not can_view_category(user, category):
        return None
    return category


def manageable_categories(actor: User) -> list[ForumCategory]:
    require(actor, Permission.MANAGE_FORUMS)
    return _with_general(_all_categories())


def get_category_by_id(category_id: int) -> ForumCategory | None:
    return db.session.get(ForumCategory, category_id)


def _one_line(text: str | None) -> str:
    return " ".join(_CONTROL_CHARACTERS.sub("", text or "").split())


def _check_category(data: CategoryInput, category: ForumCategory | None) -> dict[str, Any]:
    name = _one_line(data.name)
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise ForumError(_l("Nama kategori harus %(min)d-%(max)d karakter.", min=NAME_MIN, max=NAME_MAX), "name")
    slug = (data.slug or "").strip().lower()
    if not 2 <= len(slug) <= 60 or not _SLUG.match(slug):
        raise ForumError(_l("Slug harus 2-60 karakter: huruf kecil, angka, dan tanda hubung."), "slug")
    clash = select(ForumCategory.id).where(ForumCategory.slug == slug)
    if category is not None:
        clash = clash.where(ForumCategory.id != category.id)
    if db.session.scalar(clash):
        raise ForumError(_l("Slug ini sudah dipakai kategori lain."), "slug")
    description = _one_line(data.description)
    if len(description) > DESCRIPTION_MAX:
        raise ForumError(_l("Deskripsi maksimal %(max)d karakter.", max=DESCRIPTION_MAX), "description")
    try:
        visibility = Visibility(data.visibility)
    except ValueError:
        raise ForumError(_l("Pilihan siapa yang dapat melihat tidak dikenal."), "visibility") from None
    unit_id = int(data.unit_id or 0) or None
    if visibility == Visibility.UNIT:
        if unit_id is None or not units.get_active(unit_id):
            raise ForumError(_l("Pilih unit kerja untuk ruang khusus unit."), "unit_id")
    else:
        unit_id = None
    if (
        category is not None
        and category.slug == GENERAL_SLUG
        and (slug != GENERAL_SLUG or visibility != Visibility.EVERYONE or data.is_read_only)
    ):
        raise ForumError(_l("Kategori Umum harus tetap terbuka untuk semua dan memakai slug umum."), "slug")
    return {
        "name": name,
        "slug": slug,
        "description": description,
        "position": _check_position(data.position),
        "visibility": visibility,
        "unit_id": unit_id,
        "is_read_only": bool(data.is_read_only),
    }


def _check_position(value: int | str) -> int:
    try:
        position = int(str(value).strip() or 0)
    except ValueError:
        position = None
    if position is None or not -1000 <= position <= 1000:
        raise ForumError(_l("Urutan harus bilangan bulat antara -1000 dan 1000."), "position")
    return position


def create_category(actor: User, data: CategoryInput) -> ForumCategory:
    require(actor, Permission.MANAGE_FORUMS)
    category = ForumCategory(**_check_category(data, None))
    db.session.add(category)
    db.session.flush()
    audit.record(actor, "forum.category_create", category, slug=category.slug)
    db.session.commit()
    return category


def update_category(actor: User, category: ForumCategory, data: CategoryInput) -> ForumCategory:
    require(actor, Permission.MANAGE_FORUMS)
    values = _check_category(data, category)
    changed = {key: str(value) for key, value in values.items() if getattr(category, key) != value}
    for key, value in values.items():
        setattr(category, key, value)
    if changed:
        audit.record(actor, "forum.category_update", category, **changed)
        _queue_category_threads(category.id)  # who may find its threads may have changed
    db.session.commit()
    return category


# ---------------------------------------------------------------- validation and rendering


def check_title(title: str) -> str:
    title = _one_line(title)
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ForumError(_l("Judul harus %(min)d-%(max)d karakter.", min=TITLE_MIN, max=TITLE_MAX), "title")
    return title


def check_body(body: str) -> str:
    body = _CONTROL_CHARACTERS.sub("", (body or "").replace("\r\n", "\n")).strip()
    if not body:
        raise ForumError(_l("Isi kiriman tidak boleh kosong."), "body")
    if len(body) > BODY_MAX:
        raise ForumError(_l("Isi kiriman maksimal %(max)d karakter.", max=BODY_MAX), "body")
    return body


def _check_reason(reason: str) -> str:
    reason = _one_line(reason)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise ForumError(_l("Alasan wajib diisi, %(min)d-%(max)d karakter.", min=REASON_MIN, max=REASON_MAX), "reason")
    return reason


def _outside_code(text: str) -> list[tuple[str, bool]]:
    """The text cut into (piece, is_code) so mentions inside code stay literal."""
    pieces, position = [], 0
    for match in _CODE.finditer(text):
        pieces.append((text[position : match.start()], False))
        pieces.append((match.group(0), True))
        position = match.end()
    pieces.append((text[position:], False))
    return pieces


def _mention_candidates(text: str) -> set[str]:
    names: set[str] = set()
    for piece, is_code in _outside_code(text):
        if not is_code:
            for match in _MENTION.finditer(piece):
                raw = match.group(1).lower()
                names.update({raw, raw.rstrip("._")})
    return names


def mentioned_users(text: str) -> dict[str, User]:
    """Accounts the text mentions, by the lowercased handle or NIP used."""
    names = _mention_candidates(text)
    nips = {name for name in names if name.isdigit() and len(name) == 18}
    found: dict[str, User] = {}
    for user in accounts.users_by_mention(names - nips, nips):
        if user.handle:
            found[user.handle] = user
        found[user.nip] = user
    return found


def _link_mentions(text: str, users: dict[str, User]) -> str:
    def link(match: re.Match) -> str:
        raw = match.group(1)
        for name in (raw.lower(), raw.lower().rstrip("._")):
            user = users.get(name)
            if user is not None:
                label = (user.handle or user.nip).replace("_", "\\_")
                rest = raw[len(name) :]
                return f"[@{label}]({_path('accounts.profile', user_id=user.id)}){rest}"
        return match.group(0)

    return "".join(piece if is_code else _MENTION.sub(link, piece) for piece, is_code in _outside_code(text))


def render_body(text: str, users: dict[str, User] | None = None) -> Markup:
    """Exactly what a post shows for this Markdown: mentions become links to the profiles."""
    return render_markdown(_link_mentions(text, mentioned_users(text) if users is None else users))


def render_post(post: ForumPost, users: dict[str, User] | None = None) -> None:
    post.body_html = str(render_body(post.body_md, users))
    post.renderer_version = RENDERER_VERSION


def refresh_rendering(posts: Iterable[ForumPost]) -> None:
    """Re-render HTML stored by an older renderer version (a sanitizer fix reaches old posts too)."""
    stale = [post for post in posts if post.renderer_version != RENDERER_VERSION]
    for post in stale:
        render_post(post)
    if stale:
        db.session.commit()


def quote(post: ForumPost) -> str:
    """A Markdown quote of the post with a link back to it, to start a reply with."""
    lines = "\n".join(f"> {line}" if line else ">" for line in post.body_md.splitlines())
    name = post.author.name.replace("[", "(").replace("]", ")")
    heading = _l("%(name)s menulis", name=name)
    return f"> [{heading}]({post_url(post)}):\n{lines}\n\n"


# ---------------------------------------------------------------- lookups


def get_thread(user: Any, thread_id: int) -> ForumThread | None:
    """The thread if the user may see it; None otherwise, so it looks like a missing page."""
    thread = db.session.scalar(
        select(ForumThread)
        .where(ForumThread.id == thread_id)
        .options(joinedload(ForumThread.category), joinedload(ForumThread.author))
    )
    if thread is None or not can_view_thread(user, thread):
        return None
    return thread


def get_post(user: Any, post_id: int) -> ForumPost | None:
    post = db.session.scalar(
        select(ForumPost)
        .where(ForumPost.id == post_id)
        .options(joinedload(ForumPost.thread).joinedload(ForumThread.category), joinedload(ForumPost.author))
    )
    if post is None or not can_view_thread(user, post.thread):
        return None
    return post


def post_by_number(thread: ForumThread, number: int) -> ForumPost | None:
    return db.session.scalar(select(ForumPost).where(ForumPost.thread_id == thread.id, ForumPost.number == number))


# ---------------------------------------------------------------- thread lists


@dataclass
class ThreadPage:
    items: list[ForumThread]
    next_cursor: str | None
    pinned: list[ForumThread]
    unread: dict[int, str]  # thread id -> "new" (never opened) or "unread" (new posts since the last visit)


def _listed(category_ids: Sequence[int]) -> Select[Any]:
    return select(ForumThread).where(
        ForumThread.category_id.in_(category_ids), ForumThread.hidden_at.is_(None), ForumThread.deleted_at.is_(None)
    )


def _list_options(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(
        joinedload(ForumThread.author), joinedload(ForumThread.last_poster), joinedload(ForumThread.category)
    )


def _decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor or "~" not in cursor:
        return None
    raw_moment, _, raw_id = cursor.rpartition("~")
    try:
        moment = datetime.fromisoformat(raw_moment)
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)), int(raw_id)
    except ValueError:
        return None


def _encode_cursor(thread: ForumThread) -> str:
    return f"{thread.last_post_at.isoformat()}~{thread.id}"


def _filtered(stmt: Select[Any], user: Any, view: str) -> Select[Any]:
    if view == "belum-terjawab":
        return stmt.where(ForumThread.reply_count == 0, ForumThread.solved_at.is_(None))
    if view == "terjawab":
        return stmt.where(ForumThread.solved_at.is_not(None))
    if view == "saya":
        took_part = select(ForumPost.thread_id).where(ForumPost.author_id == user.id, ForumPost.deleted_at.is_(None))
        return stmt.where(ForumThread.id.in_(took_part))
    return stmt


def list_threads(
    user: Any,
    view: str = "terbaru",
    category: ForumCategory | None = None,
    cursor: str | None = None,
    per_page: int | None = None,
) -> ThreadPage:
    """Threads by latest activity, by keyset (no OFFSET, no COUNT). In a category, pinned ones come first.

    Three queries whatever the page size, plus one for the categories the user may see (lists across them).
    """
    per_page = max(1, min(per_page or current_app.config["FORUMS_THREADS_PER_PAGE"], 50))
    category_ids = [category.id] if category is not None else [c.id for c in visible_categories(user)]
    stmt = _filtered(_listed(category_ids), user, view)
    pinned: list[ForumThread] = []
    position = _decode_cursor(cursor)
    if category is not None:
        if position is None:
            pinned_stmt = stmt.where(ForumThread.is_pinned.is_(True)).order_by(ForumThread.last_post_at.desc())
            pinned = list(db.session.scalars(_list_options(pinned_stmt)).unique())
        stmt = stmt.where(ForumThread.is_pinned.is_(False))
    if position is not None:
        moment, last_id = position
        # The redundant "<=" gives the index a range to start from (as for articles: docs/benchmarks.md).
        stmt = stmt.where(
            ForumThread.last_post_at <= moment,
            (ForumThread.last_post_at < moment) | ((ForumThread.last_post_at == moment) & (ForumThread.id < last_id)),
        )
    stmt = _list_options(stmt.order_by(ForumThread.last_post_at.desc(), ForumThread.id.desc()).limit(per_page + 1))
    items = list(db.session.scalars(stmt).unique())
    next_cursor = _encode_cursor(items[per_page - 1]) if len(items) > per_page else None
    items = items[:per_page]
    return ThreadPage(items=items, next_cursor=next_cursor, pinned=pinned, unread=unread_marks(user, pinned + items))


class ThreadRef(NamedTuple):
    """What unread marks need of a listed thread (a cached list keeps these instead of the rows)."""

    id: int
    last_post_number: int


def unread_marks(user: Any, threads: Sequence[ForumThread | ThreadRef]) -> dict[int, str]:
    if not threads or not _is_active(user):
        return {}
    marks = dict(
        db.session.execute(
            select(ReadMark.thread_id, ReadMark.last_read_number).where(
                ReadMark.user_id == user.id, ReadMark.thread_id.in_([t.id for t in threads])
            )
        ).all()
    )
    result: dict[int, str] = {}
    for thread in threads:
        read = marks.get(thread.id)
        if read is None:
            result[thread.id] = "new"
        elif thread.last_post_number > read:
            result[thread.id] = "unread"
    return result


def latest_in_categories(categories: Sequence[ForumCategory]) -> dict[int, ForumThread]:
    """The most recently active listed thread of each category, in one query (the forum's front page)."""
    if not categories:
        return {}
    ranked = (
        select(
            ForumThread.id,
            func.row_number()
            .over(
                partition_by=ForumThread.category_id,
                order_by=(ForumThread.last_post_at.desc(), ForumThread.id.desc()),
            )
            .label("rank"),
        )
        .where(
            ForumThread.category_id.in_([c.id for c in categories]),
            ForumThread.hidden_at.is_(None),
            ForumThread.deleted_at.is_(None),
        )
        .subquery()
    )
    stmt = (
        select(ForumThread)
        .join(ranked, ranked.c.id == ForumThread.id)
        .where(ranked.c.rank == 1)
        .options(joinedload(ForumThread.last_poster))
    )
    return {thread.category_id: thread for thread in db.session.scalars(stmt).unique()}


# ---------------------------------------------------------------- the thread page


@dataclass
class ThreadView:
    thread: ForumThread
    posts: list[ForumPost]
    page: int
    pages: int
    liked: set[int]
    subscribed: bool
    solution: ForumPost | None
    open_reports: dict[int, int]  # post id -> open reports (moderators only)


def thread_view(user: Any, thread: ForumThread, page: int) -> ThreadView:
    """One page of posts with everything the page shows, in a fixed number of queries."""
    size = posts_per_page()
    pages = max(1, math.ceil(thread.last_number / size))
    page = min(max(1, page), pages)
    stmt = (
        select(ForumPost)
        .where(ForumPost.thread_id == thread.id, ForumPost.number.between((page - 1) * size + 1, page * size))
        .order_by(ForumPost.number)
        .options(joinedload(ForumPost.author))
    )
    posts = list(db.session.scalars(stmt).unique())
    refresh_rendering(posts)
    ids = [post.id for post in posts]
    liked = set(
        db.session.scalars(select(ForumLike.post_id).where(ForumLike.user_id == user.id, ForumLike.post_id.in_(ids)))
    )
    subscribed = bool(
        db.session.scalar(
            select(ThreadSubscription.active).where(
                ThreadSubscription.user_id == user.id, ThreadSubscription.thread_id == thread.id
            )
        )
    )
    solution = None
    if page == 1 and thread.solved_at is not None:
        solution = db.session.scalar(
            select(ForumPost)
            .where(ForumPost.thread_id == thread.id, ForumPost.is_solution.is_(True))
            .options(joinedload(ForumPost.author))
        )
    reports: dict[int, int] = {}
    if is_moderator(user) and ids:
        reports = dict(
            db.session.execute(
                select(ForumReport.post_id, func.count())
                .where(ForumReport.post_id.in_(ids), ForumReport.resolved_at.is_(None))
                .group_by(ForumReport.post_id)
            ).all()
        )
    return ThreadView(thread, posts, page, pages, liked, subscribed, solution, reports)


def mark_read(user: Any, thread: ForumThread, up_to: int) -> None:
    """Remember that the user has seen the thread up to post ``up_to`` (never moves backwards)."""
    if not _is_active(user) or up_to < 1:
        return
    thread_id, user_id = thread.id, user.id
    mark = db.session.get(ReadMark, (user_id, thread_id))
    if mark is not None:
        if mark.last_read_number >= up_to:
            return
        write_transaction(db.session())  # a GET: the write lock now, not on upgrading the read (SQLite)
        db.session.execute(
            sql_update(ReadMark)
            .where(ReadMark.user_id == user_id, ReadMark.thread_id == thread_id, ReadMark.last_read_number < up_to)
            .values(last_read_number=up_to, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    else:
        write_transaction(db.session())
        try:
            with db.session.begin_nested():
                db.session.add(ReadMark(user_id=user_id, thread_id=thread_id, last_read_number=up_to))
        except IntegrityError:  # the same reader's other tab was first
            return
    db.session.commit()


def first_unread_number(user: Any, thread: ForumThread) -> int:
    """The first post the user has not seen (the last post when everything is read)."""
    read = db.session.scalar(
        select(ReadMark.last_read_number).where(ReadMark.user_id == user.id, ReadMark.thread_id == thread.id)
    )
    if read is None:
        return 1
    following = db.session.scalar(
        select(func.min(ForumPost.number)).where(
            ForumPost.thread_id == thread.id,
            ForumPost.number > read,
            ForumPost.deleted_at.is_(None),
            ForumPost.hidden_at.is_(None),
        )
    )
    return following or thread.last_post_number


def revisions(actor: User, post: ForumPost) -> list[ForumPostRevision]:
    require(actor, Permission.MODERATE)
    stmt = (
        select(ForumPostRevision)
        .where(ForumPostRevision.post_id == post.id)
        .options(joinedload(ForumPostRevision.editor))
        .order_by(ForumPostRevision.created_at.desc(), ForumPostRevision.id.desc())
    )
    return list(db.session.scalars(stmt).unique())


# ---------------------------------------------------------------- counters


def _refresh_thread(thread: ForumThread) -> None:
    """Reply count and last post from the visible posts (called after every change to the thread's posts)."""
    db.session.flush()
    visible = (
        ForumPost.thread_id == thread.id,
        ForumPost.deleted_at.is_(None),
        ForumPost.hidden_at.is_(None),
    )
    last = db.session.execute(
        select(ForumPost.number, ForumPost.created_at, ForumPost.author_id)
        .where(*visible)
        .order_by(ForumPost.number.desc())
        .limit(1)
    ).first()
    thread.reply_count = db.session.scalar(select(func.count()).where(*visible, ForumPost.number > 1)) or 0
    if last is not None:
        thread.last_post_number, thread.last_post_at, thread.last_poster_id = last
    db.session.flush()


def _refresh_category(category_id: int) -> None:
    """Thread and post counts and last activity of the category's listed threads."""
    row = db.session.execute(
        select(
            func.count(), func.coalesce(func.sum(ForumThread.reply_count + 1), 0), func.max(ForumThread.last_post_at)
        ).where(
            ForumThread.category_id == category_id,
            ForumThread.hidden_at.is_(None),
            ForumThread.deleted_at.is_(None),
        )
    ).one()
    db.session.execute(
        sql_update(ForumCategory)
        .where(ForumCategory.id == category_id)
        .values(thread_count=row[0], post_count=row[1], last_post_at=row[2])
    )


def refresh_counters(thread: ForumThread, *category_ids: int) -> None:
    _refresh_thread(thread)
    for category_id in {thread.category_id, *category_ids}:
        _refresh_category(category_id)
    search.queue(SEARCH_TYPE, thread.id)


def _lock_thread(thread_id: int) -> ForumThread:
    """Start a write transaction and re-read the thread (locked on PostgreSQL) before changing its counters."""
    write_transaction(db.session())
    thread = db.session.scalar(
        select(ForumThread)
        .where(ForumThread.id == thread_id)
        .options(joinedload(ForumThread.category))
        .with_for_update(of=ForumThread)
    )
    if thread is None:
        raise ForumError(_l("Topik ini sudah tidak ada."))
    return thread


def _queue_category_threads(category_id: int) -> None:
    for thread_id in db.session.scalars(select(ForumThread.id).where(ForumThread.category_id == category_id)):
        search.queue(SEARCH_TYPE, thread_id)


# ---------------------------------------------------------------- subscriptions and fan-out


def subscribe(user_id: int, thread_id: int) -> None:
    """Auto-subscribe a poster, unless they muted the thread."""
    if db.session.get(ThreadSubscription, (user_id, thread_id)) is None:
        db.session.add(ThreadSubscription(user_id=user_id, thread_id=thread_id, active=True))


def _notify(
    actor: User,
    thread: ForumThread,
    post: ForumPost,
    mentioned: Iterable[User],
    audience_ids: Iterable[int],
    kind: str,
    **params: Any,
) -> None:
    """Mentioned users get a mention, everyone else in the audience ``kind``: each person once, never the actor,
    and only people who may still read the category."""
    url = post_url(post)
    category = thread.category
    mention_targets = {user.id: user for user in mentioned if can_view_category(user, category)}
    notifications.notify(mention_targets.values(), "forum.mentioned", url, actor=actor, title=thread.title)
    rest = set(audience_ids) - set(mention_targets) - {actor.id}
    readers = [user for user in accounts.get_users(rest) if can_view_category(user, category)]
    notifications.notify(readers, kind, url, actor=actor, title=thread.title, **params)


def _thread_subscribers(thread_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(ThreadSubscription.user_id).where(
                ThreadSubscription.thread_id == thread_id, ThreadSubscription.active.is_(True)
            )
        )
    )


def _category_subscribers(category_id: int) -> list[int]:
    return list(
        db.session.scalars(select(CategorySubscription.user_id).where(CategorySubscription.category_id == category_id))
    )


def is_subscribed_to_category(user: Any, category: ForumCategory) -> bool:
    return db.session.get(CategorySubscription, (user.id, category.id)) is not None


def toggle_thread_subscription(user: User, thread: ForumThread) -> bool:
    """Follow or stop following a thread; returns whether the user follows it now."""
    _require(can_view_thread(user, thread), "forum.view")
    subscription = db.session.get(ThreadSubscription, (user.id, thread.id))
    if subscription is None:
        subscription = ThreadSubscription(user_id=user.id, thread_id=thread.id, active=True)
        db.session.add(subscription)
    else:
        subscription.active = not subscription.active
    following = subscription.active
    try:
        db.session.commit()
    except IntegrityError:  # a double click raced us
        db.session.rollback()
    return following


def toggle_category_subscription(user: User, category: ForumCategory) -> bool:
    _require(can_view_category(user, category), "forum.view")
    subscription = db.session.get(CategorySubscription, (user.id, category.id))
    if subscription is None:
        db.session.add(CategorySubscription(user_id=user.id, category_id=category.id))
    else:
        db.session.delete(subscription)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return subscription is None


# ---------------------------------------------------------------- writing


def new_post(thread: ForumThread, author_id: int, body: str, created_at: datetime | None = None) -> ForumPost:
    """Add the thread's next post (the caller holds the thread in a write transaction)."""
    thread.last_number += 1
    post = ForumPost(thread_id=thread.id, number=thread.last_number, author_id=author_id, body_md=body)
    if created_at is not None:
        post.created_at = created_at
    render_post(post)
    db.session.add(post)
    return post


def create_thread(actor: User, category: ForumCategory, title: str, body: str) -> ForumThread:
    _require(can_post_in(actor, category), "forum.post")
    title, body = check_title(title), check_body(body)
    category_id, author_id = category.id, actor.id
    write_transaction(db.session())
    thread = ForumThread(category_id=category_id, author_id=author_id, title=title, last_poster_id=author_id)
    db.session.add(thread)
    db.session.flush()
    opening = new_post(thread, author_id, body)
    subscribe(author_id, thread.id)
    refresh_counters(thread)
    db.session.add(ReadMark(user_id=author_id, thread_id=thread.id, last_read_number=1))
    _notify(
        actor,
        thread,
        opening,
        mentioned_users(body).values(),
        _category_subscribers(category_id),
        "forum.new_thread",
        category=thread.category.name,
    )
    db.session.commit()
    return thread


def reply(actor: User, thread: ForumThread, body: str) -> ForumPost:
    _require(can_view_thread(actor, thread), "forum.view")
    if not can_reply(actor, thread):
        if thread.is_locked:
            raise ForumError(_l("Topik ini dikunci: balasan baru tidak diterima."))
        raise PermissionDenied("forum.reply")
    body = check_body(body)
    thread = _lock_thread(thread.id)
    post = new_post(thread, actor.id, body)
    subscribe(actor.id, thread.id)
    refresh_counters(thread)
    _notify(actor, thread, post, mentioned_users(body).values(), _thread_subscribers(thread.id), "forum.replied")
    db.session.flush()
    mark = db.session.get(ReadMark, (actor.id, thread.id))
    if mark is None:
        db.session.add(ReadMark(user_id=actor.id, thread_id=thread.id, last_read_number=post.number))
    else:
        mark.last_read_number = max(mark.last_read_number, post.number)
    db.session.commit()
    return post


def edit_post(actor: User, post: ForumPost, body: str, title: str | None = None) -> ForumPost:
    """Change a post (and the thread title, for the opening post). The old text is kept for moderators."""
    _require(can_edit_post(actor, post), "forum.edit")
    body = check_body(body)
    thread = post.thread
    title = check_title(title) if post.is_opening and title is not None else thread.title
    if body == post.body_md and title == thread.title:
        return post
    before = mentioned_users(post.body_md)
    db.session.add(
        ForumPostRevision(
            post_id=post.id, body_md=post.body_md, title=thread.title if post.is_opening else "", editor_id=actor.id
        )
    )
    post.body_md, thread.title = body, title
    post.edited_at = utcnow()
    post.edit_count += 1
    now_mentioned = mentioned_users(body)
    render_post(post, now_mentioned)
    new_mentions = [user for key, user in now_mentioned.items() if key not in before and user.id != post.author_id]
    _notify(actor, thread, post, {u.id: u for u in new_mentions}.values(), (), "forum.replied")
    if actor.id != post.author_id:
        audit.record(actor, "forum.post_edit", post, label=thread.title, number=post.number)
        notifications.notify([post.author_id], "forum.post_edited", post_url(post), actor=actor, title=thread.title)
    search.queue(SEARCH_TYPE, thread.id)
    db.session.commit()
    return post


def delete_post(actor: User, post: ForumPost) -> None:
    """The author withdraws a post (soft). Deleting the opening post deletes the thread, if nobody replied."""
    if actor.id != post.author_id or not _is_active(actor):
        raise PermissionDenied("forum.delete")
    if post.deleted_at is not None:
        raise ForumError(_l("Kiriman ini sudah dihapus."))
    if post.is_opening and post.thread.reply_count > 0:
        raise ForumError(_l("Topik yang sudah dibalas tidak dapat dihapus. Ubah isinya atau hubungi moderator."))
    thread = _lock_thread(post.thread_id)
    post = db.session.get(ForumPost, post.id)
    now = utcnow()
    post.deleted_at = now
    if post.is_opening:
        thread.deleted_at = now
    _drop_solution(thread, post)
    refresh_counters(thread)
    db.session.commit()


def _drop_solution(thread: ForumThread, post: ForumPost) -> None:
    if post.is_solution:
        post.is_solution = False
        thread.solved_at = None


# ---------------------------------------------------------------- likes and solutions


def toggle_like(user: User, post: ForumPost) -> bool:
    """Like or unlike a post; returns whether the user likes it now."""
    _require(can_view_thread(user, post.thread), "forum.view")
    if not post.is_visible:
        raise ForumError(_l("Kiriman ini sudah tidak ditampilkan."))
    if post.author_id == user.id:
        raise ForumError(_l("Anda tidak dapat menyukai kiriman Anda sendiri."))
    return toggle_mark(db.session(), ForumLike, "post_id", post.id, user.id, ForumPost.like_count)


def toggle_solution(actor: User, post: ForumPost) -> bool:
    """Mark a reply as the thread's solution (unmarking the previous one), or unmark it; returns the new state."""
    thread = post.thread
    _require(can_mark_solution(actor, thread), "forum.solution")
    if post.is_opening or not post.is_visible:
        raise ForumError(_l("Hanya balasan yang tampil yang dapat ditandai sebagai solusi."))
    thread = _lock_thread(thread.id)
    post = db.session.get(ForumPost, post.id)
    marking = not post.is_solution
    db.session.execute(
        sql_update(ForumPost)
        .where(ForumPost.thread_id == thread.id, ForumPost.is_solution.is_(True))
        .values(is_solution=False)
        .execution_options(synchronize_session=False)
    )
    post.is_solution = marking
    thread.solved_at = utcnow() if marking else None
    if actor.id != thread.author_id:
        audit.record(actor, "forum.solution", post, label=thread.title, marked=marking)
    if marking and post.author_id != actor.id:
        notifications.notify([post.author_id], "forum.solution", post_url(post), actor=actor, title=thread.title)
    search.queue(SEARCH_TYPE, thread.id)
    db.session.commit()
    return marking


# ---------------------------------------------------------------- reports and moderation


def report(user: User, post: ForumPost, reason: str) -> ForumReport:
    _require(can_view_thread(user, post.thread), "forum.view")
    if not post.is_visible:
        raise ForumError(_l("Kiriman ini sudah tidak ditampilkan."))
    if post.author_id == user.id:
        raise ForumError(_l("Anda tidak dapat melaporkan kiriman Anda sendiri."))
    reason = _check_reason(reason)
    already = db.session.scalar(
        select(ForumReport.id).where(
            ForumReport.post_id == post.id, ForumReport.reporter_id == user.id, ForumReport.resolved_at.is_(None)
        )
    )
    if already:
        raise ForumError(_l("Anda sudah melaporkan kiriman ini. Moderator akan meninjaunya."))
    entry = ForumReport(post_id=post.id, reporter_id=user.id, reason=reason)
    db.session.add(entry)
    db.session.commit()
    return entry


def open_reports(actor: User) -> list[ForumReport]:
    require(actor, Permission.MODERATE)
    stmt = (
        select(ForumReport)
        .where(ForumReport.resolved_at.is_(None))
        .order_by(ForumReport.created_at, ForumReport.id)
        .options(
            joinedload(ForumReport.reporter),
            joinedload(ForumReport.post).joinedload(ForumPost.author),
            joinedload(ForumReport.post).joinedload(ForumPost.thread).joinedload(ForumThread.category),
        )
    )
    return list(db.session.scalars(stmt).unique())


def count_open_reports(actor: Any) -> int:
    if not is_moderator(actor):
        return 0
    return db.session.scalar(select(func.count()).where(ForumReport.resolved_at.is_(None))) or 0


def get_report(report_id: int) -> ForumReport | None:
    return db.session.get(ForumReport, report_id)


def _resolve_reports(actor: User, post_id: int, resolution: str) -> int:
    result = db.session.execute(
        sql_update(ForumReport)
        .where(ForumReport.post_id == post_id, ForumReport.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=actor.id, resolution=resolution)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def dismiss_reports(actor: User, post: ForumPost) -> int:
    """The reports about a post were unfounded: close them, the post stays."""
    require(actor, Permission.MODERATE)
    closed = _resolve_reports(actor, post.id, "dismissed")
    if not closed:
        raise ForumError(_l("Tidak ada laporan terbuka untuk kiriman ini."))
    audit.record(actor, "forum.report_dismiss", post, label=post.thread.title, reports=closed)
    db.session.commit()
    return closed


def hide_post(actor: User, post: ForumPost, reason: str) -> None:
    """Hide a post from members (the author sees the reason); hiding the opening post hides the thread."""
    require(actor, Permission.MODERATE)
    reason = _check_reason(reason)
    if post.hidden_at is not None:
        raise ForumError(_l("Kiriman ini sudah disembunyikan."))
    thread = _lock_thread(post.thread_id)
    post = db.session.get(ForumPost, post.id)
    now = utcnow()
    post.hidden_at, post.hidden_by_id, post.hidden_reason = now, actor.id, reason
    if post.is_opening:
        thread.hidden_at = now
    _drop_solution(thread, post)
    refresh_counters(thread)
    reports = _resolve_reports(actor, post.id, "hidden")
    audit.record(actor, "forum.post_hide", post, label=thread.title, number=post.number, reason=reason, reports=reports)
    notifications.notify(
        [post.author_id], "forum.post_hidden", post_url(post), actor=actor, title=thread.title, reason=reason
    )
    db.session.commit()


def unhide_post(actor: User, post: ForumPost) -> None:
    require(actor, Permission.MODERATE)
    if post.hidden_at is None:
        raise ForumError(_l("Kiriman ini tidak disembunyikan."))
    thread = _lock_thread(post.thread_id)
    post = db.session.get(ForumPost, post.id)
    post.hidden_at, post.hidden_by_id, post.hidden_reason = None, None, ""
    if post.is_opening:
        thread.hidden_at = None
    refresh_counters(thread)
    audit.record(actor, "forum.post_unhide", post, label=thread.title, number=post.number)
    notifications.notify([post.author_id], "forum.post_unhidden", post_url(post), actor=actor, title=thread.title)
    db.session.commit()


def set_locked(actor: User, thread: ForumThread, locked: bool) -> None:
    require(actor, Permission.MODERATE)
    if thread.is_locked == locked:
        return
    thread.is_locked = locked
    audit.record(actor, "forum.thread_lock" if locked else "forum.thread_unlock", thread)
    kind = "forum.thread_locked" if locked else "forum.thread_unlocked"
    notifications.notify([thread.author_id], kind, thread_path(thread.id), actor=actor, title=thread.title)
    db.session.commit()


def set_pinned(actor: User, thread: ForumThread, pinned: bool) -> None:
    require(actor, Permission.MODERATE)
    if thread.is_pinned == pinned:
        return
    thread.is_pinned = pinned
    audit.record(actor, "forum.thread_pin" if pinned else "forum.thread_unpin", thread)
    db.session.commit()


def move_thread(actor: User, thread: ForumThread, category_id: int | None) -> ForumCategory:
    require(actor, Permission.MODERATE)
    target = db.session.get(ForumCategory, category_id) if category_id else None
    if target is None:
        raise ForumError(_l("Kategori tujuan tidak ditemukan."), "category_id")
    if target.id == thread.category_id:
        raise ForumError(_l("Topik ini sudah berada di kategori itu."), "category_id")
    thread = _lock_thread(thread.id)
    source = thread.category
    thread.category_id = target.id
    thread.category = target
    refresh_counters(thread, source.id)
    audit.record(actor, "forum.thread_move", thread, **{"from": source.slug, "to": target.slug})
    notifications.notify(
        [thread.author_id],
        "forum.thread_moved",
        thread_path(thread.id),
        actor=actor,
        title=thread.title,
        category=target.name,
    )
    db.session.commit()
    return target


# ---------------------------------------------------------------- search support


def excerpt(post: ForumPost, length: int = 160) -> str:
    return render_plain_excerpt(post.body_md, length)


# ---------------------------------------------------------------- for the learning ledger


def accepted_answers_by(author_id: int, since: datetime) -> list[ForumPost]:
    """Visible replies of the author accepted as the answer in someone else's listed thread, solved since a moment.

    Read-only; the learning ledger lists them as knowledge sharing the author may claim (komunitas belajar).
    """
    stmt = (
        select(ForumPost)
        .join(ForumThread, ForumThread.id == ForumPost.thread_id)
        .where(
            ForumPost.author_id == author_id,
            ForumPost.is_solution.is_(True),
            ForumPost.number > 1,
            ForumPost.deleted_at.is_(None),
            ForumPost.hidden_at.is_(None),
            ForumThread.author_id != author_id,
            ForumThread.hidden_at.is_(None),
            ForumThread.deleted_at.is_(None),
            ForumThread.solved_at >= since,
        )
        .options(joinedload(ForumPost.thread))
        .order_by(ForumThread.solved_at, ForumPost.id)
    )
    return list(db.session.scalars(stmt))
