"""Swedish number formats, the one source for pages, charts, exports and PDFs.

- ``tal``: a level or median with a decimal comma: 2 → "2", 2.5 → "2,5", None → "–";
- ``heltal``: an integer with a narrow no-break space between thousands: 12 345;
- ``procent``: a share 0–1 as whole percent with a no-break space: 0.347 → "35 %",
  None → "–".

Pure Python, no Django: the SVG and plotly builders call these directly, the templates
through ``lib/templatetags/format.py``.
"""

STRECK = "–"  # what a missing or suppressed figure prints as
SMALT_MELLANRUM = "\u202f"  # narrow no-break space: the Swedish thousands separator
HART_MELLANRUM = "\u00a0"  # no-break space between a number and its unit


def tal(varde: float | int | None) -> str:
    """A level or median with a decimal comma: 2 → "2", 2.5 → "2,5", None → "–"."""
    if varde is None or varde == "":
        return STRECK
    if float(varde).is_integer():
        return str(int(varde))
    return f"{float(varde):.1f}".replace(".", ",")


def heltal(varde: int | None) -> str:
    """An integer with a narrow space between thousands: 12345 → "12 345"; None → "–"."""
    if varde is None or varde == "":
        return STRECK
    return f"{int(varde):,}".replace(",", SMALT_MELLANRUM)


def procent(andel: float | None) -> str:
    """A share 0–1 as whole percent: 0.347 → "35 %"; None → "–"."""
    if andel is None or andel == "":
        return STRECK
    return f"{round(100 * float(andel))}{HART_MELLANRUM}%"


def antal(n: int, en: str, flera: str) -> str:
    """A count with its noun in the right number: 1 → "1 ny åtgärd", 3 → "3 nya åtgärder"."""
    return f"{n} {en if n == 1 else flera}"
