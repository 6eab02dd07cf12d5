"""Pure functions from selector data to plotly figures, and one-line summaries of them.

Figures reach the page as JSON (``figur_json``) through ``json_script``;
static/js/charts.js draws them with the plotly.js that ships in the plotly
package. A figure is a plain dict in plotly's JSON form (``{"data": [...], "layout":
{...}}``), built directly rather than through ``plotly.graph_objects``: the objects'
validation cost ≈ 20 ms per page and nothing here needs it. The layout carries the
plotly default template, so the charts look exactly as ``go.Figure(...).to_json()``
drew them; tests/uppfoljning/test_charts.py checks that plotly accepts each figure and
serialises it to the same JSON. Colours: the levels use the same colour-blind-safe blue scale as the CSS
(--c-niva-1..4); vet ej and ej tillämpligt are greys with a hatch pattern. Every
bar carries its value as text and every line its markers and labels, so colour is
never the only carrier of meaning. Each chart also has a table on the page.
"""

from __future__ import annotations

import functools
import json

from lib import palett
from lib.format import procent, tal
from uppfoljning.statistik import KATEGORI_NAMN, KATEGORIER, Fordelning, Jamforelse

NIVA_FARGER = {str(n): f for n, f in palett.NIVA.items()}
KATEGORI_FARGER = {**NIVA_FARGER, "vet_ej": palett.VET_EJ, "ej_tillampligt": palett.EJ_TILLAMPLIGT}
TEXT_FARGER = {str(n): f for n, f in palett.NIVA_TEXT.items()}
MONSTER = {"vet_ej": "/", "ej_tillampligt": "."}
LINJE_FARGER = list(palett.LINJER)
LINJE_SYMBOLER = ["circle", "square", "diamond", "triangle-up", "cross", "star"]
LINJE_STRECK = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
TEXTFARG = palett.TEXT

__all__ = ["procent", "tal"]


def kort(namn: str, langd: int = 36) -> str:
    """A long theme name shortened for a legend or axis (the tables carry the full name)."""
    return namn if len(namn) <= langd else namn[: langd - 1].rstrip() + "…"


def _layout(**extra) -> dict:
    return {
        "separators": ", ",
        "font": {"family": "Source Sans 3, Segoe UI, Arial, sans-serif", "color": TEXTFARG},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
        "paper_bgcolor": palett.BAKGRUND,
        "plot_bgcolor": palett.BAKGRUND,
        "legend": {"orientation": "h", "y": -0.15, "x": 0},
        **extra,
    }


Figur = dict  # {"data": [trace, ...], "layout": {...}} as plotly.js takes it


@functools.cache
def _mall_json() -> str:
    """plotly's default template as JSON, as ``go.Figure().to_json()`` embeds it. Read once."""
    import plotly.io as pio

    return json.dumps(pio.templates[pio.templates.default].to_plotly_json())


def _figur(data: list[dict], layout: dict) -> Figur:
    return {"data": data, "layout": {**layout, "template": json.loads(_mall_json())}}


def figur_json(figur: Figur) -> dict:
    """Plain JSON-able data for ``json_script`` (a copy; the figure is already plain data)."""
    if isinstance(figur, dict):
        return figur
    return json.loads(figur.to_json())  # a plotly Figure, should a caller build one


