"""The app's URLs plus two baselines that do almost nothing, both authenticated.

``bench_baslinje`` renders the site layout (base.html: menu, context processors, CSP
nonce, CSRF token) around an empty page: the fixed cost every page pays, and the
reference for the ratios. ``bench_baslinje_minimal`` answers a few bytes of text: the cost
of the middleware stack, session and user lookup alone.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
@login_required
def baslinje(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/baslinje.html")


@require_GET
@login_required
def baslinje_minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("bench/baslinje/", baslinje, name="bench_baslinje"),
    path("bench/baslinje-minimal/", baslinje_minimal, name="bench_baslinje_minimal"),
    path("", include("config.urls")),
]
