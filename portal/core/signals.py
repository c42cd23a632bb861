"""Signals between features, so one feature can tell another what happened without importing it.

One :class:`blinker.Namespace` for the portal. A feature *sends*; another *subscribes* at start-up (in its
``init_app``). Receivers run synchronously inside the sender's database transaction: they write through
``db.session`` and never commit, so the sender's commit (or rollback) covers their rows too.

Each signal documents its sender and keyword arguments; add new ones here with the same care.

A signal can also ask a question the lower feature cannot answer itself (features import in one direction, see
``docs/architecture.md``): the receivers return their answers and :func:`answers` collects them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from blinker import Namespace, Signal

portal_signals = Namespace()


@dataclass(frozen=True)
class Step:
    """Something a person still has to do elsewhere, as an endpoint for ``url_for`` (services have no request)."""

    endpoint: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """A block another feature adds to a page: the template to include and the data it shows (``section.data``)."""

    template: str
    data: Mapping[str, Any] = field(default_factory=dict)


class Notice(Protocol):
    """A warning another feature gives about a person: ``message()`` for them, ``note()`` for the organizer."""

    def message(self) -> str: ...

    def note(self) -> str: ...


registration_completed = portal_signals.signal("workshops.registration-completed")
"""A workshop registration is completed: its last session has ended and the completion rule holds.

Sent by :mod:`portal.workshops` on the first completion and again whenever a completed registration is
re-checked (attendance corrected, the workshop's JP, dates or title edited), so receivers must be idempotent.
Learning credits (or updates) the participant's JP record for the workshop.

- sender: the :class:`portal.workshops.models.Workshop`
- ``user_id`` (int): the participant
- ``workshop_id`` (int)
- ``title`` (str), ``provider`` (str), ``development_type_id`` (int | None)
- ``start_date``, ``end_date`` (:class:`datetime.date`, local calendar dates of the first and last session)
- ``jp`` (int): the workshop's JP
- ``certificate_number`` (str): the certificate issued for the registration
- ``competencies`` (list of :class:`portal.competencies.models.Competency`)
"""

registration_completion_withdrawn = portal_signals.signal("workshops.registration-completion-withdrawn")
"""A workshop registration does not (or no longer) complete the workshop: attendance was corrected, the
participant cancelled or was removed, or the workshop changed. Sent whenever a registration that may have been
credited is re-checked and found incomplete, so receivers must accept a registration that was never credited.
Learning removes the participant's JP record for the workshop, if any.

- sender: the :class:`portal.workshops.models.Workshop`
- ``user_id`` (int): the participant
- ``workshop_id`` (int)
"""


certificate_pending = portal_signals.signal("workshops.certificate-pending")
"""Asks whether a completed participant must still do something before the workshop certificate unlocks.
Asked by :mod:`portal.workshops.services.certificates` (``certificate_step``, ``certificate_unlocked``).
Feedback answers with the workshop's evaluation form while it takes answers and the participant has not answered.

- sender: the completed :class:`portal.workshops.models.Registration`
- no kwargs
- returns: a :class:`Step` (where to go), or ``None``
"""

registration_warnings = portal_signals.signal("workshops.registration-warnings")
"""Asks whether signing these people up for a workshop takes them past a limit of theirs: a warning, never a
refusal. Asked by :mod:`portal.workshops.services.jp_ceiling` (the sign-up box, the organizer's list of
registrations). Learning answers with the PPPK whose contract year's JP ceiling the workshop would pass.

- sender: the :class:`portal.workshops.models.Workshop`
- ``users`` (list of :class:`portal.accounts.models.User`)
- ``completed`` (frozenset of user ids): those whose attendance of it is already credited
- returns: a dict user id -> :class:`Notice` (only the people warned), or ``None``
"""

workshop_dashboard_sections = portal_signals.signal("workshops.dashboard-sections")
"""Collects the blocks other features show on a workshop's organizer dashboard
(``workshops.organizer_views.dashboard``). Feedback answers with the workshop's evaluation forms.

- sender: the :class:`portal.workshops.models.Workshop`
- ``viewer``: the organizer looking
- returns: a :class:`Section`, or ``None``
"""

workshop_page_sections = portal_signals.signal("workshops.page-sections")
"""Collects the blocks other features show on a workshop's page (``workshops.views.show``). Planning answers with
the program of the city's development plan the workshop carries out and, for an invited viewer, the invitation
(with its decline button); feedback with the competency needs the workshop answers.

- sender: the :class:`portal.workshops.models.Workshop`
- ``viewer``: who looks
- returns: a :class:`Section`, or ``None``
"""

workshop_created = portal_signals.signal("workshops.workshop-created")
"""A workshop draft was created (``workshops.services.create``), in its transaction: receivers add their rows
and do not commit. ``origin`` is the opaque "where from" the create form carried from the page that opened it
("program:12" from a plan program, "kebutuhan:7" from a competency need; empty otherwise): the receiver that
owns the prefix links the workshop, checking it itself, and ignores any other.

- sender: the new :class:`portal.workshops.models.Workshop` (flushed: it has an id)
- ``actor``: the organizer who created it
- ``origin`` (str)
"""

profile_sections = portal_signals.signal("accounts.profile-sections")
"""Collects the blocks other features show on a person's profile page (``accounts.views.profile``). Articles
answers with the person's articles (all of them for the author and moderators, else the published ones).

- sender: the :class:`portal.accounts.models.User` whose profile it is
- ``viewer``: who looks
- returns: a :class:`Section`, or ``None``
"""

language_chosen = portal_signals.signal("core.language-chosen")
"""A signed-in person switched the interface language (``core.views.set_language``; the session keeps it too).
Accounts saves it as the person's preference for their next sign-in; this receiver commits its own write (the
sender has no unit of work of its own).

- sender: the signed-in :class:`portal.accounts.models.User`
- ``locale`` (str): one of ``LANGUAGES``
"""


account_verified = portal_signals.signal("accounts.account-verified")
"""An administrator verified a person's account (``accounts.services.verify``): they can sign in now.
Notifications tells the person (in the portal and, by default, by email). Receivers do not commit.

- sender: the verified :class:`portal.accounts.models.User`
- ``actor``: the administrator who verified it
"""


home_page = portal_signals.signal("core.home-page")
"""Asks for the page at ``/`` (``core.views.home``): the home feature answers with a signed-in person's home or
the public landing page. Without an answer core shows its static welcome page.

- sender: the current user (anonymous or signed in)
- returns: the response (a rendered page), or ``None``
"""


def answers(signal: Signal, sender: Any, **kwargs: Any) -> list[Any]:
    """The receivers' non-None answers, in the order they subscribed."""
    return [value for _receiver, value in signal.send(sender, **kwargs) if value is not None]
