"""What learning does when other features signal (portal.core.signals): workshop completions credit JP, and
learning answers whether a sign-up takes a PPPK past their JP ceiling.

Connected once per app in :func:`portal.learning.init_app`; the receivers run inside the sender's transaction
and never commit.
"""

from __future__ import annotations

from typing import Any

from portal.core import signals
from portal.learning.services import AttendanceCredit, credit_workshop_attendance, void_workshop_attendance
from portal.learning.services.jp_ceiling import answer_registration_warnings


def _on_registration_completed(_workshop: object, *, user_id: int, workshop_id: int, **credit: Any) -> None:
    credit_workshop_attendance(user_id, workshop_id, AttendanceCredit(**credit))


def _on_registration_completion_withdrawn(_workshop: object, *, user_id: int, workshop_id: int) -> None:
    void_workshop_attendance(user_id, workshop_id)


def connect() -> None:
    """Subscribe to the workshop signals (idempotent: connecting the same receiver again changes nothing)."""
    signals.registration_completed.connect(_on_registration_completed)
    signals.registration_completion_withdrawn.connect(_on_registration_completion_withdrawn)
    signals.registration_warnings.connect(answer_registration_warnings)
