"""A user's own notices and mail settings. Everyone signed in has these; nobody sees another's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import InstallningForm


@require_GET
@login_required
def notis_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notis_list_for_user(request.user), 30).get_page(
        request.GET.get("sida")
    )
    return render(request, "notiser/notis_list.html", {"page": page})


@require_POST
@login_required
def notis_mark_read(request: HttpRequest) -> HttpResponse:
    services.notiser_mark_read(anvandare=request.user)
    messages.success(request, "Alla notiser är markerade som lästa.")
    return redirect("notiser:notis_list")


@require_http_methods(["GET", "POST"])
@login_required
def installning_update(request: HttpRequest) -> HttpResponse:
    initial = {"veckosammanfattning": selectors.veckosammanfattning_for(request.user)}
    form = InstallningForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.installning_update(
            anvandare=request.user,
            veckosammanfattning=form.cleaned_data["veckosammanfattning"],
        )
        messages.success(request, "Dina inställningar är sparade.")
        return redirect("notiser:installning_update")
    return render(
        request,
        "notiser/installning_update.html",
        {"form": form},
        status=422 if form.is_bound else 200,
    )
