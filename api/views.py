"""The user's own API tokens: list, create (shown once) and revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from vardcentraler import behorighet

from . import services
from .forms import ApiTokenForm
from .models import ApiToken


def _sida(request, form, ny_token: str | None = None) -> HttpResponse:
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(anvandare=request.user),
        "ny_token": ny_token,
        "docs_url": "/api/v1/docs/",
    }
    response = render(request, "api/apitoken_list.html", context)
    response["Cache-Control"] = "no-store"  # the new token is shown once and never cached
    return response


@require_http_methods(["GET", "POST"])
@login_required
def apitoken_list(request: HttpRequest) -> HttpResponse:
    if not behorighet.kan_anvanda_api(request.user):
        raise Http404
    if request.method == "GET":
        return _sida(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _, token = services.apitoken_create(anvandare=request.user, **form.cleaned_data)
        except ValidationError as e:
            for falt, fel in e.message_dict.items():
                form.add_error(falt, fel)
        else:
            return _sida(request, ApiTokenForm(), ny_token=token)
    response = _sida(request, form)
    response.status_code = 400
    return response


@require_POST
@login_required
def apitoken_revoke(request: HttpRequest, token_id) -> HttpResponse:
    rad = services.apitoken_revoke(anvandare=request.user, token_id=token_id)
    messages.success(request, f"Tokenen ”{rad.namn}” är återkallad och fungerar inte längre.")
    return redirect("api:apitoken_list")
