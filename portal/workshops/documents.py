"""Files a workshop produces: iCalendar files, participant exports, the QR image (the certificate PDF is drawn
in :mod:`.certificate_pdf`).

fpdf2's core fonts cover Latin-1 only, and no system font may be assumed on the server: certificate text is
folded to Latin-1 (accents kept where Latin-1 has them, typographic dashes and quotes simplified, anything else
replaced by "?").
"""

from __future__ import annotations

import base64
import io
import unicodedata
from collections.abc import Sequence
from datetime import datetime

import segno
from flask_babel import gettext as _
from icalendar import Calendar, Event

from portal.core.timezone import to_local
from portal.workshops.models import RegistrationStatus, Workshop
from portal.workshops.services import ParticipantRow

_TYPOGRAPHY = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"})

STATUS_LABELS = {
    RegistrationStatus.PENDING: "Menunggu persetujuan",
    RegistrationStatus.CONFIRMED: "Terkonfirmasi",
    RegistrationStatus.WAITLISTED: "Daftar tunggu",
    RegistrationStatus.REJECTED: "Ditolak",
    RegistrationStatus.CANCELLED: "Batal",
}


# ---------------------------------------------------------------- QR codes


def qr_data_uri(url: str) -> str:
    """An SVG QR code as a data: URI, for <img src> (the CSP allows data: images, not inline SVG styles)."""
    # A standalone SVG document: without its xmlns an <img> does not render it (the image had width 0).
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False, svgns=True)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# ---------------------------------------------------------------- certificate text


def latin1(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text or "")).translate(_TYPOGRAPHY)
    folded = []
    for char in text:
        try:
            char.encode("latin-1")
            folded.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
            folded.append(plain or "?")
    return "".join(folded)


# ---------------------------------------------------------------- iCalendar


def _session_events(workshop: Workshop, uid_domain: str, url: str) -> list[Event]:
    events = []
    total = len(workshop.sessions)
    for number, session in enumerate(workshop.sessions, start=1):
        event = Event()
        event.add("uid", f"workshop-{workshop.id}-session-{session.id}@{uid_domain}")
        summary = workshop.title if total == 1 else f"{workshop.title} ({number}/{total})"
        event.add("summary", summary)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("dtstamp", workshop.updated_at)
        event.add("sequence", workshop.calendar_sequence)
        event.add("location", workshop.location or workshop.online_url)
        event.add("url", url)
        event.add("description", f"{workshop.provider}\n{url}")
        if workshop.status == "cancelled":
            event.add("status", "CANCELLED")
        events.append(event)
    return events


def calendar_file(workshops: Sequence[tuple[Workshop, str]], uid_domain: str, name: str) -> bytes:
    """An .ics with one event per session; ``workshops`` pairs each workshop with its page URL."""
    cal = Calendar()
    cal.add("prodid", "-//Portal Kompetensi ASN Sawahlunto//Pelatihan//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for workshop, url in workshops:
        for event in _session_events(workshop, uid_domain, url):
            cal.add_component(event)
    return cal.to_ical()


# ---------------------------------------------------------------- participant exports (see portal.core.exports)


def _local(moment: datetime | None) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def participant_table(workshop: Workshop, rows: Sequence[ParticipantRow]) -> list[list[object]]:
    header: list[object] = [_("NIP"), _("Nama"), _("Unit kerja"), _("Status"), _("Terdaftar (WIB)")]
    header += [_("Sesi %(n)d", n=n) for n in range(1, len(workshop.sessions) + 1)]
    header.append(_("JP"))
    table = [header]
    for row in rows:
        registration = row.registration
        user = registration.user
        cells: list[object] = [
            user.nip,
            user.name,
            user.unit.name if user.unit else "",
            STATUS_LABELS[registration.status],
            _local(registration.created_at),
        ]
        cells += [_("Hadir") if s.id in row.present else "" for s in workshop.sessions]
        cells.append(workshop.jp if registration.is_completed else 0)
        table.append(cells)
    return table
