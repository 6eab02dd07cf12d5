"""The region's list of all actions (åtgärder), filterable and exportable.

Scoped like the region dashboard: planners see their region, managers their own units,
national readers nothing (404).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from malbild.versioner import katalog_get
from uppfoljning import exports
from uppfoljning.forms import AtgardUrvalForm
from uppfoljning.selectors import atgarder, common
from vardcentraler import behorighet


def _lista(request: HttpRequest, kod: str):
    if not behorighet.ser_regionen(request.user):
        raise Http404
    vald_region = behorighet.region_get_for_user(request.user, kod)
    vardcentraler = behorighet.vardcentraler_for(request.user).filter(region=vald_region)
    katalog = katalog_get()
    omgangar = common.omgangar_for_region(vald_region)
    teman = katalog.teman(omgangar[-1].malbild_version_id) if omgangar else []
    form = AtgardUrvalForm(request.GET, teman=teman)
    form.is_valid()
    lista = atgarder.atgard_list(vardcentraler=vardcentraler, urval=form.urval(), katalog=katalog)
    return vald_region, form, lista


@require_GET
@login_required
def atgard_list(request: HttpRequest, kod: str) -> HttpResponse:
    vald_region, form, lista = _lista(request, kod)
    parametrar = request.GET.urlencode()
    return render(
        request,
        "uppfoljning/atgard_list.html",
        {
            "region": vald_region,
            "form": form,
            "lista": lista,
            "exportparametrar": f"?{parametrar}" if parametrar else "",
        },
    )


@require_GET
@login_required
def atgard_export(request: HttpRequest, kod: str, format: str) -> HttpResponse:
    """The filtered list as CSV or XLSX (same scope and filters as the page)."""
    vald_region, _form, lista = _lista(request, kod)
    return exports.tabell_response(
        format,
        atgarder.atgard_export_rader(lista),
        filnamn=exports.region_filnamn("atgarder", vald_region),
        rubriker=atgarder.RUBRIKER,
        bredder=atgarder.BREDDER,
        blad="Åtgärder",
    )
