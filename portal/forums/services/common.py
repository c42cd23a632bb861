"""What the forum services share: limits, the error type, notification kinds, text checks and paths.

Services also run outside requests (tests, the CLI, the demo loader), so paths are built without one when needed.
"""

from __future__ import annotations

import math
import re
from typing import Any

from flask import current_app, has_request_context, url_for

from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Permission
from portal.forums.models import ForumPost
from portal.notifications import services as notifications
from portal.notifications.services import EmailChoice

TITLE_MIN, TITLE_MAX, BODY_MAX, REASON_MIN, REASON_MAX = 5, 200, 20_000, 5, 500
SEARCH_TYPE = "thread"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

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
# Kinds with a row on the notification settings page: (message, label, default email choice, who sees the row).
CHOICE_KINDS: dict[str, tuple[Any, Any, EmailChoice, Permission | None]] = {
    "forum.reported": (
        _l('%(actor)s melaporkan kiriman di topik "%(title)s": %(reason)s'),
        _l("Kiriman forum dilaporkan (moderator)"),
        EmailChoice.DIGEST,
        Permission.MODERATE,
    ),
    "forum.report_hidden": (
        _l('Laporan Anda tentang kiriman di topik "%(title)s" sudah ditangani: kirimannya disembunyikan.'),
        _l("Laporan saya ditangani: kiriman disembunyikan"),
        EmailChoice.DIGEST,
        None,
    ),
    "forum.report_dismissed": (
        _l('Laporan Anda tentang kiriman di topik "%(title)s" sudah ditinjau moderator: kirimannya tetap tampil.'),
        _l("Laporan saya ditinjau: kiriman tetap tampil"),
        EmailChoice.DIGEST,
        None,
    ),
}


class ForumError(RuleError):
    """A forum rule was broken."""


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message)
    for kind, (message, label, email, audience) in CHOICE_KINDS.items():
        notifications.register_kind(kind, message, label=label, email=email, audience=audience)


def posts_per_page() -> int:
    return current_app.config["FORUMS_POSTS_PER_PAGE"]


def _path(endpoint: str, **values: Any) -> str:
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("").build(endpoint, values)


def thread_path(thread_id: int) -> str:
    return _path("forums.thread", thread_id=thread_id)


def report_path(report_id: int) -> str:
    """The report in the moderators' queue."""
    return _path("forums.moderation") + f"#report-{report_id}"


def post_url(post: ForumPost) -> str:
    """The permalink: it redirects to the page that holds the post, whatever page size is set later."""
    return _path("forums.post", post_id=post.id)


def page_of(number: int) -> int:
    return max(1, math.ceil(number / posts_per_page()))


def _one_line(text: str | None) -> str:
    return " ".join(_CONTROL_CHARACTERS.sub("", text or "").split())


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
