import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.htmx import render_page_or_partial

from .. import behorighet
from ..omgangar.selectors import sjalvskattning_list_for_vardcentral
from . import selectors
from .forms import ImportForm, VardcentralFilterForm
from .importer import ImportFilFel, import_apply, import_preview

IMPORT_SESSION_KEY = "vardcentral_import"


@require_GET
@login_required
def vardcentral_list(request: HttpRequest) -> HttpResponse:
    if not behorighet.ser_regionen(request.user):
        raise Http404
    form = VardcentralFilterForm(request.GET)
    filter_ = form.cleaned_data if form.is_valid() else {}
    qs = selectors.vardcentral_list_for_user(
        request.user, q=filter_.get("q", ""), driftsform=filter_.get("driftsform", "")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("sida"))
    region = behorighet.egen_region(request.user)
    context = {
        "form": form,
        "page": page,
        "region": region,
        "kan_importera": behorighet.kan_importera(request.user),
    }
    return render_page_or_partial(
        request, "vardcentraler/vardcentral_list.html", context, partial="vardcentral-tabell"
    )


@require_GET
@login_required
def vardcentral_detail(request: HttpRequest, hsa_id: str) -> HttpResponse:
    vardcentral = behorighet.vardcentral_get_for_user(request.user, hsa_id)
    context = {
        "vardcentral": vardcentral,
        "kan_planera": behorighet.planerar_region(request.user, vardcentral.region),
        "sjalvskattningar": sjalvskattning_list_for_vardcentral(request.user, vardcentral),
    }
    return render(request, "vardcentraler/vardcentral_detail.html", context)


def _import_region(request: HttpRequest):
    if not behorighet.kan_importera(request.user):
        raise Http404
    return behorighet.egen_region(request.user)


@require_http_methods(["GET", "POST"])
@login_required
def vardcentral_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload a file and see every row's errors. Nothing is written here."""
    region = _import_region(request)
    forhandsvisning = None
    fel = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fil = form.cleaned_data["fil"]
        innehall = fil.read()
        try:
            forhandsvisning = import_preview(region=region, filnamn=fil.name, innehall=innehall)
        except ImportFilFel as exc:
            fel = str(exc)
        else:
            request.session[IMPORT_SESSION_KEY] = {
                "region": region.pk,
                "filnamn": fil.name,
                "innehall": base64.b64encode(innehall).decode(),
            }
    context = {"form": form, "region": region, "forhandsvisning": forhandsvisning, "fel": fel}
    status = 422 if request.method == "POST" and (fel or not form.is_valid()) else 200
    return render(request, "vardcentraler/vardcentral_import.html", context, status=status)


@require_GET
@login_required
def vardcentral_import_mall(request: HttpRequest) -> HttpResponse:
    """An empty CSV template with the expected headings and one example row."""
    _import_region(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="vardcentraler-mall.csv"'
    response.write("\ufeffHSA-id;Namn;Kommunkod;Driftsform;Listade patienter;Aktiv\r\n")
    response.write("SE2321000016-ABC1;Vårdcentralen Exempel;0180;regional;8500;ja\r\n")
    return response


@require_POST
@login_required
def vardcentral_import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: write the previewed file, all rows or none."""
    region = _import_region(request)
    sparad = request.session.get(IMPORT_SESSION_KEY)
    if not sparad or sparad.get("region") != region.pk:
        messages.error(request, "Det finns ingen förhandsgranskad fil. Ladda upp filen igen.")
        return redirect("vardcentraler:vardcentral_import")
    try:
        nya, uppdaterade = import_apply(
            region=region,
            filnamn=sparad["filnamn"],
            innehall=base64.b64decode(sparad["innehall"]),
        )
    except ImportFilFel as exc:
        messages.error(request, str(exc))
        return redirect("vardcentraler:vardcentral_import")
    del request.session[IMPORT_SESSION_KEY]
    messages.success(
        request, f"Importen är klar: {nya} nya och {uppdaterade} uppdaterade vårdcentraler."
    )
    return redirect("vardcentraler:vardcentral_list")
