"""Forum rules: categories, threads, replies, quotes, mentions, likes, solutions, subscriptions, read marks,
reports and moderation.

One module per job; this package re-exports their public names, so callers write ``services.reply(...)``.
Every function that changes data takes the acting user, checks permission here and commits. Bad input raises
:class:`ForumError` (a user-facing message) and writes nothing. Moderation is recorded in the audit log and the
author is notified. Notifications are added in the same transaction as the post that causes them.

- ``access``: who may see and write what (category visibility)
- ``categories``: the general category, visible categories, their management
- ``topics``: thread lookups, lists, the thread page, opening a topic
- ``posts``: replies, edits, withdrawals, quotes, post lookups
- ``likes``: likes and the accepted answer
- ``moderation``: reports, hiding, locking, pinning, moving, post revisions
- ``subscriptions``: following threads and categories, the notification fan-out, read marks
- ``mentions``: @mentions and rendering posts
- ``counters``: a thread's derived counts and the write lock
- ``common``: limits, the error type, notification kinds, text checks and paths
"""

from __future__ import annotations

from portal.forums.services.access import (
    can_edit_post,
    can_mark_solution,
    can_post_in,
    can_reply,
    can_view_category,
    can_view_thread,
    is_moderator,
    is_staff,
)
from portal.forums.services.categories import (
    DESCRIPTION_MAX,
    GENERAL_SLUG,
    NAME_MAX,
    NAME_MIN,
    CategoryInput,
    create_category,
    ensure_general_category,
    get_category,
    get_category_by_id,
    manageable_categories,
    update_category,
    visible_categories,
)
from portal.forums.services.common import (
    BODY_MAX,
    NOTIFICATION_KINDS,
    REASON_MAX,
    REASON_MIN,
    SEARCH_TYPE,
    TITLE_MAX,
    TITLE_MIN,
    ForumError,
    check_body,
    check_title,
    page_of,
    post_url,
    posts_per_page,
    register_notification_kinds,
    thread_path,
)
from portal.forums.services.counters import refresh_counters
from portal.forums.services.likes import toggle_like, toggle_solution
from portal.forums.services.mentions import mentioned_users, refresh_rendering, render_body, render_post
from portal.forums.services.moderation import (
    count_open_reports,
    dismiss_reports,
    hide_post,
    move_thread,
    open_reports,
    report,
    revisions,
    set_locked,
    set_pinned,
    unhide_post,
)
from portal.forums.services.posts import (
    accepted_answers_by,
    delete_post,
    edit_post,
    excerpt,
    get_post,
    new_post,
    post_by_number,
    quote,
    reply,
)
from portal.forums.services.subscriptions import (
    ThreadRef,
    first_unread_number,
    is_subscribed_to_category,
    mark_read,
    subscribe,
    toggle_category_subscription,
    toggle_thread_subscription,
    unread_marks,
)
from portal.forums.services.topics import (
    VIEWS,
    ThreadPage,
    ThreadView,
    create_thread,
    create_thread_in,
    get_thread,
    latest_in_categories,
    list_threads,
    postable_categories,
    thread_view,
)

__all__ = [
    "accepted_answers_by",
    "BODY_MAX",
    "can_edit_post",
    "can_mark_solution",
    "can_post_in",
    "can_reply",
    "can_view_category",
    "can_view_thread",
    "CategoryInput",
    "check_body",
    "check_title",
    "count_open_reports",
    "create_category",
    "create_thread",
    "create_thread_in",
    "delete_post",
    "DESCRIPTION_MAX",
    "dismiss_reports",
    "edit_post",
    "ensure_general_category",
    "excerpt",
    "first_unread_number",
    "ForumError",
    "GENERAL_SLUG",
    "get_category",
    "get_category_by_id",
    "get_post",
    "get_thread",
    "hide_post",
    "is_moderator",
    "is_staff",
    "is_subscribed_to_category",
    "latest_in_categories",
    "list_threads",
    "manageable_categories",
    "mark_read",
    "mentioned_users",
    "move_thread",
    "NAME_MAX",
    "NAME_MIN",
    "new_post",
    "NOTIFICATION_KINDS",
    "open_reports",
    "page_of",
    "post_by_number",
    "post_url",
    "posts_per_page",
    "quote",
    "REASON_MAX",
    "REASON_MIN",
    "refresh_counters",
    "refresh_rendering",
    "register_notification_kinds",
    "render_body",
    "render_post",
    "reply",
    "report",
    "revisions",
    "SEARCH_TYPE",
    "set_locked",
    "set_pinned",
    "subscribe",
    "thread_path",
    "thread_view",
    "ThreadPage",
    "ThreadRef",
    "ThreadView",
    "TITLE_MAX",
    "TITLE_MIN",
    "toggle_category_subscription",
    "toggle_like",
    "toggle_solution",
    "toggle_thread_subscription",
    "unhide_post",
    "unread_marks",
    "update_category",
    "VIEWS",
    "visible_categories",
    "postable_categories",
]
