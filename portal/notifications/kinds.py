"""The registry of notification kinds: each kind's message, and for the kinds a person may set an email choice
for, a label on the settings page and the default choice.

Features register their kinds at start-up (``notifications.register_kind`` from their ``init_app``); a kind
without a label falls under the settings page's "other notifications" row (:data:`~.models.OTHER_KINDS`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, has_permission
from portal.notifications.models import EmailChoice

log = logging.getLogger("portal.notifications")

MAX_KIND_LENGTH = 40
FALLBACK_MESSAGE = _l("Ada pemberitahuan baru untuk Anda.")


@dataclass(frozen=True)
class KindOption:
    """A kind listed on the settings page: its label and the email choice of someone who has not chosen."""

    kind: str
    label: Any
    default: EmailChoice
    audience: Permission | None = None  # only people who hold it see the row (staff work); None: everyone


_messages: dict[str, Any] = {}
_options: dict[str, KindOption] = {}


def register_kind(
    kind: str,
    message: Any,
    label: Any = None,
    email: EmailChoice = EmailChoice.OFF,
    audience: Permission | None = None,
) -> None:
    """Declare a kind and its (lazy, translatable) message with ``%(name)s`` placeholders for the params.

    With a ``label`` the kind gets its own row on the settings page, with ``email`` as its default choice; with
    an ``audience`` that row is shown only to the people holding that permission (the staff the work is for).
    """
    if not kind or len(kind) > MAX_KIND_LENGTH or kind == "*":
        raise ValueError(f"Notification kind must be 1-{MAX_KIND_LENGTH} characters: {kind!r}")
    _messages[kind] = message
    if label is not None:
        _options[kind] = KindOption(kind, label, EmailChoice(email), audience)
    else:
        _options.pop(kind, None)


def is_registered(kind: str) -> bool:
    return kind in _messages


def option(kind: str) -> KindOption | None:
    return _options.get(kind)


def options(viewer: Actor | None = None) -> list[KindOption]:
    """The kinds with a row of their own (for ``viewer``: those meant for them), personal ones first."""
    found = [o for o in _options.values() if viewer is None or o.audience is None or has_permission(viewer, o.audience)]
    return sorted(found, key=lambda o: o.audience is not None)


def render_message(kind: str, params: dict[str, Any] | None) -> str:
    """The text in the current language; a generic text if the kind or params no longer fit."""
    template = _messages.get(kind)
    if template is None:
        return str(FALLBACK_MESSAGE)
    try:
        return str(template) % (params or {})
    except (KeyError, TypeError, ValueError):
        log.warning("Notification params %s do not fit the message of kind %s", sorted(params or {}), kind)
        return str(FALLBACK_MESSAGE)