def fordelning_figur(etiketter: list[str], fordelningar: list[Fordelning]) -> Figur:
    """Stacked horizontal bars: share of answers per category for each group (theme or region).

    Suppressed groups (fewer than 5 units) get no bar; their label says so.
    """
    y = [
        f"{kort(etikett)} (färre än 5 vc)" if f.undertryckt else kort(etikett)
        for etikett, f in zip(etiketter, fordelningar, strict=True)
    ]
    data = []
    for kat in KATEGORIER:
        andelar = [None if f.undertryckt else round(100 * f.andel(kat), 1) for f in fordelningar]
        antal = [None if f.undertryckt else f.antal[kat] for f in fordelningar]
        data.append(
            {
                "type": "bar",
                "name": KATEGORI_NAMN[kat],
                "orientation": "h",
                "x": andelar,
                "y": y,
                "customdata": antal,
                "text": [procent(a / 100) if a and a >= 5 else "" for a in andelar],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": TEXT_FARGER.get(kat, TEXTFARG)},
                "marker": {
                    "color": KATEGORI_FARGER[kat],
                    "line": {"color": palett.KANT, "width": 0.5},
                    "pattern": {"shape": MONSTER.get(kat, ""), "fgcolor": palett.KANT},
                },
                "hovertemplate": f"{KATEGORI_NAMN[kat]}: %{{x}} % (%{{customdata}} svar)<extra>%{{y}}</extra>",
            }
        )
    return _figur(
        data,
        _layout(
            barmode="stack",
            legend={"orientation": "h", "y": -0.15, "x": 0, "traceorder": "normal"},
            height=70 + 48 * len(y),
            xaxis={"range": [0, 100], "ticksuffix": " %", "title": {"text": "Andel av svaren"}},
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    )


def fordelning_sammanfattning(etiketter: list[str], fordelningar: list[Fordelning]) -> str:
    """One line: where the share at level 3 or 4 is highest and lowest."""
    visade = [
        (e, f.andel("3") + f.andel("4"))
        for e, f in zip(etiketter, fordelningar, strict=True)
        if not f.undertryckt and f.total
    ]
    if not visade:
        return "Ingen fördelning visas: färre än 5 vårdcentraler har svarat."
    hog = max(visade, key=lambda v: v[1])
    lag = min(visade, key=lambda v: v[1])
    if hog == lag:
        return f"{procent(hog[1])} av svaren i {hog[0]} ligger på nivå 3 eller 4."
    return (
        f"Störst andel svar på nivå 3 eller 4: {hog[0]} ({procent(hog[1])}); "
        f"minst: {lag[0]} ({procent(lag[1])})."
    )


def trend_figur(serier: dict[str, list[tuple[str, Jamforelse]]]) -> Figur:
    """One line per theme: the share of level answers at level 3 or 4, per round (or year).

    Medians of a four-step scale move in whole steps and hide change, so the trend
    chart shows the share at 3–4; the table beside it gives the medians too.
    Suppressed points (fewer than 5 units) are left as gaps in the line.
    """
    data = []
    for i, (namn, punkter) in enumerate(serier.items()):
        y = [None if j.visat is None else round(100 * j.visat, 1) for _x, j in punkter]
        data.append(
            {
                "type": "scatter",
                "name": kort(namn),
                "x": [x for x, _j in punkter],
                "y": y,
                "mode": "lines+markers+text",
                # The newest value is printed at the end of each line; the table has them all.
                "text": [
                    procent(v / 100) if v is not None and k == len(y) - 1 else ""
                    for k, v in enumerate(y)
                ],
                "textposition": "middle right",
                "line": {"color": LINJE_FARGER[i % 6], "dash": LINJE_STRECK[i % 6], "width": 2.5},
                "marker": {"symbol": LINJE_SYMBOLER[i % 6], "size": 10},
                "connectgaps": False,
                "hovertemplate": f"{namn}<br>%{{x}}: %{{y}} % på nivå 3–4<extra></extra>",
            }
        )
    return _figur(
        data,
        _layout(
            height=460,
            margin={"l": 10, "r": 50, "t": 20, "b": 10},
            yaxis={
                "range": [0, 105],
                "ticksuffix": " %",
                "title": {"text": "Andel nivåsvar på nivå 3–4"},
            },
            xaxis={"type": "category", "title": {"text": "Omgång"}},
            legend={"orientation": "h", "y": -0.25, "x": 0},
        ),
    )


def trend_sammanfattning(serier: dict[str, list[tuple[str, Jamforelse]]]) -> str:
    """One line: which themes' share at level 3–4 rose or fell most from the first to the last point."""
    forandring = []
    for namn, punkter in serier.items():
        visade = [j.visat for _x, j in punkter if j.visat is not None]
        if len(visade) >= 2:
            forandring.append((namn, visade[-1] - visade[0]))
    if not forandring:
        return "Ingen trend visas ännu: det behövs minst två omgångar med minst 5 vårdcentraler."
    upp = max(forandring, key=lambda f: f[1])
    ner = min(forandring, key=lambda f: f[1])
    stigit = sum(1 for _n, d in forandring if d > 0)
    text = f"Andelen svar på nivå 3–4 har ökat i {stigit} av {len(forandring)} teman"
    if upp[1] > 0:
        text += f", mest i {upp[0]} (+{100 * upp[1]:.0f} procentenheter)"
    if ner[1] < 0:
        text += f"; minskat mest i {ner[0]} ({100 * ner[1]:.0f} procentenheter)".replace("-", "−")
    return text + "."


def gap_figur(
    etiketter: list[str],
    nivaer: list[float | None],
    malnivaer: list[float | None],
    region: list[Jamforelse],
) -> Figur:
    """Per theme: the unit's level, the target and the region's median, side by side."""
    regionvarden = [j.visat for j in region]
    data = []
    for namn, varden, farg, monster in (
        ("Nuvarande nivå", nivaer, NIVA_FARGER["3"], ""),
        ("Målnivå", malnivaer, palett.BAKGRUND, "x"),
        ("Regionens median", regionvarden, NIVA_FARGER["1"], "/"),
    ):
        data.append(
            {
                "type": "bar",
                "name": namn,
                "orientation": "h",
                "y": [kort(e) for e in etiketter],
                "x": list(varden),
                "text": [tal(v) for v in varden],
                "textposition": "outside",
                "marker": {
                    "color": farg,
                    "line": {"color": NIVA_FARGER["4"], "width": 1.5},
                    "pattern": {"shape": monster, "fgcolor": NIVA_FARGER["4"]},
                },
                "cliponaxis": False,
                "hovertemplate": f"{namn}: %{{x}}<extra>%{{y}}</extra>",
            }
        )
    return _figur(
        data,
        _layout(
            barmode="group",
            height=110 + 75 * len(etiketter),
            xaxis={"range": [0, 4.6], "dtick": 1, "title": {"text": "Nivå (median)"}},
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    )


def gap_sammanfattning(etiketter: list[str], gap: list[float | None]) -> str:
    storst = [(e, g) for e, g in zip(etiketter, gap, strict=True) if g]
    if not storst:
        return "Vårdcentralen når målnivån i alla teman med nivåsvar."
    e, g = max(storst, key=lambda v: v[1])
    return (
        f"{len(storst)} av {len(etiketter)} teman ligger under målnivån; "
        f"störst gap i {e} ({tal(g)} steg)."
    )
