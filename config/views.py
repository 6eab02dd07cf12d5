"""Site-wide pages: the start page, the health check and the accessibility statement."""

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from malbild.selectors import malbild_version_senaste
from notiser.selectors import notis_list_for_user
from vardcentraler import behorighet
from vardcentraler.omgangar.att_gora import att_gora_chef, att_gora_planerare


@require_GET
@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Each role's "Att göra": what to do now, each line a link; then the latest notices."""
    idag = timezone.localdate()
    region = behorighet.egen_region(request.user)
    context = {
        "region": region,
        "idag": idag,
        "malbild_version": malbild_version_senaste(),
        "notiser": list(notis_list_for_user(request.user)[:5]),
        "enheter": (
            att_gora_chef(request.user, idag=idag)
            if behorighet.ar_verksamhetschef(request.user)
            else None
        ),
        "planering": (
            att_gora_planerare(request.user, idag=idag)
            if region is not None and behorighet.planerar_region(request.user, region)
            else None
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
