"""The "Användare" pages, invitations and the single sign-on entry points.

Who may do what is asked of ``vardcentraler.behorighet``; every user lookup goes
through ``selectors.anvandare_get_for_user`` (404 outside the actor's scope).
"""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from vardcentraler import behorighet
from vardcentraler.models import Region

from . import selectors, services
from .forms import InbjudanForm, RegionValForm, RollForm
from .sso import SESSION_FEL, SsoCallbackView

SMTP_FEL = "E-postmeddelandet kunde inte skickas. Inget har sparats; försök igen om en stund."


def lokala_losenord(view):
    """Password views exist only while local passwords are on."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.LOKALA_LOSENORD:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _krav_hantering(request: HttpRequest) -> None:
    if not behorighet.far_hantera_anvandare(request.user):
        raise Http404


def _bas_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _fel_till_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for falt, fel in exc.error_dict.items():
            form.add_error(falt if falt in form.fields else None, fel)
    else:
        form.add_error(None, exc)


@require_GET
@login_required
def anvandare_list(request: HttpRequest) -> HttpResponse:
    _krav_hantering(request)
    sida = Paginator(selectors.anvandare_list_for(request.user), 50).get_page(
        request.GET.get("sida")
    )
    rader = selectors.anvandare_rader(sida)
    context = {
        "sida": sida,
        "rader": rader,
        "region": behorighet.anvandarregion(request.user),
        "admin": behorighet.far_hantera_nationella_anvandare(request.user),
    }
    return render(request, "konton/anvandare_list.html", context)


def _vald_region(request: HttpRequest) -> tuple[Region | None, bool]:
    """The region of a new user: the planner's own; an administrator chooses (or none).
    Returns (region, chosen) where chosen is False while an administrator has not chosen."""
    egen = behorighet.anvandarregion(request.user)
    if egen is not None:
        return egen, True
    if "region" not in request.GET:
        return None, False
    form = RegionValForm(request.GET)
    if not form.is_valid():
        raise Http404
    return form.cleaned_data["region"], True


@require_http_methods(["GET", "POST"])
@login_required
def inbjudan_create(request: HttpRequest) -> HttpResponse:
    _krav_hantering(request)
    region, vald = _vald_region(request)
    if not vald:
        return render(request, "konton/inbjudan_region.html", {"form": RegionValForm()})
    form = InbjudanForm(request.POST or None, aktor=request.user, region=region)
    if not form.fields["roll"].choices:
        raise Http404
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            anvandare = services.inbjudan_create(
                av=request.user,
                fornamn=d["fornamn"],
                efternamn=d["efternamn"],
                epost=d["epost"],
                roll=d["roll"],
                region=region,
                vardcentraler=d.get("vardcentraler") or (),
                hsa_id=d["hsa_id"],
                bas_url=_bas_url(request),
            )
        except ValidationError as exc:
            _fel_till_form(form, exc)
        except OSError:
            form.add_error(None, SMTP_FEL)
        else:
            messages.success(request, f"En inbjudan har skickats till {anvandare.email}.")
            return redirect("konton:anvandare_detail", anvandare.username)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "konton/inbjudan_create.html", {"form": form, "region": region}, status=status
    )


@require_GET
@login_required
def anvandare_detail(request: HttpRequest, username: str) -> HttpResponse:
    _krav_hantering(request)
    anvandare = selectors.anvandare_get_for_user(request.user, username)
    context = {
        "anvandare": anvandare,
        "status": selectors.status(anvandare),
        "roll": behorighet.roll_namn(anvandare),
        "region": services.anvandarens_region(anvandare),
        "historik": selectors.anvandare_historik(anvandare),
        "ar_jag": anvandare.pk == request.user.pk,
    }
    return render(request, "konton/anvandare_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def anvandare_update(request: HttpRequest, username: str) -> HttpResponse:
    _krav_hantering(request)
    anvandare = selectors.anvandare_get_for_user(request.user, username)
    region = services.anvandarens_region(anvandare)
    if anvandare.pk == request.user.pk:
        raise Http404
    form = RollForm(
        request.POST or None,
        aktor=request.user,
        region=region,
        initial=selectors.roll_initial(anvandare),
    )
    if not form.fields["roll"].choices:
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            services.anvandare_update(
                av=request.user,
                anvandare=anvandare,
                roll=form.cleaned_data["roll"],
                region=region,
                vardcentraler=form.cleaned_data.get("vardcentraler") or (),
            )
        except ValidationError as exc:
            _fel_till_form(form, exc)
        else:
            messages.success(request, "Rollen är ändrad.")
            return redirect("konton:anvandare_detail", anvandare.username)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "anvandare": anvandare, "region": region}
    return render(request, "konton/anvandare_update.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def anvandare_deactivate(request: HttpRequest, username: str) -> HttpResponse:
    """GET asks "are you sure?"; POST deactivates."""
    _krav_hantering(request)
    anvandare = selectors.anvandare_get_for_user(request.user, username)
    fel = None
    if request.method == "POST":
        try:
            services.anvandare_deactivate(av=request.user, anvandare=anvandare)
        except ValidationError as exc:
            fel = exc.messages[0]
        else:
            messages.success(request, f"{anvandare.get_full_name()} är inaktiverad.")
            return redirect("konton:anvandare_detail", anvandare.username)
    return render(
        request,
        "konton/anvandare_deactivate.html",
        {"anvandare": anvandare, "fel": fel},
        status=422 if fel else 200,
    )


@require_POST
@login_required
def anvandare_reactivate(request: HttpRequest, username: str) -> HttpResponse:
    _krav_hantering(request)
    anvandare = selectors.anvandare_get_for_user(request.user, username)
    try:
        services.anvandare_reactivate(av=request.user, anvandare=anvandare)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{anvandare.get_full_name()} är aktiv igen.")
    return redirect("konton:anvandare_detail", anvandare.username)


@require_POST
@login_required
def inbjudan_resend(request: HttpRequest, username: str) -> HttpResponse:
    _krav_hantering(request)
    anvandare = selectors.anvandare_get_for_user(request.user, username)
    try:
        services.inbjudan_resend(av=request.user, anvandare=anvandare, bas_url=_bas_url(request))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    except OSError:
        messages.error(request, SMTP_FEL)
    else:
        messages.success(
            request,
            f"En ny inbjudan har skickats till {anvandare.email}. Äldre länkar gäller inte.",
        )
    return redirect("konton:anvandare_detail", anvandare.username)


@require_http_methods(["GET", "POST"])
def inbjudan_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: choose a password, or go on to the region's SSO."""
    inbjudan = selectors.inbjudan_giltig(token)
    if inbjudan is None:
        return render(request, "konton/inbjudan_ogiltig.html", status=404)
    form = SetPasswordForm(inbjudan.anvandare, request.POST or None)
    if request.method == "POST":
        if not settings.LOKALA_LOSENORD:
            raise Http404
        if form.is_valid():
            try:
                anvandare = services.inbjudan_accept(
                    token=token, losenord=form.cleaned_data["new_password1"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                login(request, anvandare, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, "Välkommen! Ditt lösenord är sparat.")
                return redirect("start")
    context = {"inbjudan": inbjudan, "form": form, "sso_url": reverse("konton:sso_start")}
    status = 422 if request.method == "POST" else 200
    return render(request, "konton/inbjudan_accept.html", context, status=status)


# --- Single sign-on ---------------------------------------------------------------------


@require_GET
def sso_start(request: HttpRequest) -> HttpResponse:
    if not settings.SSO_PA:
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


@require_GET
def sso_callback(request: HttpRequest) -> HttpResponse:
    if not settings.SSO_PA:
        raise Http404
    return SsoCallbackView.as_view()(request)


@require_GET
def sso_nekad(request: HttpRequest) -> HttpResponse:
    """Why a single sign-on did not let the person in, and whom to ask."""
    skal = request.session.pop(SESSION_FEL, "ogiltig")
    return render(request, "konton/sso_nekad.html", {"skal": skal}, status=403)
