"""The region's requirements per round: read by the region's users, written by its planners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from malbild.models import Kriterium
from vardcentraler import selectors as vsel
from vardcentraler.models import Krav, Omgang

from . import services
from .forms_krav import krav_formset


def _kriterier(omgang: Omgang) -> list[Kriterium]:
    """The round's criteria in the målbild's order. One query."""
    return list(
        Kriterium.objects.filter(tema__version_id=omgang.malbild_version_id)
        .select_related("tema")
        .order_by("tema__ordning", "ordning")
    )


@require_GET
@login_required
def krav_list(request: HttpRequest, pk: int) -> HttpResponse:
    omgang = vsel.omgang_get_for_user(request.user, pk)
    krav = {k.kriterium_id: k for k in Krav.objects.filter(omgang=omgang)}
    rader = [(k, krav.get(k.pk)) for k in _kriterier(omgang)]
    context = {
        "omgang": omgang,
        "rader": rader,
        "kan_andra": vsel.planerar_region(request.user, omgang.region),
        "antal": {
            niva: sum(1 for _k, kr in rader if kr and kr.kravniva == niva)
            for niva in Krav.Kravniva.values
        },
    }
    return render(request, "uppfoljning/krav_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def krav_update(request: HttpRequest, pk: int) -> HttpResponse:
    omgang = vsel.omgang_get_for_user(request.user, pk)
    if not vsel.planerar_region(request.user, omgang.region):
        raise Http404
    kriterier = _kriterier(omgang)
    befintliga = {k.kriterium_id: k for k in Krav.objects.filter(omgang=omgang)}
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
                services.KravRad(
                    kriterium_id=f.cleaned_data["kriterium_id"],
                    kravniva=f.cleaned_data["kravniva"],
                    formulering=f.cleaned_data["formulering"],
                    dokument=f.cleaned_data["dokument"],
                    avsnitt=f.cleaned_data["avsnitt"],
                )
                for f in formset.forms
            ]
            try:
                andrade = services.krav_save(omgang=omgang, rader=rader)
            except ValidationError as exc:
                fel = exc.messages
            else:
                messages.success(request, f"Kraven är sparade ({andrade} ändrade).")
                return redirect("uppfoljning:krav_list", pk=omgang.pk)
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
        "uppfoljning/krav_update.html",
        context,
        status=422 if request.method == "POST" else 200,
    )
