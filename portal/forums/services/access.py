"""Who may see and write what in the forum.

Who sees a category: everyone signed in; one unit's members; or staff (organizers, moderators, admins).
Moderators and admins see every category. A category the user may not see answers 404 and is never listed.
"""

from __future__ import annotations

from portal.core.permissions import Actor, Permission, PermissionDenied, has_permission
from portal.forums.models import ForumCategory, ForumPost, ForumThread, Visibility


def _is_active(user: Actor) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_moderator(user: Actor) -> bool:
    return has_permission(user, Permission.MODERATE)


def is_staff(user: Actor) -> bool:
    return has_permission(user, Permission.POST_ANNOUNCEMENTS)


def can_view_category(user: Actor, category: ForumCategory) -> bool:
    if not _is_active(user):
        return False
    if category.visibility == Visibility.EVERYONE or is_moderator(user):
        return True
    if category.visibility == Visibility.UNIT:
        return category.unit_id is not None and user.unit_id == category.unit_id
    return is_staff(user)


def can_post_in(user: Actor, category: ForumCategory) -> bool:
    return can_view_category(user, category) and (not category.is_read_only or is_staff(user))


def can_view_thread(user: Actor, thread: ForumThread) -> bool:
    if not can_view_category(user, thread.category):
        return False
    if thread.deleted_at is not None:
        return is_moderator(user)
    if thread.hidden_at is not None:  # the author still sees why
        return is_moderator(user) or user.id == thread.author_id
    return True


def can_reply(user: Actor, thread: ForumThread) -> bool:
    if not thread.is_listed or not can_post_in(user, thread.category):
        return False
    return not thread.is_locked or is_moderator(user)


def can_edit_post(user: Actor, post: ForumPost) -> bool:
    if not _is_active(user) or post.deleted_at is not None:
        return False
    if is_moderator(user):
        return True
    return user.id == post.author_id and post.hidden_at is None and not post.thread.is_locked


def can_mark_solution(user: Actor, thread: ForumThread) -> bool:
    return _is_active(user) and thread.is_listed and (user.id == thread.author_id or is_moderator(user))


def _require(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDenied(what)
