"""Follow-up pages: the gap report, the region dashboard, the national view and the exports.

Views stay thin: scope through vardcentraler.selectors, compute through
uppfoljning.selectors, turn the result into figures through uppfoljning.charts.
"""

import html
import unicodedata
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_GET

from lib.htmx import render_page_or_partial
from vardcentraler import behorighet
from vardcentraler.models import Atgard, Kommun

from . import charts, exports
from . import selectors as s
from .forms import UrvalForm
from .templatetags.uppfoljning_extras import niva_klass


def _tema_etikett(tema) -> str:
    return f"{tema.ordning}. {tema.kortnamn}"


@require_GET
@login_required
def uppfoljning_start(request: HttpRequest) -> HttpResponse:
    """Send each role to its own view: planners and managers to their region, readers to the nation."""
    if behorighet.ser_nationellt(request.user):
        return redirect("uppfoljning:nationell_oversikt")
    if behorighet.ser_regionen(request.user):
        region = (
            behorighet.egen_region(request.user) or behorighet.regioner_for(request.user).first()
        )
        if region is not None:
            return redirect("uppfoljning:region_oversikt", kod=region.kod)
    raise Http404


@require_GET
@login_required
def gaprapport_detail(request: HttpRequest, hsa_id: str) -> HttpResponse:
    vardcentral = behorighet.vardcentral_get_for_user(request.user, hsa_id)
    try:
        omgang_id = int(request.GET.get("omgang", ""))
    except ValueError:
        omgang_id = None
    rapport = s.gaprapport_get(vardcentral=vardcentral, omgang_id=omgang_id)
    etiketter = [_tema_etikett(t.tema) for t in rapport.teman]
    context = {
        "vardcentral": vardcentral,
        "rapport": rapport,
        "MIN_GRUPP": s.MIN_GRUPP,
    }
    if rapport.teman:
        context["gap_figur"] = charts.figur_json(
            charts.gap_figur(
                etiketter,
                [t.niva for t in rapport.teman],
                [t.malniva for t in rapport.teman],
                [t.region_median for t in rapport.teman],
            )
        )
        context["gap_sammanfattning"] = charts.gap_sammanfattning(
            etiketter, [t.gap for t in rapport.teman]
        )
    return render(request, "uppfoljning/gaprapport_detail.html", context)


def _tabeller(oversikt, kolumner: list[str]) -> dict:
    """The tables behind the distribution and trend charts."""
    return {
        "kategorier": list(s.KATEGORI_NAMN.items()),
        "fordelningar": [(t, oversikt.fordelning_per_tema[t.kod]) for t in oversikt.teman],
        "trendrader": [
            (t, list(zip(oversikt.trend[t.kod], oversikt.trend_andel[t.kod], strict=True)))
            for t in oversikt.teman
        ],
        "trend_kolumner": kolumner,
        "MIN_GRUPP": s.MIN_GRUPP,
    }


def _gaprapport_url():
    """hsa_id → the unit's gap report URL: one ``reverse`` for a table of hundreds of rows.

    Quotes the id as ``reverse`` does (a ``str`` path converter).
    """
    platshallare = "SE0000000000-PLATSHALLARE"  # the shape the hsa converter accepts
    fore, _, efter = reverse("uppfoljning:gaprapport_detail", args=[platshallare]).partition(
        platshallare
    )
    return lambda hsa_id: f"{fore}{quote(hsa_id, safe="!$&'()*+,;=/~:@")}{efter}"


# The dashboard's three long tables (one row per unit, per fallen theme, per overdue action)
# are rendered here, one string per row, rather than cell by cell in the template: ≈ 8 000
# template nodes for Stockholm's 230 units were half of the page's time (make bench). The
# markup is the template's; every value goes through ``_e`` (what autoescape does, without
# the lazy-string checks of ``format_html``, which alone cost ≈ 10 ms here).


def _e(varde) -> str:
    return html.escape(str(varde))


