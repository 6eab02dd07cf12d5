"""Rounds, targets, the assessment form (autosave over htmx), actions, review and history.

Every lookup goes through the scoping selectors: another region's round or unit is 404.
Writes go through ``services``; a refused write answers 422 (409 for a stale save) with
the Swedish message beside the field and in the summary at the top, and changes nothing.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lib.htmx import render_page_or_partial
from malbild.selectors import malbild_version_senaste

from .. import behorighet
from ..models import Sjalvskattning
from . import selectors, selectors_granskning, services
from .forms import (
    OmgangFilterForm,
    OmgangForm,
)

FORMULAR = "vardcentraler/sjalvskattning_detail.html"
KOLUMNER = [
    ("namn", "Vårdcentral"),
    ("status", "Status"),
    ("framsteg", "Besvarade"),
    ("andrad", "Senast ändrad"),
]


def fel_per_falt(exc: ValidationError) -> dict[str, list[str]]:
    """Messages by field; those without a field under "allmant" (templates can't read __all__)."""
    if hasattr(exc, "error_dict"):
        return {("allmant" if f == "__all__" else f): m for f, m in exc.message_dict.items()}
    return {"allmant": exc.messages}


def sjalvskattning_url(s: Sjalvskattning, ankare: str = "") -> str:
    url = reverse("vardcentraler:sjalvskattning_detail", args=[s.omgang_id, s.vardcentral.hsa_id])
    return f"{url}#{ankare}" if ankare else url


# --- Rounds ---------------------------------------------------------------------------------


@require_GET
@login_required
def omgang_list(request: HttpRequest) -> HttpResponse:
    if not behorighet.ser_regionen(request.user):
        raise Http404
    region = behorighet.egen_region(request.user)
    context = {
        "omgangar": selectors.omgang_list_for_user(request.user),
        "region": region,
        "kan_skapa": behorighet.kan_skapa_omgang(request.user),
    }
    return render(request, "vardcentraler/omgang_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def omgang_create(request: HttpRequest) -> HttpResponse:
    if not behorighet.kan_skapa_omgang(request.user):
        raise Http404
    valj_region = behorighet.kan_valja_region(request.user)
    region = None if valj_region else behorighet.egen_region(request.user)
    idag = timezone.localdate()
    initial = {
        **selectors_granskning.omgang_defaults(region_id=region.pk if region else None, idag=idag),
        "malbild_version": malbild_version_senaste(),
    }
    form = OmgangForm(
        request.POST or None,
        initial=initial,
        regioner=selectors.region_list() if valj_region else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                omgang = services.omgang_create(
                    region=data.get("region") or region,
                    namn=data["namn"],
                    malbild_version=data["malbild_version"],
                    period_start=data["period_start"],
                    period_slut=data["period_slut"],
                    sista_dag=data["sista_dag"],
                    anvandare=request.user,
                )
            except ValidationError as exc:
                for falt, fel in fel_per_falt(exc).items():
                    form.add_error(falt if falt in form.fields else None, fel)
            else:
                messages.success(
                    request,
                    f"Omgången {omgang.namn} är öppnad med {selectors.antal_sjalvskattningar(omgang)} "
                    "självskattningar. Sätt regionens målnivåer för omgången.",
                )
                return redirect("vardcentraler:malniva_update", pk=omgang.pk)
        status = 422
    return render(
        request,
        "vardcentraler/omgang_create.html",
        {
            "form": form,
            "region": region,
            "ej_inskickade": (
                selectors_granskning.ej_inskickade_i_senaste(region_id=region.pk)
                if region
                else None
            ),
        },
        status=status,
    )


@require_GET
@login_required
def omgang_detail(request: HttpRequest, pk: int) -> HttpResponse:
    omgang = behorighet.omgang_get_for_user(request.user, pk)
    form = OmgangFilterForm(request.GET)
    filter_ = form.cleaned_data if form.is_valid() else {}
    sortera = filter_.get("sortera") or "namn"
    if sortera not in selectors.SORTERINGAR:
        sortera = "namn"
    rader = list(
        selectors.sjalvskattning_list_for_omgang(
            request.user,
            omgang,
            status=filter_.get("status", ""),
            q=filter_.get("q", ""),
            sortera=sortera,
        )
    )
    totalt = selectors.antal_kriterier(omgang)
    for rad in rader:
        rad.framsteg = selectors.Framsteg(besvarade=rad.besvarade, totalt=totalt)
    params = {k: v for k, v in (("q", filter_.get("q")), ("status", filter_.get("status"))) if v}
    kolumner = []
    for nyckel, namn in KOLUMNER:
        aktiv = sortera.lstrip("-") == nyckel
        nasta = f"-{nyckel}" if sortera == nyckel else nyckel
        kolumner.append(
            {
                "namn": namn,
                "url": f"?{urlencode({**params, 'sortera': nasta})}",
                "aria_sort": (
                    ("descending" if sortera.startswith("-") else "ascending") if aktiv else ""
                ),
                "num": nyckel == "framsteg",
            }
        )
    context = {
        "kolumner": kolumner,
        "sortera_namn": dict(KOLUMNER)[sortera.lstrip("-")].lower(),
        "omgang": omgang,
        "form": form,
        "rader": rader,
        "sortera": sortera,
        "params": params,
        "kan_planera": behorighet.planerar_region(request.user, omgang.region),
        "antal_granskade": len(selectors_granskning.granskade_att_godkanna(omgang)),
        "idag": timezone.localdate(),
    }
    return render_page_or_partial(
        request, "vardcentraler/omgang_detail.html", context, partial="omgang-tabell"
    )


@require_http_methods(["GET", "POST"])
@login_required
def malniva_update(request: HttpRequest, pk: int) -> HttpResponse:
    omgang = behorighet.omgang_managed_get_for_user(request.user, pk)
    kriterier = list(selectors.kriterier_for_version(omgang.malbild_version))
    malnivaer = selectors.malnivaer_for(omgang)
    foregaende = omgang.foregaende()
    tidigare = selectors.malnivaer_for(foregaende)
    fel: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        nivaer = {}
        for k in kriterier:
            varde = request.POST.get(f"k{k.pk}", "")
            try:
                nivaer[k.pk] = int(varde)
            except ValueError:
                fel[f"k{k.pk}"] = ["Välj en målnivå mellan 1 och 4."]
        if not fel:
            try:
                andrade = services.malniva_update(
                    omgang=omgang, nivaer=nivaer, anvandare=request.user
                )
            except ValidationError as exc:
                fel = fel_per_falt(exc)
            else:
                messages.success(request, f"Målnivåerna är sparade ({andrade} ändrade).")
                return redirect("vardcentraler:omgang_detail", pk=omgang.pk)
        status = 422
        malnivaer = {k.pk: request.POST.get(f"k{k.pk}", "") for k in kriterier}
    rader = [
        {
            "kriterium": k,
            "niva": str(malnivaer.get(k.pk, "")),
            "tidigare": tidigare.get(k.pk) or tidigare.get(k.ersatter_id),
            "fel": fel.get(f"k{k.pk}"),
        }
        for k in kriterier
    ]
    context = {
        "omgang": omgang,
        "rader": rader,
        "foregaende": foregaende,
        "fel": fel,
        "nivaer": [1, 2, 3, 4],
    }
    return render(request, "vardcentraler/omgang_malniva_update.html", context, status=status)
