"""Mentions (@handle or @NIP) and the rendering of posts, where mentions become links to the profiles."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.core.markdown import RENDERER_VERSION, render_markdown
from portal.extensions import db
from portal.forums.models import ForumPost
from portal.forums.services.common import _path

# Mentions: @handle or @NIP, not inside code, not in an email address or a path.
_MENTION = re.compile(r"(?<![\w@/.])@(\d{18}|[A-Za-z0-9._]{3,30})")
_CODE = re.compile(r"(```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|`[^`\n]*`)", re.S)


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
