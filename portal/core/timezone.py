"""The portal's one wall clock: timestamps are stored as aware UTC and shown in the city's zone (WIB).

Every feature formats and parses local times through these helpers, so a change of zone setting
(``BABEL_DEFAULT_TIMEZONE``) reaches services, exports, reminders and forms alike.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(local_zone())


def local_moment(day: date, clock: time) -> datetime:
    """A wall-clock time in Sawahlunto (WIB) as an aware datetime."""
    return datetime.combine(day, clock, tzinfo=local_zone())


def format_local(moment: datetime) -> str:
    """For messages built outside templates (services, CLI): 05-03-2026 08.00 WIB."""
    return to_local(moment).strftime("%d-%m-%Y %H.%M WIB")


def naive_local(moment: datetime | None) -> datetime | None:
    """For a ``datetime-local`` form field, which knows no zone: the local wall-clock time."""
    return to_local(moment).replace(tzinfo=None) if moment else None


def aware_local(moment: datetime | None) -> datetime | None:
    """The inverse of :func:`naive_local`: a form's wall-clock time read as local."""
    return moment.replace(tzinfo=local_zone()) if moment else None
