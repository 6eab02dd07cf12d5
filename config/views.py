"""Site-wide pages: the start page, the health check, metrics and the accessibility statement."""

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from drift import selectors as drift_selectors
from drift.metrics import metrics_text
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
    """200 when the database answers a query, 503 when it does not.

    Also reports the background worker's last heartbeat and the queue (three queries).
    A silent worker does not make the web app unhealthy (it still serves pages), so it
    is reported (``arbetare.status``: ok, tyst, saknas) rather than answered with 503.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        senast = drift_selectors.worker_heartbeat_latest()
        ko = drift_selectors.task_queue_state()
    except DatabaseError:
        return JsonResponse({"status": "fel", "databas": "svarar inte"}, status=503)
    sedan = (timezone.now() - senast).total_seconds() if senast else None
    if sedan is None:
        arbetare_status = "saknas"
    elif sedan > drift_selectors.TYST_EFTER_SEKUNDER:
        arbetare_status = "tyst"
    else:
        arbetare_status = "ok"
    return JsonResponse(
        {
            "status": "ok",
            "databas": "ok",
            "arbetare": {
                "status": arbetare_status,
                "senaste_puls": senast.isoformat() if senast else None,
                "sekunder_sedan_puls": round(sedan, 1) if sedan is not None else None,
            },
            "ko": {
                "vantande_jobb": ko.vantande,
                "aldsta_jobb_sekunder": (
                    round(ko.aldsta_sekunder, 1) if ko.aldsta_sekunder is not None else None
                ),
            },
        }
    )


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format behind a bearer token (METRICS_TOKEN); 404 when it is unset."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    skickat = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(skickat.encode(), token.encode()):
        response = HttpResponse(
            "Token saknas eller är fel.\n", status=401, content_type="text/plain"
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)


@require_GET
def tillganglighet(request: HttpRequest) -> HttpResponse:
    return render(request, "tillganglighet.html")