def _heatmap_rader(oversikt: s.RegionOversikt) -> list[SafeString]:
    url = _gaprapport_url()
    fraga = f"?omgang={oversikt.omgang.pk}" if oversikt.omgang else ""
    rader = []
    for rad in oversikt.rader:
        vc = rad.vardcentral
        celler = []
        for _kod, v, fore in rad.celler:
            pil = (
                '<span aria-hidden="true"> ↓</span>'
                f'<span class="visually-hidden"> (sjunkit från {_e(charts.tal(fore))})</span>'
                if v is not None and fore is not None and v < fore
                else ""
            )
            celler.append(f'<td class="heat {niva_klass(v)}">{_e(charts.tal(v))}{pil}</td>')
        rader.append(
            mark_safe(  # noqa: S308 - every value above is escaped
                f'<tr><th scope="row"><a href="{_e(url(vc.hsa_id))}{fraga}">{_e(vc.namn)}</a> '
                f'<span class="muted heatmap__kommun">{_e(vc.kommun.namn)}</span></th>'
                f"{''.join(celler)}<td>{_e(rad.status_namn)}</td></tr>"
            )
        )
    return rader


def _nedgang_rader(oversikt: s.RegionOversikt) -> list[SafeString]:
    url = _gaprapport_url()
    return [
        mark_safe(  # noqa: S308 - every value is escaped
            f'<tr><th scope="row"><a href="{_e(url(n.vardcentral.hsa_id))}">'
            f"{_e(n.vardcentral.namn)}</a></th><td>{_e(n.tema.ordning)}. {_e(n.tema.kortnamn)}</td>"
            f'<td class="num">{_e(charts.tal(n.fore))}</td>'
            f'<td class="num">{_e(charts.tal(n.nu))}</td></tr>'
        )
        for n in oversikt.nedgangar
    ]


def _kortad(text: str, langd: int) -> str:
    """As the ``truncatechars`` filter (which also NFC-normalises); Truncator only when long."""
    if len(text) <= langd:
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(langd)


def _forsenade_rader(oversikt: s.RegionOversikt) -> list[SafeString]:
    url = _gaprapport_url()
    datum: dict = {}
    status = dict(Atgard.Status.choices)
    rader = []
    for a in oversikt.forsenade:
        if a.klar_senast not in datum:
            datum[a.klar_senast] = _e(date_format(a.klar_senast, "j F Y"))
        rader.append(
            mark_safe(  # noqa: S308 - every value is escaped
                f'<tr><th scope="row"><a href="{_e(url(a.vardcentral.hsa_id))}">'
                f"{_e(a.vardcentral.namn)}</a></th><td>{_e(a.kriterium.kod)}</td>"
                f"<td>{_e(_kortad(a.beskrivning, 90))}</td><td>{_e(a.ansvarig)}</td>"
                f"<td>{datum[a.klar_senast]}</td><td>{_e(status.get(a.status, a.status))}</td></tr>"
            )
        )
    return rader


def _region_urval(request: HttpRequest, kod: str):
    """The region, the user's units in it, the filter form and the filtered units. 404 outside behorighet."""
    if not behorighet.ser_regionen(request.user):
        raise Http404
    region = behorighet.region_get_for_user(request.user, kod)
    enheter = behorighet.vardcentraler_for(request.user).filter(region=region)
    kommuner = list(Kommun.objects.filter(vardcentraler__in=enheter.values("pk")).distinct())
    omgangar = s.omgangar_for_region(region)
    form = UrvalForm(request.GET, kommuner=kommuner, omgangar=omgangar)
    form.is_valid()
    return region, form, form.urval().tillampa(enheter), omgangar


def _lank(request: HttpRequest, **andra) -> str:
    params: QueryDict = request.GET.copy()
    for nyckel, varde in andra.items():
        if varde in (None, ""):
            params.pop(nyckel, None)
        else:
            params[nyckel] = varde
    return f"?{params.urlencode()}" if params else "?"


