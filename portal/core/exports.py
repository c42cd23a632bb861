"""Tables as downloadable spreadsheets (CSV for any tool, XLSX for Excel), safe against formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from flask import Response
from openpyxl import Workbook

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Table = Sequence[Sequence[object]]


def safe_cell(value: object) -> object:
    """Spreadsheets run cells starting with = + - @ as formulas: a name typed that way must stay text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[safe_cell(cell) for cell in row] for row in table])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def xlsx_bytes(sheets: Sequence[tuple[str, Table]], title: str) -> bytes:
    """One worksheet per (name, table); the first row of each is its header, frozen."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty sheet a new workbook starts with
    for name, table in sheets:
        sheet = workbook.create_sheet(name[:31])  # Excel's limit for sheet names
        for row in table:
            sheet.append([safe_cell(cell) for cell in row])
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))
    workbook.properties.title = title[:200]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    """A file download; ``filename`` is ASCII without quotes (build it from ids and dates, not user text)."""
    response = Response(content, mimetype=mimetype)
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
