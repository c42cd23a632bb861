"""Per-person email choices: for each kind with a label (and one row for all other kinds) email immediately, in
the daily digest, or not at all. In the portal every notification always appears.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor
from portal.extensions import db
from portal.notifications import kinds
from portal.notifications.models import OTHER_KINDS, EmailChoice, NotificationPreference

OTHER_LABEL = _l("Pemberitahuan lainnya (balasan, sebutan, pelatihan, artikel, ...)")
CHOICE_LABELS: dict[EmailChoice, Any] = {
    EmailChoice.IMMEDIATE: _l("Segera"),
    EmailChoice.DIGEST: _l("Ringkasan harian"),
    EmailChoice.OFF: _l("Tidak"),
}


class PreferenceError(RuleError):
    """A choice the settings page does not offer."""


@dataclass(frozen=True)
class Row:
    """One line of the settings page: the kind (or ``OTHER_KINDS``), its label and the person's choice."""

    kind: str
    label: Any
    choice: EmailChoice


def _default(kind: str) -> EmailChoice:
    option = kinds.option(kind)
    return option.default if option is not None else EmailChoice.OFF


def rows_for(user: Actor) -> list[Row]:
    """The settings page: every kind with a label, then the row for all other kinds."""
    saved = {
        pref.kind: pref.email
        for pref in db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    rows = [Row(o.kind, o.label, saved.get(o.kind, o.default)) for o in kinds.options(user)]
    rows.append(Row(OTHER_KINDS, OTHER_LABEL, saved.get(OTHER_KINDS, EmailChoice.OFF)))
    return rows


def choices_for(user_ids: list[int], kind: str) -> dict[int, EmailChoice]:
    """Each recipient's email choice for ``kind``: their row for it, else the kind's default when it has a
    label of its own, else their row for all other kinds (default: no email)."""
    if not user_ids:
        return {}
    own_row = kinds.option(kind) is not None
    wanted = kind if own_row else OTHER_KINDS
    rows = db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.email).where(
            NotificationPreference.user_id.in_(user_ids), NotificationPreference.kind == wanted
        )
    )
    saved: dict[int, EmailChoice] = {row.user_id: row.email for row in rows}
    default = _default(kind)
    return {user_id: EmailChoice(saved.get(user_id, default)) for user_id in user_ids}


def _parse(user: Actor, choices: Mapping[str, str]) -> dict[str, EmailChoice]:
    allowed = {o.kind for o in kinds.options(user)} | {OTHER_KINDS}
    parsed: dict[str, EmailChoice] = {}
    for kind, value in choices.items():
        if kind not in allowed:
            raise PreferenceError(_l("Jenis pemberitahuan itu tidak dikenal. Muat ulang halaman."))
        try:
            parsed[kind] = EmailChoice(value)
        except ValueError:
            raise PreferenceError(_l("Pilih segera, ringkasan harian, atau tidak."), kind) from None
    return parsed


def save(user: Actor, choices: Mapping[str, str]) -> int:
    """Store the person's choices (kind -> "immediate" / "digest" / "off") for the rows shown to them; a kind or
    value the page does not offer refuses the whole form and nothing changes. Returns how many were given."""
    parsed = _parse(user, choices)
    existing = {
        pref.kind: pref
        for pref in db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    for kind, choice in parsed.items():
        pref = existing.get(kind)
        if pref is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, email=choice))
        else:
            pref.email = choice
    try:
        db.session.commit()
    except IntegrityError:  # the same person saved in another tab at the same moment
        db.session.rollback()
        raise PreferenceError(
            _l("Pengaturan ini baru saja disimpan dari tab lain. Periksa lalu simpan lagi.")
        ) from None
    return len(parsed)


def choice(user: Actor, kind: str) -> EmailChoice:
    return choices_for([user.id], kind)[user.id]