@require_GET
@login_required
def region_oversikt(request: HttpRequest, kod: str) -> HttpResponse:
    region, form, enheter, _omgangar = _region_urval(request, kod)
    sortera = form.cleaned_data.get("sortera") or "namn"
    oversikt = s.region_oversikt_get(
        region=region,
        vardcentraler=enheter,
        omgang_id=form.cleaned_data.get("omgang"),
        sortera=sortera,
    )
    if oversikt.omgang and not form.cleaned_data.get("omgang"):
        # Show the round the selector chose by default in the round menu.
        form.data = form.data.copy()
        form.data["omgang"] = str(oversikt.omgang.pk)
    etiketter = [_tema_etikett(t) for t in oversikt.teman]
    fordelningar = [oversikt.fordelning_per_tema[t.kod] for t in oversikt.teman]
    trend = {
        _tema_etikett(t): [(o.namn, j) for o, j in oversikt.trend_andel[t.kod]]
        for t in oversikt.teman
    }
    sortering = {}
    for nyckel in ["namn", *[t.kod for t in oversikt.teman]]:
        aktiv = sortera.lstrip("-") == nyckel
        # Themes sort weakest first on the first click, names A–Ö.
        nasta = f"-{nyckel}" if aktiv and not sortera.startswith("-") else nyckel
        sortering[nyckel] = {
            "url": _lank(request, sortera=nasta),
            "aria": ("descending" if sortera.startswith("-") else "ascending") if aktiv else "",
        }
    exportparametrar = _lank(request, sortera=None)
    context = {
        "region": region,
        "form": form,
        "oversikt": oversikt,
        "sortering": sortering,
        "exportparametrar": "" if exportparametrar == "?" else exportparametrar,
        "fordelning_figur": charts.figur_json(charts.fordelning_figur(etiketter, fordelningar)),
        "fordelning_sammanfattning": charts.fordelning_sammanfattning(etiketter, fordelningar),
        "trend_figur": charts.figur_json(charts.trend_figur(trend)),
        "trend_sammanfattning": charts.trend_sammanfattning(trend),
        "kan_planera": behorighet.planerar_region(request.user, region),
        "heatmap_rader": _heatmap_rader(oversikt),
        "nedgang_rader": _nedgang_rader(oversikt),
        "forsenade_rader": _forsenade_rader(oversikt),
        **_tabeller(oversikt, [o.namn for o in oversikt.omgangar]),
    }
    partial = None if request.htmx.history_restore_request else "oversikt"
    return render_page_or_partial(
        request, "uppfoljning/region_oversikt.html", context, partial=partial
    )


@require_GET
@login_required
def nationell_oversikt(request: HttpRequest) -> HttpResponse:
    if not behorighet.ser_nationellt(request.user):
        raise Http404
    oversikt = s.nationell_oversikt_get(regioner=behorighet.regioner_for(request.user))
    etiketter = [_tema_etikett(t) for t in oversikt.teman]
    fordelningar = [oversikt.fordelning_per_tema[t.kod] for t in oversikt.teman]
    trend = {
        _tema_etikett(t): [(str(ar), j) for ar, j in oversikt.trend_andel[t.kod]]
        for t in oversikt.teman
    }
    context = {
        "oversikt": oversikt,
        "fordelning_figur": charts.figur_json(charts.fordelning_figur(etiketter, fordelningar)),
        "fordelning_sammanfattning": charts.fordelning_sammanfattning(etiketter, fordelningar),
        "trend_figur": charts.figur_json(charts.trend_figur(trend)),
        "trend_sammanfattning": charts.trend_sammanfattning(trend),
        "trend_rubrik": "åren",
        "trend_kolumn": "år (omgångarnas startår)",
        **_tabeller(oversikt, [str(ar) for ar, _j in next(iter(oversikt.trend.values()), [])]),
    }
    return render(request, "uppfoljning/nationell_oversikt.html", context)


@require_GET
@login_required
def region_export(request: HttpRequest, kod: str, format: str) -> HttpResponse:
    """CSV or XLSX of the dashboard's units (same scope and filters), every round."""
    region, _form, enheter, _omgangar = _region_urval(request, kod)
    filnamn = f"malbild-{region.kod}-{region.namn.lower().replace(' ', '-')}"
    if format == "csv":
        return exports.csv_response(region=region, vardcentraler=enheter, filnamn=filnamn)
    return exports.xlsx_response(region=region, vardcentraler=enheter, filnamn=filnamn)
