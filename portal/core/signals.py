"""Signals between features, so one feature can tell another what happened without importing it.

One :class:`blinker.Namespace` for the portal. A feature *sends*; another *subscribes* at start-up (in its
``init_app``). Receivers run synchronously inside the sender's database transaction: they write through
``db.session`` and never commit, so the sender's commit (or rollback) covers their rows too.

Each signal documents its sender and keyword arguments; add new ones here with the same care.
"""

from __future__ import annotations

from blinker import Namespace

portal_signals = Namespace()

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
