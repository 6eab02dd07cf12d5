"""Follow-up pages: the gap report, the region dashboard, the national view and the exports.

Views stay thin (no ORM queries, no HTML): scope through vardcentraler.behorighet, compute through
uppfoljning.selectors.{gaprapport,region,nationell}, turn the result into figures through uppfoljning.charts.
"""

import zlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from lib.htmx import render_page_or_partial
from malbild import selectors as malbild_selectors
from uppfoljning import charts, exports, statistik
from uppfoljning.forms import UrvalForm
from uppfoljning.selectors import common, gaprapport, nationell, region
from vardcentraler import behorighet


def _tema_etikett(tema) -> str:
    return f"{tema.ordning}. {tema.kortnamn}"


@require_GET
@login_required
def uppfoljning_start(request: HttpRequest) -> HttpResponse:
    """Send each role to its own view: planners (and managers of several units) to their
    region, a manager of one unit to its page, readers to the nation."""
    if behorighet.ser_nationellt(request.user):
        return redirect("uppfoljning:nationell_oversikt")
    # A manager of one unit follows up on that unit's own page: no region filters.
    if (egen := behorighet.egen_vardcentral(request.user)) is not None:
        return redirect("uppfoljning:gaprapport_detail", hsa_id=egen.hsa_id)
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
    """The region, the filter form, the filtered units, the region's rounds and the
    municipalities of the user's units (the form's choices). 404 outside behorighet."""
    if not behorighet.ser_regionen(request.user):
        raise Http404
    vald_region = behorighet.region_get_for_user(request.user, kod)
    vardcentraler = behorighet.vardcentraler_for(request.user).filter(region=vald_region)
    omgangar = common.omgangar_for_region(vald_region)
    teman = list(malbild_selectors.tema_list(omgangar[-1].malbild_version)) if omgangar else []
    kommuner = common.kommuner_for(vardcentraler)
    form = UrvalForm(request.GET, kommuner=kommuner, omgangar=omgangar, teman=teman)
    form.is_valid()
    return vald_region, form, form.urval().tillampa(vardcentraler), omgangar, kommuner


def _lank(request: HttpRequest, **andra) -> str:
    params: QueryDict = request.GET.copy()
    for nyckel, varde in andra.items():
        if varde in (None, ""):
            params.pop(nyckel, None)
        else:
            params[nyckel] = varde
    return f"?{params.urlencode()}" if params else "?"


# A rendering nobody asks for again (its data moved on) ages out of the shared cache.
OVERSIKT_TIDSGRANS = 24 * 60 * 60


