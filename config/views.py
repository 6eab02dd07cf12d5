"""Site-wide pages: the start page, the health check and the accessibility statement."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from malbild.selectors import malbild_version_senaste
from vardcentraler.selectors import egen_region, roll_for, vardcentraler_for


@require_GET
@login_required
def start(request: HttpRequest) -> HttpResponse:
    roll = roll_for(request.user)
    context = {
        "roll": roll,
        "region": egen_region(request.user),
        "malbild_version": malbild_version_senaste(),
        "mina_vardcentraler": (
            list(vardcentraler_for(request.user)[:20]) if roll == "verksamhetschef" else []
        ),
    }
    return render(request, "start.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "fel", "databas": "svarar inte"}, status=503)
    return JsonResponse({"status": "ok", "databas": "ok"})


@require_GET
def tillganglighet(request: HttpRequest) -> HttpResponse:
    return render(request, "tillganglighet.html")
