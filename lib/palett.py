"""The colour palette: one definition read by the CSS, the plotly charts and the PDF's SVG.

Plotly (``uppfoljning/charts.py``) and SVG (``uppfoljning/svg.py``) import these names.
The CSS reads them as custom properties from ``static/css/palett.css``, written from here
by ``manage.py palett_css`` (a test fails when the file is out of step with this module).

The level scale is light to dark blue; level 3 is darkened to #3a75aa so that white text
on it meets WCAG AA (4.9:1).
"""

NIVA: dict[int, str] = {1: "#d6e4f0", 2: "#92b8d9", 3: "#3a75aa", 4: "#163a5a"}
NIVA_TEXT: dict[int, str] = {1: "#1b1b1b", 2: "#1b1b1b", 3: "#ffffff", 4: "#ffffff"}
VET_EJ = "#b9bec4"
EJ_TILLAMPLIGT = "#e6e8eb"
TEXT = "#1b1b1b"
MUTED = "#525a63"
RUTNAT = "#c9d1d9"
KANT = "#52606d"  # outlines and hatching on the distribution bars
MAL = "#0b6e4f"  # the target marker; also the site's accent colour
BAKGRUND = "#ffffff"
# Okabe–Ito: distinguishable with every common colour-vision deficiency.
LINJER: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def css_variabler() -> dict[str, str]:
    """CSS custom property name → colour, in the order they are written."""
    return {
        **{f"--c-niva-{n}": f for n, f in NIVA.items()},
        **{f"--c-niva-{n}-text": f for n, f in NIVA_TEXT.items()},
        "--c-vet-ej": VET_EJ,
        "--c-ej-tillampligt": EJ_TILLAMPLIGT,
        "--c-text": TEXT,
        "--c-muted": MUTED,
        "--c-border": RUTNAT,
        "--c-accent": MAL,
        "--c-bg": BAKGRUND,
        **{f"--c-linje-{i}": f for i, f in enumerate(LINJER, start=1)},
    }


def css_render() -> str:
    """The text of static/css/palett.css."""
    rader = "".join(f"  {namn}: {farg};\n" for namn, farg in css_variabler().items())
    return (
        "/* Generated from lib/palett.py by `manage.py palett_css`: do not edit by hand. */\n"
        f":root {{\n{rader}}}\n"
    )
