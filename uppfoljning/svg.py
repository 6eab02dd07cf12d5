"""Charts for the PDF reports as SVG strings: pure functions from data to markup.

WeasyPrint runs no JavaScript, so the reports cannot use plotly; these small
vector charts use the web's colours (``lib/palett.py``)
and print every value beside its mark, so colour never carries meaning alone.
All text is escaped; numbers use the Swedish decimal comma.
"""

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as html_escape
from xml.sax.saxutils import escape, unescape

from lib import palett
from lib.format import tal

# The one palette (lib/palett.py), read by the web's CSS and plotly charts too.
NIVA_FARG = palett.NIVA
NIVA_TEXT = palett.NIVA_TEXT
VET_EJ_FARG = palett.VET_EJ
EJ_TILLAMPLIGT_FARG = palett.EJ_TILLAMPLIGT
TEXT = palett.TEXT
MUTED = palett.MUTED
RUTNAT = palett.RUTNAT
MAL_FARG = palett.MAL
FONT = "Source Sans 3, sans-serif"

__all__ = ["tal"]


def som_bild(svg: str) -> str:
    """The chart as an ``<img>`` with a ``data:`` URL and its title as alt text, for the PDFs.

    Same drawing, cheaper for WeasyPrint than inline ``<svg>``: an image's SVG is parsed
    by ElementTree on its own, while inline SVG goes through the HTML5 tokenizer and puts
    every mark and label into the document's CSS cascade. A färdplan's seven charts cost
    ≈ 70 ms less this way. The PDF/UA tag is the same: a Figure with the title as Alt.
    (``uppfoljning.pdf.StaticFetcher`` decodes ``data:`` URLs; nothing is fetched.)
    """
    titel = re.search(r"<title>(.*?)</title>", svg, flags=re.S)
    alt = unescape(titel.group(1)) if titel else ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="diagram" src="data:image/svg+xml;base64,{data}" alt="{html_escape(alt)}">'


def _text(x, y, s, *, size=9, anchor="start", fill=TEXT, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="{fill}" font-weight="{weight}">{escape(s)}</text>'
    )


def _wrap(s: str, width: int) -> list[str]:
    """Break a label into lines of at most ``width`` characters (on spaces)."""
    lines, line = [], ""
    for word in s.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines or [""]


# The heading over the level chart's values ("2 · 3 · 2,5" on each row).
VARDE_RUBRIK = "Nu · Mål · Region"


@dataclass(frozen=True)
class NivaRad:
    """One row of a level chart: the unit's level, the target and the region's median."""

    etikett: str
    niva: float | None
    mal: float | None
    median: float | None


def niva_diagram(
    rader: Sequence[NivaRad],
    *,
    titel: str,
    skalnamn: dict[int, str] | None = None,
    etikett_bredd: int = 34,
    etikett_rubrik: str = "",
    forklaring: bool = True,
) -> str:
    """Horizontal bars of the current level on the 1–4 scale, a target tick and a median mark.

    Each row prints its values at its end, "2 · 3 · 2,5" under the heading
    "Nu · Mål · Region", so the chart reads without colour. ``etikett_rubrik`` heads the
    labels, so a series of rows need not repeat a word ("Kriterium 1.1", "Kriterium
    1.2", …). WeasyPrint lays out and draws SVG text one character at a time, and each
    ``<text>`` costs a form XObject of its own, so the headings are printed once and each
    row keeps one label and one value element: a färdplan's 54 rows printed ≈ 2 200
    characters as "Kriterium 1.1 … Nu 2 · Mål 3 · Region 2,5", ≈ 800 this way.
    A row without a level (vet ej, not answered) shows no bar.
    ``skalnamn`` adds the level names to the scale and ``forklaring`` a legend;
    charts in a series can leave both to the first one (text in SVG costs render time).
    A label wraps onto as many lines as it needs (its row grows), never cut; the
    legend explains the median's diamond only when a diamond is drawn.
    """
    label_w, plot_w, value_w = 190, 250, 150
    width = label_w + plot_w + value_w
    varde_x = label_w + plot_w + 24  # clear of the scale's "4" above the values
    row_h = 30 if skalnamn else 22
    top = 34 if skalnamn else 20
    rows_lines = [_wrap(r.etikett, etikett_bredd) for r in rader]
    hojder = [max(row_h, 10 * len(lines) + 8) for lines in rows_lines]
    starter = [top + sum(hojder[:i]) for i in range(len(rader))]
    height = top + sum(hojder) + (18 if forklaring else 4)
    median_ritad = any(r.median is not None for r in rader)

    def x_for(v: float) -> float:
        return label_w + (v / 4) * plot_w

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(titel)}">',
        f"<title>{escape(titel)}</title>",
    ]
    # Scale: grid lines and level names at the top.
    for n in range(1, 5):
        x = x_for(n)
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 16}" '
            f'stroke="{RUTNAT}" stroke-width="0.6"/>'
        )
        out.append(_text(x, 11, str(n), size=8.5, anchor="middle", fill=MUTED, weight="bold"))
        if skalnamn:
            out.append(_text(x, 22, skalnamn.get(n, ""), size=7, anchor="middle", fill=MUTED))
    if etikett_rubrik:
        out.append(_text(label_w - 8, 11, etikett_rubrik, size=8.5, anchor="end", fill=MUTED))
    out.append(_text(varde_x, 11, VARDE_RUBRIK, size=8.5, fill=MUTED, weight="bold"))
    for rad, lines, y, rad_h in zip(rader, rows_lines, starter, hojder, strict=True):
        mid = y + rad_h / 2
        for j, line in enumerate(lines):
            offset = (j - (len(lines) - 1) / 2) * 10
            out.append(_text(label_w - 8, mid + 3 + offset, line, size=8.5, anchor="end"))
        if rad.niva is not None:
            farg_niva = max(1, min(4, round(rad.niva)))
            out.append(
                f'<rect x="{label_w}" y="{y + rad_h * 0.2:.1f}" width="{x_for(rad.niva) - label_w:.1f}" '
                f'height="{rad_h * 0.6:.1f}" fill="{NIVA_FARG[farg_niva]}" stroke="{NIVA_FARG[4]}" '
                f'stroke-width="0.4"/>'
            )
        if rad.mal is not None:
            x = x_for(rad.mal)
            out.append(
                f'<line x1="{x:.1f}" y1="{y + 3}" x2="{x:.1f}" y2="{y + rad_h - 3}" '
                f'stroke="{MAL_FARG}" stroke-width="2.2"/>'
            )
        if rad.median is not None:
            x = x_for(rad.median)
            cy = y + rad_h * 0.8
            out.append(
                f'<path d="M{x:.1f} {cy - 5:.1f} L{x + 4.5:.1f} {cy:.1f} L{x:.1f} {cy + 5:.1f} '
                f'L{x - 4.5:.1f} {cy:.1f} Z" fill="{palett.BAKGRUND}" stroke="{TEXT}" stroke-width="1"/>'
            )
        varden = f"{tal(rad.niva)} · {tal(rad.mal)} · {tal(rad.median)}"
        out.append(_text(varde_x, mid + 3, varden, size=8.5))
    if not forklaring:
        out.append("</svg>")
        return "".join(out)
    ly = height - 5
    out.append(
        f'<rect x="{label_w}" y="{ly - 7}" width="14" height="7" fill="{NIVA_FARG[2]}" '
        f'stroke="{NIVA_FARG[4]}" stroke-width="0.4"/>'
    )
    out.append(_text(label_w + 18, ly, "Nuvarande nivå", size=7.5, fill=MUTED))
    lx = label_w + 95
    out.append(
        f'<line x1="{lx}" y1="{ly - 8}" x2="{lx}" y2="{ly + 1}" stroke="{MAL_FARG}" '
        f'stroke-width="2.2"/>'
    )
    out.append(_text(lx + 5, ly, "Målnivå", size=7.5, fill=MUTED))
    if median_ritad:
        mx = lx + 60
        out.append(
            f'<path d="M{mx} {ly - 8} L{mx + 4} {ly - 3.5} L{mx} {ly + 1} L{mx - 4} {ly - 3.5} Z" '
            f'fill="{palett.BAKGRUND}" stroke="{TEXT}" stroke-width="1"/>'
        )
        out.append(_text(mx + 7, ly, "Regionens median", size=7.5, fill=MUTED))
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class FordelningRad:
    """How many units answered each level, "vet ej" and "ej tillämpligt" on one criterion."""

    etikett: str
    per_niva: dict[int, int]
    vet_ej: int
    ej_tillampligt: int

    @property
    def totalt(self) -> int:
        return sum(self.per_niva.values()) + self.vet_ej + self.ej_tillampligt


