"""Per request: an id (X-Request-ID honoured), the log context, the metrics, an access line."""

import logging
import re
import time
import uuid

from django.http import HttpRequest, HttpResponse

from lib.loggning import aktuell_begaran

from .metrics import request_observe

logger = logging.getLogger("drift.request")
_GILTIGT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# Health checks and scrapes come every few seconds: counted, but logged only at DEBUG.
_TYSTA = {"healthz", "metrics"}
_METODER = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def request_context_middleware(get_response):
    def middleware(request: HttpRequest) -> HttpResponse:
        inkommande = request.headers.get("X-Request-ID", "")
        request.request_id = inkommande if _GILTIGT_ID.match(inkommande) else uuid.uuid4().hex
        token = aktuell_begaran.set(request)
        start = time.perf_counter()
        try:
            response = get_response(request)
            sekunder = time.perf_counter() - start
            match = getattr(request, "resolver_match", None)
            # The view's name, not the path: bounded label values, no ids in metrics.
            route = match.view_name if match else "okand"
            metod = request.method if request.method in _METODER else "OTHER"
            request_observe(
                method=metod, route=route, status=response.status_code, sekunder=sekunder
            )
            logger.log(
                logging.DEBUG if route in _TYSTA else logging.INFO,
                "Förfrågan",
                extra={
                    "event": "request",
                    "method": metod,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(sekunder * 1000, 1),
                },
            )
            response["X-Request-ID"] = request.request_id
            return response
        finally:
            aktuell_begaran.reset(token)

    return middleware
