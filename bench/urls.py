"""The app's URLs plus the baseline: an authenticated view that does almost nothing."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
@login_required
def baslinje(request: HttpRequest) -> HttpResponse:
    """Session + user lookup through the whole middleware stack, and a tiny response."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("bench/baslinje/", baslinje, name="bench_baslinje"),
    path("", include("config.urls")),
]
