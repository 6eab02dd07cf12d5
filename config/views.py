"""Site-wide pages: the start page, the health check and the accessibility statement."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from malbild.selectors import malbild_version_senaste
from notiser.selectors import notis_list_for_user
from vardcentraler import behorighet


@require_GET
@login_required
def start(request: HttpRequest) -> HttpResponse:
    context = {
        "region": behorighet.egen_region(request.user),
        "malbild_version": malbild_version_senaste(),
        "notiser": list(notis_list_for_user(request.user)[:5]),
        "mina_vardcentraler": (
            list(behorighet.vardcentraler_for(request.user)[:20])
            if behorighet.ar_verksamhetschef(request.user)
            else []
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
