"""The second factor: verify after the password, and set up or turn off (TOTP)."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from vardcentraler.behorighet import tvasteg_erbjuds, tvasteg_kravs

from . import services
from .forms import KodForm

SESSION_BEHOV = "tvasteg_behov"  # "verifiera" or "installera", set at login
SESSION_NYCKEL = "tvasteg_ny_nyckel"  # the secret being set up, until confirmed


def _nasta(request: HttpRequest) -> str:
    nasta = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        nasta, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nasta
    return reverse("start")


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def tvasteg_verify(request: HttpRequest) -> HttpResponse:
    device = services.totp_device_confirmed(request.user)
    if device is None or request.user.is_verified():
        request.session.pop(SESSION_BEHOV, None)
        return redirect(_nasta(request))
    form = KodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_verify(device=device, kod=form.cleaned_data["kod"]):
            otp_login(request, device)
            request.session.pop(SESSION_BEHOV, None)
            return redirect(_nasta(request))
        form.add_error(
            "kod",
            "Koden stämmer inte. Skriv den kod som visas i appen just nu; "
            "efter flera fel får du vänta en stund mellan försöken.",
        )
    return render(
        request,
        "inloggning/tvasteg_verify.html",
        {"form": form, "next": _nasta(request), "vantar_pa_tvasteg": True},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def tvasteg_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (tvasteg_erbjuds(user) or tvasteg_kravs(user)):
        raise Http404
    device = services.totp_device_confirmed(user)
    if device is not None and request.method == "GET" and request.GET.get("byt") != "1":
        return render(
            request,
            "inloggning/tvasteg_status.html",
            {"device": device, "kravs": tvasteg_kravs(user)},
        )
    nyckel = request.session.get(SESSION_NYCKEL)
    if not nyckel:
        nyckel = request.session[SESSION_NYCKEL] = services.totp_nyckel_create()
    form = KodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ny = services.totp_confirm(user=user, nyckel=nyckel, kod=form.cleaned_data["kod"])
        if ny is not None:
            otp_login(request, ny)
            request.session.pop(SESSION_NYCKEL, None)
            request.session.pop(SESSION_BEHOV, None)
            messages.success(request, "Tvåstegsverifiering är på för ditt konto.")
            return redirect(
                _nasta(request) if request.POST.get("next") else "inloggning:tvasteg_setup"
            )
        form.add_error(
            "kod",
            "Koden stämmer inte. Kontrollera att appen visar kontot och skriv den senaste koden.",
        )
    url = services.totp_config_url(nyckel=nyckel, anvandarnamn=user.get_username())
    qr = base64.b64encode(services.totp_qr_svg(url)).decode()
    return render(
        request,
        "inloggning/tvasteg_setup.html",
        {
            "form": form,
            "qr_data_uri": f"data:image/svg+xml;base64,{qr}",
            "nyckel_text": services.totp_nyckel_text(nyckel),
            "byter": device is not None,
            "kravs": tvasteg_kravs(user),
            "next": request.GET.get("next") or request.POST.get("next") or "",
            "vantar_pa_tvasteg": SESSION_BEHOV in request.session,
        },
        status=422 if form.errors else 200,
    )


@require_POST
@login_required
def tvasteg_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not tvasteg_erbjuds(user):
        raise Http404
    if tvasteg_kravs(user):
        messages.error(
            request,
            "Administratörer måste ha tvåstegsverifiering; den kan bytas men inte stängas av.",
        )
        return redirect("inloggning:tvasteg_setup")
    services.totp_disable(user=user)
    messages.success(request, "Tvåstegsverifiering är avstängd för ditt konto.")
    return redirect("inloggning:tvasteg_setup")
