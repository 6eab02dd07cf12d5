"""PDF reports with WeasyPrint: print HTML from templates, print CSS, fonts from disk.

- One module-level ``FontConfiguration`` and one parsed print stylesheet serve every
  render, so the fonts are loaded once per process, not once per PDF.
- ``StaticFetcher`` serves ``/static/…`` from disk (collected files or the finders)
  and refuses every other URL: a report never makes a network request.
- Output is tagged PDF/UA-1; the title comes from the template's <title> and the
  language from <html lang="sv">, so screen readers read it as Swedish.
- WeasyPrint 70 tags ``<th>`` as /TH but drops its ``scope``; ``lib.pdftaggning`` writes it
  back with pikepdf (/Column in a table head, /Row in a body), so a screen reader can
  tie every figure to its column and row (PDF/UA-1 7.5; checked by ``pdfua`` in the tests).

Public entry points (also used by the benchmark): ``fardplan_pdf(sjalvskattning)``,
``kravstallning_pdf(omgang)`` and ``fardplaner_zip(omgang, fil)``.
"""

import base64
import csv
import io
import logging
import mimetypes
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from lib.format import antal
from lib.tabellceller import csv_cell
from lib.tidsgrans import tidsgrans
from vardcentraler.models import Omgang, Sjalvskattning

# WeasyPrint logs every layout step at INFO; keep its warnings (e.g. a refused URL) only.
# Set before the import, which already parses the default stylesheets.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

from lib.pdftaggning import tabellscope_add  # noqa: E402

from . import fardplanlager, gapregel, rapportdata, statistik, svg  # noqa: E402
from .templatetags.rapport import datum  # noqa: E402

# Relative URLs in the print HTML resolve against this made-up origin; the fetcher
# maps its /static/ paths to files and refuses anything else.
BASE_URL = "https://rapport.invalid/"
PDF_VARIANT = "pdf/ua-1"
PRINT_CSS = "css/print.css"

FONT_CONFIG = FontConfiguration()


class FetchRefused(ValueError):
    """A URL the PDF renderer may not fetch (anything but our own static files)."""


def static_path(rel: str) -> Path | None:
    """A static file on disk: the collected copy (hashed names) or the finders' source."""
    rel = rel.lstrip("/")
    if ".." in Path(rel).parts:
        return None
    collected = Path(settings.STATIC_ROOT) / rel
    if collected.is_file():
        return collected
    found = finders.find(rel)
    return Path(found) if found else None


