"""Site-wide response rules that no single view should have to remember.

- ``UploadGransMiddleware`` refuses a request body larger than ``MAX_UPLOAD_BYTES`` from its
  Content-Length header, before anything reads it (413, Swedish page). Django would otherwise
  receive a 50 MB upload whole and only then let the form refuse it. The reverse proxy should
  refuse earlier still (README: nginx ``client_max_body_size``).
- ``PrivatCacheMiddleware`` marks every response to a signed-in browser (pages, exports,
  PDFs, ZIPs) ``Cache-Control: private, no-store``: no shared proxy or browser cache keeps a
  unit's data after logout.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

METODER_MED_KROPP = {"POST", "PUT", "PATCH"}


class UploadGransMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in METODER_MED_KROPP:
            try:
                langd = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                langd = -1
            if langd < 0:
                return _felsida("400.html", 400)
            if langd > settings.MAX_UPLOAD_BYTES:
                return _felsida(
                    "413.html",
                    413,
                    {"grans_mb": round(settings.MAX_UPLOAD_BYTES / 1024 / 1024, 1)},
                )
        return self.get_response(request)


class PrivatCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The session cookie, not request.user: no database query for the decision, so the
        # rule also holds on the error pages when the database is away.
        if settings.SESSION_COOKIE_NAME in request.COOKIES or _inloggad(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _inloggad(request) -> bool:
    user = getattr(request, "user", None)
    # Only a user already loaded by the view (a login in this very request) is asked.
    wrapped = getattr(user, "_wrapped", None)
    return wrapped is not None and getattr(wrapped, "is_authenticated", False) is True


def _felsida(mall: str, status: int, context: dict | None = None) -> HttpResponse:
    response = HttpResponse(render_to_string(mall, context or {}), status=status)
    response["Connection"] = "close"  # the unread body must not be taken for the next request
    return response
