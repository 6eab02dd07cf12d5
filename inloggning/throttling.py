"""Throttled login: django-axes with a limit per account, per source address and per pair.

django-axes counts failures per parameter combination but has one limit for all of them.
One source address is often a whole region's proxy, so it needs a higher limit than one
account tried from one address, and an account tried from many addresses needs a limit of
its own. ``InloggningHandler`` adds those two limits on top of axes' own (per account and
address, ``AXES_FAILURE_LIMIT``) and otherwise keeps axes' database handler unchanged.

A lock is counted on the username string that was typed, whether or not such an account
exists, and the lock page says the same in both cases, so it reveals nothing.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _summa(**filter_kwargs) -> int:
    return (
        AccessAttempt.objects.filter(**filter_kwargs).aggregate(n=Sum("failures_since_start"))["n"]
        or 0
    )


class InloggningHandler(AxesDatabaseHandler):
    """axes' database handler with a per-address and a per-account limit (two extra sums)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        par = super().get_failures(request, credentials)
        grans = get_failure_limit(request, credentials)
        adress = getattr(request, "axes_ip_address", None)
        if adress and _summa(ip_address=adress) >= settings.INLOGGNING_GRANS_PER_ADRESS:
            return max(par, grans)
        anvandarnamn = get_client_username(request, credentials)
        if anvandarnamn and _summa(username=anvandarnamn) >= settings.INLOGGNING_GRANS_PER_KONTO:
            return max(par, grans)
        return par


def klientadress(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies the
    address they saw (X-Forwarded-For counted from the right, so a client cannot forge it).

    Ten lines instead of django-ipware: ipware's API changed across its major versions and
    axes calls it with the older one; this is the single rule we need.
    """
    antal = settings.TRUSTED_PROXY_COUNT
    if antal > 0:
        kedja = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        kedja = [a for a in kedja if a]
        if len(kedja) >= antal:
            return kedja[-antal]
    return request.META.get("REMOTE_ADDR")


def lasning_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The lock page (429): Swedish, the same whether or not the account exists."""
    minuter = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "inloggning/last.html", {"minuter": minuter}, status=429)
