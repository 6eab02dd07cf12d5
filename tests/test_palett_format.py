"""One palette (lib/palett.py) and one number format (lib/format.py) for CSS, plotly and SVG."""

from pathlib import Path

from django.conf import settings

from lib import format as fmt
from lib import palett
from uppfoljning import charts, svg


def test_palett_css_is_in_step_with_lib_palett():
    fil = Path(settings.BASE_DIR) / "static" / "css" / "palett.css"
    assert fil.read_text(encoding="utf-8") == palett.css_render(), (
        "static/css/palett.css är inaktuell: kör `manage.py palett_css`"
    )


def test_app_css_defines_no_palette_colour_of_its_own():
    # base.html links palett.css before app.css (a link, not an @import: axe-core re-parses
    # sheets as inline styles, where a relative @import would resolve against the page).
    bas = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text(encoding="utf-8")
    assert bas.index("css/palett.css") < bas.index("css/app.css")
    app = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text(encoding="utf-8")
    for namn in palett.css_variabler():
        assert f"{namn}:" not in app


def test_plotly_and_svg_read_the_same_colours():
    for n in (1, 2, 3, 4):
        assert charts.NIVA_FARGER[str(n)] == svg.NIVA_FARG[n] == palett.NIVA[n]
    assert charts.KATEGORI_FARGER["vet_ej"] == svg.VET_EJ_FARG == palett.VET_EJ
    assert charts.KATEGORI_FARGER["ej_tillampligt"] == svg.EJ_TILLAMPLIGT_FARG
    assert charts.LINJE_FARGER == list(palett.LINJER)


def test_number_formats():
    assert fmt.tal(2) == "2" and fmt.tal(2.5) == "2,5" and fmt.tal(None) == "–"
    assert fmt.heltal(12345) == "12\u202f345"
    assert fmt.procent(0.347) == "35\u00a0%" and fmt.procent(None) == "–"
    assert charts.tal is svg.tal is fmt.tal
