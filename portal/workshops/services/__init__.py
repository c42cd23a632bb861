"""Workshop rules: authoring, sign-up with a waiting list, attendance, JP credit, certificates, reminders.

Every change takes the acting user, checks permission here and commits. Bad input raises
:class:`WorkshopError` (a user-facing message) and writes nothing.

**Seats are never overbooked.** Everything that reads registrations to decide what to write (sign-up,
cancellation, approval, capacity changes, attendance) runs inside ``_locked`` (``common``): a write transaction
taken *before* the read (``BEGIN IMMEDIATE`` on SQLite) plus ``SELECT … FOR UPDATE`` on the workshop row
(PostgreSQL), so two requests for one workshop run one after the other. A unique constraint on
(workshop, user) backs up "one registration per person". Freed seats go to the waiting list in arrival order
(``queued_at``, then id) inside the same transaction, so each promotion happens exactly once.

Organizers manage their own workshops, admins all of them. Published, cancelled and completed workshops are
visible to every signed-in user; drafts only to whoever may manage them.

One module per job; callers use the names re-exported here (``from portal.workshops import services``):

| module | job |
|---|---|
| ``common`` | limits, :class:`WorkshopError`, notification kinds, who may do what, the lock, shared steps |
| ``lookups`` | one workshop, a person's registration, seat counts, waiting positions |
| ``validation`` | form input checked and normalised (:func:`validate_input`) |
| ``jp`` | the workshop's JP from the JP rule of its type, or the organizer's figure with a reason; how it was reached |
| ``authoring`` | create, edit, publish, cancel, mark completed |
| ``registration`` | sign up, leave, the waiting list, the organizer's decisions on registrations |
| ``jp_ceiling`` | the warning when a sign-up would take a PPPK past their JP ceiling (asked of learning by a signal) |
| ``attendance`` | attendance ticks and QR check-in, within each session's attendance window |
| ``completion`` | completion once the last session ended, JP credit through ``portal.core.signals`` |
| ``certificates`` | certificate numbers, contents, unlocking after the evaluation, verification, the preview |
| ``certificate_profiles`` | who signs certificates and whose logo heads them (unit, city default, workshop) |
| ``browsing`` | the list, the month calendar, my workshops, organizer lists, dashboard figures |
| ``calendar`` | the private calendar feed token |
| ``reminders`` | reminders the day before a workshop |
"""

from __future__ import annotations

# Older callers read the wall-clock helpers through this package; they live in portal.core.timezone.
from portal.core.timezone import local_moment, to_local
from portal.workshops.services.attendance import (
    AttendanceState,
    CheckInResult,
    attendance_state,
    attendance_window,
    check_in,
    checkin_problem,
    checkin_window,
    present_session_ids,
    session_by_code,
    set_attendance,
)
from portal.workshops.services.authoring import (
    apply_values,
    cancel_workshop,
    complete_workshop,
    create,
    publish,
    update,
)
from portal.workshops.services.browsing import (
    CalendarDay,
    FillAndAttendance,
    MyWorkshop,
    ParticipantRow,
    WorkshopFill,
    WorkshopFilters,
    calendar_month,
    fill_and_attendance,
    list_upcoming,
    listing_changes_at,
    managed_workshops,
    my_workshops,
    participants,
    upcoming_for_competencies,
)
from portal.workshops.services.calendar import (
    confirmed_workshops,
    feed_owner,
    feed_token,
    renew_feed_token,
    revoke_feed_token,
)
from portal.workshops.services.certificate_profiles import (
    LOGO_SUBDIR,
    CertificateLook,
    Signer,
    SignerInput,
    certificate_look,
    check_signer,
    logo_file,
    profile_of,
    remove_logo,
    save_signer,
    upload_logo,
)
from portal.workshops.services.certificates import (
    CertificateData,
    certificate_for,
    certificate_preview,
    certificate_step,
    certificate_unlocked,
    verify_certificate,
)
from portal.workshops.services.common import (
    WorkshopError,
    can_manage,
    can_organize,
    can_view,
    format_when,
    register_notification_kinds,
    workshop_url,
)
from portal.workshops.services.completion import complete_due, completed_registrations, has_ended
from portal.workshops.services.jp import JpExplanation, explain_jp, jp_explanations
from portal.workshops.services.jp_ceiling import ceiling_warning, registration_warnings
from portal.workshops.services.lookups import (
    confirmed_count,
    count_participants,
    get,
    get_session,
    get_visible,
    pending_approval,
    registration_of,
    seats_left,
    seats_taken,
    waiting_position,
)
from portal.workshops.services.registration import (
    add_participant,
    approve,
    cancel,
    cancellation_deadline,
    cancellation_problem,
    register,
    registration_problem,
    reject,
    remove_participant,
)
from portal.workshops.services.reminders import send_reminders
from portal.workshops.services.validation import SessionInput, ValidatedWorkshop, WorkshopInput, validate_input

__all__ = [
    "AttendanceState",
    "CalendarDay",
    "CertificateData",
    "CheckInResult",
    "FillAndAttendance",
    "JpExplanation",
    "MyWorkshop",
    "ParticipantRow",
    "LOGO_SUBDIR",
    "CertificateLook",
    "SessionInput",
    "Signer",
    "SignerInput",
    "ValidatedWorkshop",
    "WorkshopError",
    "WorkshopFill",
    "WorkshopFilters",
    "WorkshopInput",
    "add_participant",
    "apply_values",
    "approve",
    "attendance_state",
    "attendance_window",
    "calendar_month",
    "can_manage",
    "can_organize",
    "can_view",
    "cancel",
    "ceiling_warning",
    "cancel_workshop",
    "cancellation_deadline",
    "cancellation_problem",
    "certificate_for",
    "certificate_look",
    "certificate_preview",
    "certificate_step",
    "check_signer",
    "logo_file",
    "profile_of",
    "remove_logo",
    "save_signer",
    "upload_logo",
    "certificate_unlocked",
    "check_in",
    "checkin_problem",
    "checkin_window",
    "complete_due",
    "complete_workshop",
    "completed_registrations",
    "confirmed_count",
    "confirmed_workshops",
    "count_participants",
    "create",
    "explain_jp",
    "feed_owner",
    "feed_token",
    "fill_and_attendance",
    "format_when",
    "get",
    "get_session",
    "get_visible",
    "jp_explanations",
    "has_ended",
    "list_upcoming",
    "listing_changes_at",
    "local_moment",
    "managed_workshops",
    "my_workshops",
    "participants",
    "present_session_ids",
    "publish",
    "register",
    "register_notification_kinds",
    "registration_of",
    "registration_problem",
    "registration_warnings",
    "reject",
    "remove_participant",
    "renew_feed_token",
    "revoke_feed_token",
    "seats_left",
    "pending_approval",
    "seats_taken",
    "send_reminders",
    "session_by_code",
    "set_attendance",
    "to_local",
    "upcoming_for_competencies",
    "update",
    "validate_input",
    "verify_certificate",
    "waiting_position",
    "workshop_url",
]