def fordelning_diagram(rader: Sequence[FordelningRad], *, titel: str) -> str:
    """100 % stacked bars per criterion: levels 1–4, then "vet ej" and "ej tillämpligt".

    Every segment wide enough carries its count; the row ends with "n = …", and
    the report prints the same numbers in a table beside the chart.
    """
    label_w, plot_w, value_w = 70, 400, 60
    width = label_w + plot_w + value_w
    row_h, top = 20, 6
    height = top + row_h * len(rader) + 22
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(titel)}">',
        f"<title>{escape(titel)}</title>",
    ]
    for i, rad in enumerate(rader):
        y = top + i * row_h
        out.append(_text(label_w - 8, y + row_h / 2 + 3, rad.etikett, size=8.5, anchor="end"))
        totalt = rad.totalt
        if not totalt:
            out.append(_text(label_w, y + row_h / 2 + 3, "Inga svar", size=8.5, fill=MUTED))
            continue
        x = float(label_w)
        delar = [
            *((rad.per_niva.get(n, 0), NIVA_FARG[n], NIVA_TEXT[n]) for n in range(1, 5)),
            (rad.vet_ej, VET_EJ_FARG, TEXT),
            (rad.ej_tillampligt, EJ_TILLAMPLIGT_FARG, TEXT),
        ]
        for antal, farg, textfarg in delar:
            if not antal:
                continue
            w = antal / totalt * plot_w
            out.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="{farg}" stroke="{palett.BAKGRUND}" stroke-width="0.8"/>'
            )
            if w >= 14:
                out.append(
                    _text(
                        x + w / 2,
                        y + row_h / 2 + 3,
                        str(antal),
                        size=8,
                        anchor="middle",
                        fill=textfarg,
                    )
                )
            x += w
        out.append(
            _text(label_w + plot_w + 6, y + row_h / 2 + 3, f"n = {totalt}", size=8, fill=MUTED)
        )
    # Legend.
    ly = height - 6
    x = float(label_w)
    poster = [(f"Nivå {n}", NIVA_FARG[n]) for n in range(1, 5)]
    poster += [("Vet ej", VET_EJ_FARG), ("Ej tillämpligt", EJ_TILLAMPLIGT_FARG)]
    for namn, farg in poster:
        out.append(
            f'<rect x="{x:.1f}" y="{ly - 7}" width="10" height="8" fill="{farg}" '
            f'stroke="{MUTED}" stroke-width="0.4"/>'
        )
        out.append(_text(x + 13, ly, namn, size=7.5, fill=MUTED))
        x += 13 + len(namn) * 4.2 + 14
    out.append("</svg>")
    return "".join(out)
