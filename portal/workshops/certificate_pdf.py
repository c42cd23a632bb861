"""The certificate PDF: A4 landscape in the style of the city's certificates.

From the top: the unit's (or the city's) logo, the government and unit heading, the title and number, the
participant's name and NIP, the workshop, its dates and JP; at the bottom the verification QR code with its URL
on the left and the place-and-date line with the signer block on the right. Long names and titles shrink (down to
a floor) and wrap to at most two lines, so nothing overlaps. The organizer's preview carries a "CONTOH /
PRATINJAU" watermark across the page.

fpdf2's core fonts (Times, Helvetica) are used, so no font file is needed on the server; text is folded to
Latin-1 (``documents.latin1``), which covers Indonesian.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import cast

import segno
from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from portal.workshops.documents import latin1 as _latin1
from portal.workshops.services import CertificateData

PAGE_W, PAGE_H = 297.0, 210.0  # mm, A4 landscape (842 x 595 pt)
MARGIN = 20.0  # text keeps this far from the paper's edge
TEXT_W = PAGE_W - 2 * MARGIN
GREEN = (20, 83, 45)
GOLD = (176, 141, 50)
INK = (30, 30, 30)
BOTTOM_TOP = 142.0  # where the QR code and the signer block begin; the middle text ends above it
QR_SIZE = 30.0
SIGN_W = 95.0  # the signer block's width, right-aligned to the text margin


@dataclass(frozen=True)
class Place:
    government: str  # "Pemerintah Kota Sawahlunto"
    town: str  # "Sawahlunto", the place of the place-and-date line


class _Certificate:
    def __init__(self, data: CertificateData, place: Place, verify_url: str) -> None:
        self.data, self.place, self.verify_url = data, place, verify_url
        self.pdf = FPDF(orientation="landscape", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.set_title(_latin1(_("Sertifikat %(number)s", number=data.number)))
        self.pdf.set_creator("Portal Kompetensi ASN Sawahlunto")
        self.pdf.add_page()
        self.pdf.set_text_color(*INK)

    # ------------------------------------------------------------ text helpers

    def lines(self, text: str, width: float, family: str, style: str, size: float) -> list[str]:
        self.pdf.set_font(family, style, size)
        result = self.pdf.multi_cell(
            width, size * 0.45, _latin1(text), align="C", dry_run=True, output=MethodReturnValue.LINES
        )
        return [str(line) for line in cast("list[object]", result)]

    def fit(
        self, text: str, width: float, family: str, style: str, sizes: tuple[float, float], max_lines: int
    ) -> float:
        """The largest size from ``sizes[0]`` down to ``sizes[1]`` at which the text wraps to ``max_lines`` or
        fewer lines (the floor when none does: the text may then take one more line)."""
        size = sizes[0]
        while size > sizes[1] and len(self.lines(text, width, family, style, size)) > max_lines:
            size -= 0.5
        return size

    def text(
        self, text: str, size: float, style: str = "", family: str = "Times", *, y: float | None = None,
        x: float = MARGIN, width: float = TEXT_W, align: str = "C", leading: float = 1.25,
    ) -> float:  # fmt: skip
        """Write centred (or aligned) text wrapped to ``width``; returns the y below it."""
        if y is not None:
            self.pdf.set_y(y)
        self.pdf.set_x(x)
        self.pdf.set_font(family, style, size)
        self.pdf.multi_cell(width, size * 0.3528 * leading, _latin1(text), align=align)
        return self.pdf.get_y()

    # ------------------------------------------------------------ parts

    def frame(self) -> None:
        pdf = self.pdf
        pdf.set_draw_color(*GREEN)
        pdf.set_line_width(1.6)
        pdf.rect(8, 8, PAGE_W - 16, PAGE_H - 16)
        pdf.set_draw_color(*GOLD)
        pdf.set_line_width(0.5)
        pdf.rect(11.5, 11.5, PAGE_W - 23, PAGE_H - 23)

    def heading(self) -> float:
        y = 15.0
        if self.data.logo_path is not None:
            self.pdf.image(str(self.data.logo_path), x=PAGE_W / 2 - 40, y=y, w=80, h=20, keep_aspect_ratio=True)
            y += 22.0
        y = self.text(self.place.government.upper(), 12, "B", y=y)
        unit = self.data.unit_name
        if unit and unit.casefold() != self.place.government.casefold():
            size = self.fit(unit.upper(), TEXT_W, "Times", "B", (13, 9), 1)
            y = self.text(unit.upper(), size, "B", y=y)
        self.pdf.set_draw_color(*GREEN)
        self.pdf.set_line_width(0.4)
        self.pdf.line(MARGIN + 40, y + 1.5, PAGE_W - MARGIN - 40, y + 1.5)
        return y + 3.5

    def middle(self, top: float, gap: float = 0.0) -> float:
        """Title to competencies from ``top``, ``gap`` extra mm between the groups; returns the y below."""
        data = self.data
        name_size = self.fit(data.name, TEXT_W - 20, "Times", "B", (24, 13), 2)
        title_size = self.fit(data.workshop_title, TEXT_W - 10, "Times", "B", (17, 11), 2)
        y = self.text(_("SERTIFIKAT"), 32, "B", y=top, leading=1.1)
        y = self.text(_("Nomor: %(number)s", number=data.number), 10.5, y=y)
        y = self.text(_("diberikan kepada"), 12, "I", y=y + 2 + gap)
        y = self.text(data.name, name_size, "B", y=y + 0.5, x=MARGIN + 10, width=TEXT_W - 20, leading=1.15)
        y = self.text(_("NIP %(nip)s", nip=data.nip), 12, y=y)
        y = self.text(_("yang telah mengikuti dan menyelesaikan"), 12, "I", y=y + 2 + gap)
        y = self.text(data.workshop_title, title_size, "B", y=y + 0.5, x=MARGIN + 5, width=TEXT_W - 10, leading=1.15)
        details = _("%(dates)s · %(jp)d JP", dates=_date_range(data), jp=data.jp)
        if data.development_type:
            details = f"{details} · {data.development_type}"
        y = self.text(details, 11.5, y=y + 0.5 + gap / 2)
        provider = _("Penyelenggara: %(provider)s", provider=data.provider)
        y = self.text(provider, self.fit(provider, TEXT_W, "Times", "", (11, 8), 1), y=y)
        if data.competencies and y < BOTTOM_TOP - 6:
            listed = _("Kompetensi: %(list)s", list=", ".join(data.competencies))
            y = self.text(listed, self.fit(listed, TEXT_W, "Times", "", (10, 7), 1), y=y)
        return y

    def spread_middle(self, top: float) -> None:
        """The middle text, measured on a scratch page first, then spread over the room above the bottom blocks."""
        scratch = _Certificate(self.data, self.place, self.verify_url)
        used = scratch.middle(top) - top
        room = max(BOTTOM_TOP - 2 - top - used, 0.0)
        gap = min(room / 3, 5.0)
        self.middle(top + max(room - 2.5 * gap, 0.0) / 2, gap)

    def verification(self) -> None:
        qr_png = io.BytesIO()
        segno.make(self.verify_url, error="m").save(qr_png, kind="png", scale=8, border=2)
        qr_png.seek(0)
        x, y = MARGIN + 2, BOTTOM_TOP + 8
        self.pdf.image(qr_png, x=x, y=y, w=QR_SIZE, h=QR_SIZE)
        width = 90.0
        self.text(_("Pindai untuk memeriksa keaslian sertifikat ini:"), 7.5, "", "Helvetica",
                  y=y + QR_SIZE + 0.5, x=x, width=width, align="L")  # fmt: skip
        self.text(self.verify_url, 7, "", "Helvetica", x=x, width=width, align="L")

    def signer(self) -> None:
        data, x = self.data, PAGE_W - MARGIN - SIGN_W
        issued = format_date(data.issued_on or data.end_date, "d MMMM y")
        y = self.text(f"{self.place.town}, {issued}", 12, y=BOTTOM_TOP + 3, x=x, width=SIGN_W)
        signer = data.signer
        if signer is None:
            return
        size = self.fit(signer.position, SIGN_W, "Times", "B", (12, 9), 2)
        y = self.text(signer.position, size, "B", y=y, x=x, width=SIGN_W)
        y = max(y + 18, BOTTOM_TOP + 32)  # room for the signature and stamp
        size = self.fit(signer.name, SIGN_W, "Times", "BU", (12, 9), 1)
        y = self.text(signer.name, size, "BU", y=y, x=x, width=SIGN_W)
        if signer.nip:
            self.text(_("NIP %(nip)s", nip=signer.nip), 11, y=y, x=x, width=SIGN_W)

    def watermark(self) -> None:
        pdf = self.pdf
        with pdf.local_context(fill_opacity=0.18, text_color=(200, 30, 30)):
            pdf.set_font("Helvetica", "B", 52)  # clears the QR code and the signer block
            mark = _latin1(_("CONTOH / PRATINJAU"))
            width = pdf.get_string_width(mark)
            with pdf.rotation(24, x=PAGE_W / 2, y=PAGE_H / 2):
                pdf.text(PAGE_W / 2 - width / 2, PAGE_H / 2 + 8, mark)

    def render(self) -> bytes:
        self.frame()
        self.spread_middle(self.heading() + 1)
        self.verification()
        self.signer()
        if self.data.preview:
            self.watermark()
        return bytes(self.pdf.output())


def _date_range(data: CertificateData) -> str:
    start, end = format_date(data.start_date, "d MMMM y"), format_date(data.end_date, "d MMMM y")
    return start if start == end else f"{start} - {end}"


def certificate_pdf(data: CertificateData, place: Place, verify_url: str) -> bytes:
    """The certificate as PDF bytes; ``verify_url`` is what the QR code holds and what is printed under it."""
    return _Certificate(data, place, verify_url).render()