def _region_oversikt_html(
    request: HttpRequest, vald_region, form, vardcentraler, omgangar, kommuner
) -> str:
    """The dashboard's swappable part (filter form and everything below it), rendered.

    Kept in the shared cache under ``region.region_oversikt_nyckel``, the fingerprint of
    everything it shows (data, the form's choices, parameters, code), so a cached rendering
    is never stale, only unused. Rendered without the request (no context processors):
    nothing of the user but the units they may see, which are in the key, can enter it.
    """
    idag = timezone.localdate()
    nyckel = "region_oversikt:" + region.region_oversikt_nyckel(
        region=vald_region,
        vardcentraler=vardcentraler,
        omgangar=omgangar,
        formular=(form.fields["kommun"].choices, form.fields["under_mal"].choices),
        parametrar=sorted(request.GET.lists()),
        idag=idag,
    )
    if (komprimerad := cache.get(nyckel)) is not None:
        return mark_safe(zlib.decompress(komprimerad).decode())  # noqa: S308 - our own rendering
    sortera = form.cleaned_data.get("sortera") or "gap"
    farg = form.cleaned_data.get("farg") or "gap"
    oversikt = region.region_oversikt_get(
        region=vald_region,
        vardcentraler=vardcentraler,
        omgang_id=form.cleaned_data.get("omgang"),
        sortera=sortera,
        farg=farg,
        under_mal=form.cleaned_data.get("under_mal") or "",
        idag=idag,
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
    for kolumn in ["namn", "gap", *[t.kod for t in oversikt.teman]]:
        aktiv = sortera.lstrip("-") == kolumn
        # Themes sort weakest first on the first click, names A–Ö, the gap largest first.
        nasta = f"-{kolumn}" if aktiv and not sortera.startswith("-") else kolumn
        fallande = sortera.startswith("-") != (kolumn == "gap")
        sortering[kolumn] = {
            "url": _lank(request, sortera=nasta),
            "aria": ("descending" if fallande else "ascending") if aktiv else "",
        }
    exportparametrar = _lank(request, sortera=None, farg=None, omgang=None)
    context = {
        "region": vald_region,
        "form": form,
        "oversikt": oversikt,
        "sortering": sortering,
        "exportparametrar": "" if exportparametrar == "?" else exportparametrar,
        "exportparametrar_omgang": _lank(
            request, sortera=None, farg=None, omgang=oversikt.omgang.pk if oversikt.omgang else None
        ),
        "fordelning_figur": charts.figur_json(charts.fordelning_figur(etiketter, fordelningar)),
        "fordelning_sammanfattning": charts.fordelning_sammanfattning(etiketter, fordelningar),
        "trend_figur": charts.figur_json(charts.trend_figur(trend)),
        "trend_sammanfattning": charts.trend_sammanfattning(trend),
        "gaprapport_url": _gaprapport_url(),
        "farg": farg,
        "farg_lank": _lank(request, farg="" if farg == "niva" else "niva"),
        **_tabeller(oversikt, [o.namn for o in oversikt.omgangar]),
    }
    html = render_to_string("uppfoljning/region_oversikt.html#oversikt_innehall", context)
    cache.set(nyckel, zlib.compress(html.encode(), 1), OVERSIKT_TIDSGRANS)
    return mark_safe(html)  # noqa: S308 - our own rendering


@require_GET
@login_required
def region_oversikt(request: HttpRequest, kod: str) -> HttpResponse:
    vald_region, form, vardcentraler, omgangar, kommuner = _region_urval(request, kod)
    context = {
        "region": vald_region,
        "oversikt_html": _region_oversikt_html(
            request, vald_region, form, vardcentraler, omgangar, kommuner
        ),
    }
    partial = None if request.htmx.history_restore_request else "oversikt"
    return render_page_or_partial(
        request, "uppfoljning/region_oversikt.html", context, partial=partial
    )


def _nationell(request: HttpRequest):
    if not behorighet.ser_nationellt(request.user):
        raise Http404
    omgang_namn = request.GET.get("omgang", "")[:60] or None
    sortera = request.GET.get("sortera", "")[:40]
    return nationell.nationell_oversikt_get(
        regioner=behorighet.regioner_for(request.user), omgang_namn=omgang_namn, sortera=sortera
    )


@require_GET
@login_required
def nationell_oversikt(request: HttpRequest) -> HttpResponse:
    oversikt = _nationell(request)
    sortera = request.GET.get("sortera", "")
    etiketter = [_tema_etikett(t) for t in oversikt.teman]
    fordelningar = [oversikt.fordelning_per_tema[t.kod] for t in oversikt.teman]
    trend = {
        _tema_etikett(t): [(str(ar), j) for ar, j in oversikt.trend_andel[t.kod]]
        for t in oversikt.teman
    }
    sortering = {}
    for nyckel in ["region", "n", *[t.kod for t in oversikt.teman]]:
        aktiv = sortera.lstrip("-") == nyckel or (nyckel == "region" and not sortera)
        nasta = f"-{nyckel}" if aktiv and not sortera.startswith("-") else nyckel
        fallande = sortera.startswith("-") != (nyckel == "n")
        sortering[nyckel] = {
            "url": _lank(request, sortera=nasta),
            "aria": ("descending" if fallande else "ascending") if aktiv else "",
        }
    koder = [t.kod for t in oversikt.teman]
    vald_tema = request.GET.get("tema") if request.GET.get("tema") in koder else None
    vald_tema = next((t for t in oversikt.teman if t.kod == vald_tema), None) or (
        oversikt.teman[0] if oversikt.teman else None
    )
    exportparametrar = _lank(request, sortera=None, tema=None)
    context = {
        "oversikt": oversikt,
        "sortering": sortering,
        "vald_tema": vald_tema,
        "tema_tabell": nationell.tema_tabell(oversikt, vald_tema.kod) if vald_tema else [],
        "tema_lankar": [(t, _lank(request, tema=t.kod)) for t in oversikt.teman],
        "exportparametrar": "" if exportparametrar == "?" else exportparametrar,
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
def nationell_export(request: HttpRequest, format: str) -> HttpResponse:
    """CSV or XLSX of the national table: one row per region × theme for the chosen round."""
    oversikt = _nationell(request)
    filnamn = f"malbild-nationellt-{oversikt.omgang_namn or 'ingen-omgang'}"
    rader = nationell.nationell_export_rader(oversikt)
    return exports.tabell_response(
        format,
        rader,
        filnamn=filnamn,
        rubriker=nationell.EXPORT_RUBRIKER,
        bredder=nationell.EXPORT_BREDDER,
        blad="Regioner",
    )


@require_GET
@login_required
def region_export(request: HttpRequest, kod: str, format: str) -> HttpResponse:
    """CSV or XLSX of the dashboard's units (same scope and filters), every round."""
    vald_region, form, vardcentraler, _omgangar, _kommuner = _region_urval(request, kod)
    rader = exports.export_rader(
        region=vald_region,
        vardcentraler=vardcentraler,
        omgang_id=form.cleaned_data.get("omgang"),
    )
    filnamn = exports.region_filnamn("malbild", vald_region)
    return exports.tabell_response(format, rader, filnamn=filnamn)
