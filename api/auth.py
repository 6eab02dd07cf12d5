"""Who is asking: a personal token in ``Authorization: Bearer …``, and how often it may ask.

The token's user becomes ``request.user`` for the request, so every read below asks the
access policy (``vardcentraler/behorighet.py``) about that user, exactly as the browser does.
"""

from django.conf import settings
from django.core.cache import caches
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from .services import apitoken_authenticate


class TokenAuth(HttpBearer):
    openapi_description = (
        "En personlig API-token, skapad under API-token i tjänsten: "
        "`Authorization: Bearer mb_…`. Den ger samma behörighet som användaren har i webbläsaren."
    )

    def authenticate(self, request, token: str):
        rad = apitoken_authenticate(token=token)
        if rad is None:
            return None
        request.user = rad.anvandare
        return rad


class TokenThrottle(AuthRateThrottle):
    """ninja's sliding-window throttle, per token, counted in the ``api`` cache.

    The ``api`` cache is a DatabaseCache (settings.CACHES): all gunicorn workers share the
    database, so they count together with no extra service. Its get-then-set is not atomic:
    requests at the very same instant may be counted once, so the limit can be passed by at
    most the number of simultaneous requests, which is enough to keep one script from
    crowding out the others. The limit is read from settings on each request
    (``API_ANROP_PER_MINUT``), so tests can lower it.
    """

    @property
    def cache(self):
        return caches["api"]

    def get_cache_key(self, request) -> str | None:
        rad = getattr(request, "auth", None)
        return f"api_anrop_{rad.pk}" if rad is not None else None

    def allow_request(self, request) -> bool:
        self.num_requests, self.duration = self.parse_rate(f"{settings.API_ANROP_PER_MINUT}/m")
        return super().allow_request(request)
