"""Follow-up pages: the gap report, the region dashboard, the national view and the exports.

Views stay thin (no ORM queries, no HTML): scope through vardcentraler.behorighet, compute through
uppfoljning.selectors.{gaprapport,region,nationell}, turn the result into figures through uppfoljning.charts.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from lib.htmx import render_page_or_partial
from uppfoljning import charts, exports, statistik
from uppfoljning.forms import UrvalForm
from uppfoljning.selectors import common, gaprapport, nationell, region
from vardcentraler import behorighet


def _tema_etikett(tema) -> str:
    return f"{tema.ordning}. {tema.kortnamn}"


@require_GET
@login_required
def uppfoljning_start(request: HttpRequest) -> HttpResponse:
    """Send each role to its own view: planners and managers to their region, readers to the nation."""
    if behorighet.ser_nationellt(request.user):
        return redirect("uppfoljning:nationell_oversikt")
    if behorighet.ser_regionen(request.user):
        egen = behorighet.egen_region(request.user) or behorighet.regioner_for(request.user).first()
        if egen is not None:
            return redirect("uppfoljning:region_oversikt", kod=egen.kod)
    raise Http404


@require_GET
@login_required
def gaprapport_detail(request: HttpRequest, hsa_id: str) -> HttpResponse:
    vardcentral = behorighet.vardcentral_get_for_user(request.user, hsa_id)
    try:
        omgang_id = int(request.GET.get("omgang", ""))
    except ValueError:
        omgang_id = None
    rapport = gaprapport.gaprapport_get(vardcentral=vardcentral, omgang_id=omgang_id)
    etiketter = [_tema_etikett(t.tema) for t in rapport.teman]
    context = {
        "vardcentral": vardcentral,
        "rapport": rapport,
        "MIN_GRUPP": statistik.MIN_GRUPP,
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
        "kategorier": list(statistik.KATEGORI_NAMN.items()),
        "fordelningar": [(t, oversikt.fordelning_per_tema[t.kod]) for t in oversikt.teman],
        "trendrader": [
            (t, list(zip(oversikt.trend[t.kod], oversikt.trend_andel[t.kod], strict=True)))
            for t in oversikt.teman
        ],
        "trend_kolumner": kolumner,
        "MIN_GRUPP": statistik.MIN_GRUPP,
    }


def _gaprapport_url() -> dict[str, str]:
    """The gap report URL around the unit's hsa_id: one ``reverse`` for hundreds of rows.

    The template puts ``fore``, the id (``|urlencode``) and ``efter`` together.
    """
    platshallare = "SE0000000000-PLATSHALLARE"  # the shape the hsa converter accepts
    fore, _, efter = reverse("uppfoljning:gaprapport_detail", args=[platshallare]).partition(
        platshallare
    )
    return {"fore": fore, "efter": efter}


def _region_urval(request: HttpRequest, kod: str):
    """The region, the user's units in it, the filter form and the filtered units. 404 outside behorighet."""
    if not behorighet.ser_regionen(request.user):
        raise Http404
    vald_region = behorighet.region_get_for_user(request.user, kod)
    vardcentraler = behorighet.vardcentraler_for(request.user).filter(region=vald_region)
    omgangar = common.omgangar_for_region(vald_region)
    form = UrvalForm(request.GET, kommuner=common.kommuner_for(vardcentraler), omgangar=omgangar)
    form.is_valid()
    return vald_region, form, form.urval().tillampa(vardcentraler), omgangar


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
    vald_region, form, vardcentraler, _omgangar = _region_urval(request, kod)
    sortera = form.cleaned_data.get("sortera") or "namn"
    oversikt = region.region_oversikt_get(
        region=vald_region,
        vardcentraler=vardcentraler,
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
        "region": vald_region,
        "form": form,
        "oversikt": oversikt,
        "sortering": sortering,
        "exportparametrar": "" if exportparametrar == "?" else exportparametrar,
        "fordelning_figur": charts.figur_json(charts.fordelning_figur(etiketter, fordelningar)),
        "fordelning_sammanfattning": charts.fordelning_sammanfattning(etiketter, fordelningar),
        "trend_figur": charts.figur_json(charts.trend_figur(trend)),
        "trend_sammanfattning": charts.trend_sammanfattning(trend),
        "kan_planera": behorighet.planerar_region(request.user, vald_region),
        "gaprapport_url": _gaprapport_url(),
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
    oversikt = nationell.nationell_oversikt_get(regioner=behorighet.regioner_for(request.user))
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
    vald_region, _form, vardcentraler, _omgangar = _region_urval(request, kod)
    filnamn = f"malbild-{vald_region.kod}-{vald_region.namn.lower().replace(' ', '-')}"
    if format == "csv":
        return exports.csv_response(
            region=vald_region, vardcentraler=vardcentraler, filnamn=filnamn
        )
    return exports.xlsx_response(region=vald_region, vardcentraler=vardcentraler, filnamn=filnamn)