class StaticFetcher(URLFetcher):
    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"https"}, allow_redirects=False, **kwargs)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return self._data(url)
        parts = urlsplit(url)
        base = urlsplit(BASE_URL)
        static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(
            static_prefix
        ):
            raise FetchRefused(f"PDF-rapporterna hämtar inget utifrån: {url}")
        path = static_path(unquote(parts.path[len(static_prefix) :]))
        if path is None:
            raise FetchRefused(f"Statisk fil saknas: {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    @staticmethod
    def _data(url: str) -> URLFetcherResponse:
        """A ``data:`` URL (the charts, see ``svg.som_bild``): decoded here, nothing fetched."""
        huvud, _, innehall = url[len("data:") :].partition(",")
        mime, *param = huvud.split(";")
        data = base64.b64decode(innehall) if "base64" in param else unquote_to_bytes(innehall)
        return URLFetcherResponse(url, data, {"Content-Type": mime or "text/plain"})


FETCHER = StaticFetcher()


def _stylesheet_build() -> CSS:
    path = static_path(PRINT_CSS)
    return CSS(
        string=path.read_text(encoding="utf-8"),
        base_url=f"{BASE_URL}{settings.STATIC_URL.lstrip('/')}{PRINT_CSS}",
        url_fetcher=FETCHER,
        font_config=FONT_CONFIG,
    )


_stylesheet_cached = cache(_stylesheet_build)


def stylesheet() -> CSS:
    """The parsed print CSS (fonts registered in FONT_CONFIG). Re-read per render under DEBUG."""
    return _stylesheet_build() if settings.DEBUG else _stylesheet_cached()


def html_to_pdf(html: str) -> bytes:
    """Render with a time limit (``PDF_TIDSGRANS``): ``lib.tidsgrans.Tidsgrans`` past it;
    then give the table headers their scope in the structure tree (PDF/UA)."""
    with tidsgrans(settings.PDF_TIDSGRANS):
        return tabellscope_add(
            HTML(string=html, base_url=BASE_URL, url_fetcher=FETCHER).write_pdf(
                stylesheets=[stylesheet()],
                font_config=FONT_CONFIG,
                pdf_variant=PDF_VARIANT,
            )
        )


def _render(template: str, context: dict) -> str:
    with translation.override("sv"):
        return render_to_string(template, context)


# --- Färdplan ----------------------------------------------------------------------------


def fardplan_context(fardplan: rapportdata.Fardplan) -> dict:
    version = fardplan.omgang.malbild_version
    skalnamn = {int(k): v for k, v in version.skalnamn.items()}
    oversikt = svg.niva_diagram(
        [
            svg.NivaRad(
                f"{t.tema.ordning}. {t.tema.kortnamn}", t.niva, t.malniva, t.region_median.visat
            )
            for t in fardplan.teman
        ],
        titel="Nivå, målnivå och regionens median per tema",
        skalnamn=skalnamn,
    )
    tema_diagram = {
        t.tema.pk: svg.niva_diagram(
            [
                svg.NivaRad(r.kriterium.kod, r.niva, r.malniva, r.region_median.visat)
                for r in t.kriterier
            ],
            etikett_rubrik="Kriterium",
            titel=f"Nivå, målnivå och regionens median per kriterium i tema {t.tema.ordning}",
            forklaring=False,
        )
        for t in fardplan.teman
    }
    vc, omgang = fardplan.vardcentral, fardplan.omgang
    fakta = [
        ("Vårdcentral", vc.namn),
        ("HSA-id", vc.hsa_id),
        ("Region", omgang.region.namn),
        ("Kommun", vc.kommun.namn),
        ("Driftsform", vc.get_driftsform_display()),
        ("Omgång", f"{omgang.namn} ({datum(omgang.period_start)} – {datum(omgang.period_slut)})"),
        ("Självskattning", fardplan.status_text),
        ("Datum", datum(fardplan.datum)),
        ("Målbild", f"{version.utgivare}, artikelnummer {version.artikelnummer}"),
        (
            "Målbildsversion",
            f"{version.slug} (version {version.nummer}), publicerad {version.publicerad_text}",
        ),
    ]
    antal_kriterier = sum(len(t.kriterier) for t in fardplan.teman)
    if fardplan.antal_krav:
        krav = f"{len(fardplan.ouppfyllda_krav)} av {fardplan.antal_krav}"
    else:
        krav = "Inga krav angivna"
    nyckeltal = [
        ("Kriterier med gap", f"{fardplan.antal_gap} av {antal_kriterier}"),
        ("Åtgärder i planen", f"{len(fardplan.plan)}, varav {fardplan.oppna_atgarder} öppna"),
        ("Ouppfyllda krav", krav),
        ("Nya åtgärder i omgången", str(len(fardplan.nya_atgarder))),
    ]
    return {
        "fp": fardplan,
        "fakta": fakta,
        "nyckeltal": nyckeltal,
        "atagande_text": atagande_text(fardplan),
        "median_visas": {
            "oversikt": any(t.region_median.visat is not None for t in fardplan.teman),
            **{
                t.tema.pk: any(r.region_median.visat is not None for r in t.kriterier)
                for t in fardplan.teman
            },
        },
        "version": version,
        "skalnamn": skalnamn,
        "oversikt_svg": svg.som_bild(oversikt),
        "tema_diagram": {pk: svg.som_bild(d) for pk, d in tema_diagram.items()},
        "min_grupp": statistik.MIN_GRUPP,
        "niva_utan_mal": gapregel.STANDARDMAL,
    }


def atagande_text(fardplan: rapportdata.Fardplan) -> str:
    """What the unit committed to since the previous färdplan, in one sentence (plain text)."""
    nya = antal(len(fardplan.nya_atgarder), "ny åtgärd", "nya åtgärder")
    if fardplan.forra_omgang is None:
        return f"Det här är vårdcentralens första färdplan mot målbilden, med {nya}."
    avslutade = antal(len(fardplan.avslutade_atgarder), "åtgärd", "åtgärder")
    return (
        f"Sedan färdplanen för omgång {fardplan.forra_omgang.namn} har vårdcentralen åtagit sig "
        f"{nya} och avslutat {avslutade}."
    )


def fardplan_html(sjalvskattning: Sjalvskattning) -> str:
    fardplan = rapportdata.fardplan_data(sjalvskattning)
    return _render("uppfoljning/pdf/fardplan.html", fardplan_context(fardplan))


def fardplan_pdf(sjalvskattning: Sjalvskattning) -> bytes:
    """One unit's färdplan as tagged PDF."""
    return html_to_pdf(fardplan_html(sjalvskattning))


def fardplan_filnamn(sjalvskattning: Sjalvskattning) -> str:
    vc = sjalvskattning.vardcentral
    return f"fardplan-{slugify(sjalvskattning.omgang.namn)}-{vc.hsa_id}-{slugify(vc.namn)}.pdf"


# --- Kravställning -----------------------------------------------------------------------


def kravstallning_context(data: rapportdata.Kravstallning) -> dict:
    diagram = {
        t.tema.pk: svg.fordelning_diagram(
            [
                svg.FordelningRad(r.kriterium.kod, r.per_niva, r.vet_ej, r.ej_tillampligt)
                for r in t.rader
                if not r.undertryckt
            ],
            titel=f"Vårdcentralernas nivåer per kriterium i tema {t.tema.ordning}",
        )
        for t in data.teman
    }
    omgang, version = data.omgang, data.omgang.malbild_version
    fakta = [
        ("Region", omgang.region.namn),
        ("Omgång", f"{omgang.namn} ({datum(omgang.period_start)} – {datum(omgang.period_slut)})"),
        (
            "Vårdcentraler",
            f"{data.antal_enheter} aktiva, {data.antal_sjalvskattningar} självskattningar",
        ),
        (
            "Regionens krav",
            f"{data.antal_krav['ska']} ska-krav, {data.antal_krav['bor']} bör-krav",
        ),
        ("Datum", datum(data.datum)),
        ("Målbild", f"{version.utgivare}, artikelnummer {version.artikelnummer}"),
        (
            "Målbildsversion",
            f"{version.slug} (version {version.nummer}), publicerad {version.publicerad_text}",
        ),
    ]
    return {
        "ks": data,
        "fakta": fakta,
        "skalnamn": {int(k): v for k, v in version.skalnamn.items()},
        "version": version,
        "diagram": {pk: svg.som_bild(d) for pk, d in diagram.items()},
        "min_grupp": statistik.MIN_GRUPP,
        "forslag_procent": round(rapportdata.FORSLAG_ANDEL * 100),
        "forslag_senast": rapportdata.forslag_senast(omgang),
        "niva_utan_mal": gapregel.STANDARDMAL,
    }


def kravstallning_html(omgang: Omgang) -> str:
    return _render(
        "uppfoljning/pdf/kravstallning.html",
        kravstallning_context(rapportdata.kravstallning_data(omgang)),
    )


def kravstallning_pdf(omgang: Omgang) -> bytes:
    """The region's kravställning basis for a round as tagged PDF."""
    return html_to_pdf(kravstallning_html(omgang))


def kravstallning_filnamn(omgang: Omgang) -> str:
    return f"kravstallning-{slugify(omgang.region.namn)}-{slugify(omgang.namn)}.pdf"


# --- Every färdplan of a round -----------------------------------------------------------


INDEX_RUBRIKER = [
    "Fil",
    "Vårdcentral",
    "HSA-id",
    "Kommun",
    "Självskattning",
    "Godkänd",
    "I arkivet",
]


def fardplaner_i_arkiv(
    sjalvskattningar: list[Sjalvskattning], *, med_inskickade: bool
) -> list[Sjalvskattning]:
    """The färdplaner a ZIP holds: approved ones, and submitted ones only on request."""
    tagna = {Sjalvskattning.Status.GODKAND}
    if med_inskickade:
        tagna.add(Sjalvskattning.Status.INSKICKAD)
    return [sk for sk in sjalvskattningar if sk.status in tagna]


def _ej_med(sk: Sjalvskattning) -> str:
    if sk.status == Sjalvskattning.Status.INSKICKAD:
        return "Nej: inskickad, ännu inte granskad"
    return f"Nej: utkast ({sk.get_status_display().lower()})"


def fardplaner_zip(
    omgang: Omgang,
    fil: BinaryIO,
    *,
    framsteg: Callable[[int, int], None] | None = None,
    med_inskickade: bool = False,
) -> int:
    """Write one ZIP with the round's approved färdplaner (and the submitted ones when
    ``med_inskickade``), plus ``index.csv``: every unit of the round, its status, its file
    or why it is not there. Drafts never go in. Reports progress per PDF. A färdplan stored
    from today's data is reused; one rendered here is stored for the next download.

    Returns the number of PDFs written.
    """
    alla = list(
        Sjalvskattning.objects.filter(omgang=omgang)
        .select_related(*fardplanlager.RELATERADE)
        .order_by("vardcentral__namn", "vardcentral__hsa_id")
    )
    valda = {sk.pk for sk in fardplaner_i_arkiv(alla, med_inskickade=med_inskickade)}
    totalt = len(valda)
    if framsteg:
        framsteg(0, totalt)
    index = io.StringIO()
    skrivare = csv.writer(index, delimiter=";", lineterminator="\r\n")
    skrivare.writerow(INDEX_RUBRIKER)
    with zipfile.ZipFile(fil, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        klara = 0
        for sk in alla:
            med = sk.pk in valda
            if med:
                namn = fardplan_filnamn(sk)
                zf.writestr(namn, fardplanlager.fardplan_pdf_aktuell(sk, lagra=True))
                klara += 1
                if framsteg:
                    framsteg(klara, totalt)
            vc = sk.vardcentral
            skrivare.writerow(
                [
                    namn if med else "",
                    csv_cell(vc.namn),
                    csv_cell(vc.hsa_id),
                    csv_cell(vc.kommun.namn),
                    sk.get_status_display(),
                    timezone.localdate(sk.godkand).isoformat()
                    if sk.status == Sjalvskattning.Status.GODKAND and sk.godkand
                    else "",
                    "Ja" if med else _ej_med(sk),
                ]
            )
        # UTF-8 with BOM, semicolons: Excel with Swedish settings opens it as it is.
        zf.writestr("index.csv", "\ufeff" + index.getvalue())
    return totalt
