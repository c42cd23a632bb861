"""The needs analysis as a download: the ranking (the city's, or a chosen unit's pool) and, on the city view, one
sheet (XLSX) or section (CSV) per unit or pool of the needs per unit, naming the units in it, as the page shows."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from portal.feedback.services.needs_analysis import (
    RANKING_HEADER,
    MatrixRow,
    NeedsAnalysis,
    needs_table,
    ranking_rows,
)
from portal.feedback.services.results import min_group, suppressed_message

_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in sheet names


def pool_table(row: MatrixRow) -> list[list[object]]:
    """One unit or pool of the needs per unit: its name, the units in it, its responses, its own ranking."""
    least = min_group()
    table: list[list[object]] = [[_("Unit atau gabungan"), str(row.pool.label)]]
    table.append([_("Unit di dalamnya"), ", ".join(row.pool.member_names)])
    table.append([_("Responden"), f"< {least}" if row.suppressed else row.respondents])
    if row.suppressed:
        table.append([str(suppressed_message())])
        return table
    table.append([])
    table.append([str(cell) for cell in RANKING_HEADER])
    return table + ranking_rows(row.ranking)


def needs_sheets(analysis: NeedsAnalysis) -> list[tuple[str, list[list[object]]]]:
    """The export: the ranking (city, or the chosen unit's pool), then on the city view one sheet per unit or pool
    of the needs per unit, as on the page. Sheet names are numbered (unique) and cut to Excel's 31 characters."""
    sheets = [(_("Kebutuhan"), needs_table(analysis))]
    for index, row in enumerate(analysis.matrix, start=1):
        name = _SHEET_NAME.sub(" ", f"{index}. {row.pool.label}")[:31]
        sheets.append((name, pool_table(row)))
    return sheets


def needs_csv_table(analysis: NeedsAnalysis) -> list[list[object]]:
    """The export as one CSV table: the sheets one after the other, each after an empty row."""
    sheets = needs_sheets(analysis)
    table = list(sheets[0][1])
    for _name, rows in sheets[1:]:
        table.append([])
        table += rows
    width = max(len(row) for row in table)
    return [list(row) + [None] * (width - len(row)) for row in table]  # every CSV row equally long
