"""Downloads of the PDF reports and the region's ZIP of färdplaner.

Scope: a färdplan is a unit's document (its planners, its verksamhetschef; never a
national reader); the kravställning basis is an aggregate, readable by everyone who
may read the region (national readers: every region); the ZIP is the planner's.
A färdplan the worker stored from today's data is served as stored (uppfoljning/fardplanlager.py).
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from lib.htmx import render_page_or_partial
from lib.tidsgrans import Tidsgrans
from vardcentraler import behorighet
from vardcentraler.models import Omgang, Sjalvskattning

from . import fardplanlager, pdf, services
from .arkiv import arkiv_avbryt_inaktiva
from .forms import FardplanArkivForm
from .models import FardplanArkiv


def _pdf_response(skapa, filnamn: str) -> HttpResponse:
    """The PDF from ``skapa()``, or a Swedish page when it took longer than its time limit."""
    try:
        innehall = skapa()
    except Tidsgrans:
        return HttpResponse(render_to_string("uppfoljning/pdf_tidsgrans.html"), status=503)
    response = HttpResponse(innehall, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filnamn}"'
    return response


@require_GET
@login_required
def fardplan_pdf(request: HttpRequest, pk: int, hsa_id: str) -> HttpResponse:
    vardcentral = behorighet.vardcentral_get_for_user(request.user, hsa_id)
    omgang = behorighet.omgang_get_for_user(request.user, pk)
    sjalvskattning = get_object_or_404(
        Sjalvskattning.objects.select_related(*fardplanlager.RELATERADE),
        vardcentral=vardcentral,
        omgang=omgang,
    )
    return _pdf_response(
        lambda: fardplanlager.fardplan_pdf_aktuell(sjalvskattning),
        pdf.fardplan_filnamn(sjalvskattning),
    )


def _omgang_i_region(user, kod: str, pk: int) -> Omgang:
    region = behorighet.region_get_for_user(user, kod)
    return get_object_or_404(
        Omgang.objects.select_related("region", "malbild_version"), pk=pk, region=region
    )


@require_GET
@login_required
def kravstallning_pdf(request: HttpRequest, kod: str, pk: int) -> HttpResponse:
    omgang = _omgang_i_region(request.user, kod, pk)
    return _pdf_response(lambda: pdf.kravstallning_pdf(omgang), pdf.kravstallning_filnamn(omgang))


@require_GET
@login_required
def rapport_index(request: HttpRequest) -> HttpResponse:
    """The regions whose reports the user may read; one region goes straight to its page."""
    regioner = list(behorighet.regioner_for(request.user).order_by("kod"))
    if not regioner:
        raise Http404
    if len(regioner) == 1:
        return redirect("uppfoljning:rapport_region", kod=regioner[0].kod)
    return render(request, "uppfoljning/rapport_index.html", {"regioner": regioner})


@require_GET
@login_required
def rapport_region(request: HttpRequest, kod: str) -> HttpResponse:
    region = behorighet.region_get_for_user(request.user, kod)
    omgangar = list(Omgang.objects.filter(region=region).order_by("-period_start"))
    planerar = behorighet.planerar_region(request.user, region)
    arkiv = (
        list(
            FardplanArkiv.objects.filter(omgang__region=region)
            .select_related("omgang")
            .order_by("-skapad")[:10]
        )
        if planerar
        else []
    )
    context = {
        "region": region,
        "omgangar": omgangar,
        "planerar": planerar,
        "arkiv": arkiv,
        "ser_enheter": behorighet.ser_enheter(request.user),
    }
    return render(request, "uppfoljning/rapport_region.html", context)


def _arkiv_get_for_user(user, pk) -> FardplanArkiv:
    arkiv_avbryt_inaktiva(pk=pk)  # a job without a heartbeat reads as failed, not "Pågår"
    arkiv = get_object_or_404(FardplanArkiv.objects.select_related("omgang__region"), pk=pk)
    if not behorighet.planerar_region(user, arkiv.omgang.region):
        raise Http404
    return arkiv


@require_POST
@login_required
def fardplan_arkiv_create(request: HttpRequest, kod: str, pk: int) -> HttpResponse:
    region = behorighet.region_managed_get_for_user(request.user, kod)
    omgang = get_object_or_404(Omgang, pk=pk, region=region)
    form = FardplanArkivForm(request.POST)
    form.is_valid()  # a checkbox: absent or "false" means approved only; it cannot be invalid
    arkiv = services.fardplan_arkiv_create(
        omgang=omgang,
        anvandare=request.user,
        med_inskickade=form.cleaned_data.get("med_inskickade", False),
    )
    return redirect("uppfoljning:fardplan_arkiv_detail", pk=arkiv.pk)


@require_GET
@login_required
def fardplan_arkiv_detail(request: HttpRequest, pk) -> HttpResponse:
    arkiv = _arkiv_get_for_user(request.user, pk)
    return render_page_or_partial(
        request, "uppfoljning/fardplan_arkiv_detail.html", {"arkiv": arkiv}, partial="arkiv-status"
    )


@require_GET
@login_required
def fardplan_arkiv_download(request: HttpRequest, pk) -> FileResponse:
    arkiv = _arkiv_get_for_user(request.user, pk)
    if arkiv.status != FardplanArkiv.Status.KLAR or not arkiv.fil:
        raise Http404
    try:
        fil = arkiv.fil.open("rb")
    except FileNotFoundError:
        raise Http404("Arkivfilen finns inte längre. Skapa arkivet igen.") from None
    return FileResponse(
        fil,
        as_attachment=True,
        filename=arkiv.fil.name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )
