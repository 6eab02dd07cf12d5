"""Cells for CSV and XLSX exports that a spreadsheet never runs as formulas.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, after import, TAB or CR) as a formula: a unit named ``=HYPERLINK(…)`` would be
a live link in every planner's export. OWASP's advice ("CSV injection") is followed:

- CSV: such a text cell gets a leading apostrophe, which the spreadsheet shows as text.
- XLSX: every text cell is written with the string type, so nothing is parsed as a formula;
  characters XML 1.0 cannot carry (control characters) are removed instead of breaking the
  whole file.

Numbers stay numbers (a negative gap is a number, not text).
"""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMELTECKEN = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(varde):
    """The value for a CSV cell: None as empty, risky text behind an apostrophe."""
    if varde is None:
        return ""
    if isinstance(varde, str) and varde.startswith(FORMELTECKEN):
        return "'" + varde
    return varde


def xlsx_cell(ark, varde):
    """The value for a write-only row of ``ark``: text is always of string type, control
    characters removed. openpyxl types text as a formula only when it starts with "=", so
    only that text gets a cell object of its own (the export writes ≈ a million cells)."""
    if not isinstance(varde, str):
        return varde
    if ILLEGAL_CHARACTERS_RE.search(varde):
        varde = ILLEGAL_CHARACTERS_RE.sub("", varde)
    if varde.startswith("="):
        cell = WriteOnlyCell(ark, value=varde)
        cell.data_type = "s"
        return cell
    return varde
