"""The region's requirements per round: read by the region's users, written by its planners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .. import behorighet
from ..models import Krav
from . import selectors, services_krav
from .forms_krav import krav_formset


@require_GET
@login_required
def krav_list(request: HttpRequest, pk: int) -> HttpResponse:
    omgang = behorighet.omgang_get_for_user(request.user, pk)
    krav = selectors.krav_for_omgang(omgang)
    rader = [(k, krav.get(k.pk)) for k in selectors.kriterier_for_omgang(omgang)]
    context = {
        "omgang": omgang,
        "rader": rader,
        "kan_andra": behorighet.planerar_region(request.user, omgang.region),
        "antal": {
            niva: sum(1 for _k, kr in rader if kr and kr.kravniva == niva)
            for niva in Krav.Kravniva.values
        },
    }
    return render(request, "vardcentraler/krav_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def krav_update(request: HttpRequest, pk: int) -> HttpResponse:
    omgang = behorighet.omgang_get_for_user(request.user, pk)
    if not behorighet.planerar_region(request.user, omgang.region):
        raise Http404
    kriterier = selectors.kriterier_for_omgang(omgang)
    befintliga = selectors.krav_for_omgang(omgang)
    initial = [
        {
            "kriterium_id": k.pk,
            "kravniva": befintliga[k.pk].kravniva if k.pk in befintliga else Krav.Kravniva.EJ,
            "formulering": befintliga[k.pk].formulering if k.pk in befintliga else "",
            "dokument": befintliga[k.pk].dokument if k.pk in befintliga else "",
            "avsnitt": befintliga[k.pk].avsnitt if k.pk in befintliga else "",
        }
        for k in kriterier
    ]
    formset = krav_formset(len(kriterier))(request.POST or None, initial=initial, prefix="krav")
    fel: list[str] = []
    if request.method == "POST":
        if formset.is_valid():
            rader = [
                services_krav.KravRad(
                    kriterium_id=f.cleaned_data["kriterium_id"],
                    kravniva=f.cleaned_data["kravniva"],
                    formulering=f.cleaned_data["formulering"],
                    dokument=f.cleaned_data["dokument"],
                    avsnitt=f.cleaned_data["avsnitt"],
                )
                for f in formset.forms
            ]
            try:
                andrade = services_krav.krav_save(omgang=omgang, rader=rader)
            except ValidationError as exc:
                fel = exc.messages
            else:
                messages.success(request, f"Kraven är sparade ({andrade} ändrade).")
                return redirect("vardcentraler:krav_list", pk=omgang.pk)
        else:
            fel = ["Formuläret innehåller fel. Rätta de markerade fälten."]
    context = {
        "omgang": omgang,
        "formset": formset,
        "rader": list(zip(kriterier, formset.forms, strict=False)),
        "fel": fel,
    }
    return render(
        request,
        "vardcentraler/krav_update.html",
        context,
        status=422 if request.method == "POST" else 200,
    )
