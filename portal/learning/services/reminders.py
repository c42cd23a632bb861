"""Reminders to ASN below their JP target: the quarterly cron (``flask learning remind``) and the dashboard's
"Kirim pengingat" action of a unit head or BKPSDM. Only people with a *target* (PNS, CPNS) are reminded: a PPPK's
yearly figure is a ceiling (:mod:`.targets`), never something to catch up on.

Both are idempotent through :class:`LearningReminder` rows, unique per person and period: the cron's period is
the quarter ("2026-Q4"), the dashboard action's is the day in WIB ("2026-11-28"), so a head who presses the button
twice (or two heads of the city on the same day) reminds each person once. The rows, the notifications and the
audit entry are written in one transaction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.audit import services as audit
from portal.core.database import write_transaction
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import PermissionDenied
from portal.core.types import utcnow
from portal.extensions import db
from portal.learning.models import LearningReminder
from portal.learning.services import oversight
from portal.learning.services.common import local_today, path_for
from portal.learning.services.dashboard import Person, below_target, current_year, people
from portal.notifications import services as notifications
from portal.units import services as units

LAST_QUARTER_FROM_MONTH = 10
CRON_KIND = "learning.reminder"
UNIT_KIND = "learning.reminder_unit"
NOTIFICATION_KINDS: dict[str, Any] = {
    CRON_KIND: _l(
        "Pengingat: JP pengembangan kompetensi Anda tahun %(year)s baru %(jp)s dari target %(target)s JP. "
        "Masih kurang %(missing)s JP sebelum akhir tahun."
    ),
    UNIT_KIND: _l(
        "%(actor)s mengingatkan: JP pengembangan kompetensi Anda tahun %(year)s baru %(jp)s dari target "
        "%(target)s JP (kurang %(missing)s JP)."
    ),
}


class ReminderError(RuleError):
    """A reminder request was refused."""


def register_notification_kinds() -> None:
    for kind, message in NOTIFICATION_KINDS.items():
        notifications.register_kind(kind, message)


def in_last_quarter(now: datetime | None = None) -> bool:
    return local_today(now).month >= LAST_QUARTER_FROM_MONTH


def quarter_period(year: int, today: date) -> str:
    """ "2026-Q4": the quarter of ``today`` in the current year; for another year, its last quarter."""
    quarter = (today.month - 1) // 3 + 1 if year == today.year else 4
    return f"{year}-Q{quarter}"


def _remind(
    due: Sequence[Person], period: str, kind: str, year: int, now: datetime, actor: User | None = None
) -> tuple[int, int]:
    """Mark and notify whoever in ``due`` was not reminded for ``period`` yet; returns (sent, already).

    Does not commit. People with the same JP and target share one ``notify`` call, so the number of queries does
    not grow with the number of people.
    """
    already = set(db.session.scalars(select(LearningReminder.user_id).where(LearningReminder.period == period)))
    fresh = [person for person in due if person.user_id not in already]
    db.session.add_all(
        LearningReminder(user_id=p.user_id, period=period, jp_at_reminder=p.jp, sent_at=now) for p in fresh
    )
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for person in fresh:
        groups[(person.jp, person.target)].append(person.user_id)
    url = path_for("learning.index", tahun=year)  # the person's ledger for the year
    for (jp, target), user_ids in groups.items():
        notifications.notify(user_ids, kind, url, actor=actor, year=year, jp=jp, target=target, missing=target - jp)
    return len(fresh), len(due) - len(fresh)


def _commit_or_count_as_sent(counts: Counter[str], sent: int) -> None:
    """Commit; if a concurrent run reminded the same people first, theirs stands and ours is dropped."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        counts["already"] += sent
        counts["sent"] -= sent


def send_reminders(now: datetime | None = None, force: bool = False, year: int | None = None) -> Counter[str]:
    """Remind every counted ASN below target, once per quarter; only in October–December unless ``force``.

    Returns counts: ``sent``, ``already`` (reminded earlier this period), ``reached`` (at or above target),
    ``ceiling`` (PPPK, whose figure is a ceiling: never reminded). An empty Counter outside the last quarter.
    """
    now = now or utcnow()
    if not force and not in_last_quarter(now):
        return Counter()
    today = local_today(now)
    year = year or today.year
    period = quarter_period(year, today)
    write_transaction(db.session())
    everyone = people(year, today=today)
    due = below_target(everyone)
    sent, already = _remind(due, period, CRON_KIND, year, now)
    counts = Counter(
        sent=sent,
        already=already,
        reached=sum(p.reached for p in everyone),
        ceiling=sum(not p.has_target for p in everyone),
    )
    _commit_or_count_as_sent(counts, sent)
    return counts


def remind_unit(
    actor: User, unit_id: int, year: int, user_ids: Sequence[int] | None = None, now: datetime | None = None
) -> Counter[str]:
    """The dashboard's "Kirim pengingat": notify the unit's people below target (``user_ids``: only those; None:
    all of them) about the current year, at most once a day each; audited.

    Returns counts: ``sent``, ``already`` (reminded today), ``skipped`` (chosen but not below target in the unit).
    """
    unit = units.get(unit_id)
    if unit is None or not oversight.can_oversee_unit(actor, unit.id):
        raise PermissionDenied("view_all_learning")
    if year != current_year():
        raise ReminderError(_l("Pengingat hanya dapat dikirim untuk tahun berjalan."), "tahun")
    if user_ids is not None and not user_ids:
        raise ReminderError(_l("Pilih pegawai yang akan diingatkan."), "user_ids")
    now = now or utcnow()
    write_transaction(db.session())
    behind = [p for p in below_target(people(year, [unit.id], today=local_today(now))) if p.user_id != actor.id]
    chosen = behind if user_ids is None else [p for p in behind if p.user_id in set(user_ids)]
    sent, already = _remind(chosen, local_today(now).isoformat(), UNIT_KIND, year, now, actor=actor)
    counts = Counter(sent=sent, already=already, skipped=0 if user_ids is None else len(set(user_ids)) - len(chosen))
    audit.record(actor, "learning.reminders_sent", unit, year=year, sent=sent, already=already)
    _commit_or_count_as_sent(counts, sent)
    return counts
