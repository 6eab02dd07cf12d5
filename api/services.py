"""Writes of the API tokens: create (shown once), revoke, and record use."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lib.tokens import token_hash

from .models import TOKEN_PREFIX, ApiToken

GILTIGHET_DAGAR = (30, 90, 365)  # the choices on the token page
SENAST_ANVAND_PRECISION = datetime.timedelta(minutes=1)  # at most one write a minute per token


@transaction.atomic
def apitoken_create(*, anvandare, namn: str, giltig_dagar: int) -> tuple[ApiToken, str]:
    """A new token for the user. Returns the row and the token itself, which is never stored."""
    namn = namn.strip()
    fel = {}
    if not namn:
        fel["namn"] = "Ge tokenen ett namn, t.ex. vilket program som ska använda den."
    elif len(namn) > ApiToken._meta.get_field("namn").max_length:
        fel["namn"] = "Namnet får vara högst 100 tecken."
    if giltig_dagar not in GILTIGHET_DAGAR:
        fel["giltig_dagar"] = "Välj hur länge tokenen ska gälla."
    if fel:
        raise ValidationError(fel)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    rad = ApiToken.objects.create(
        anvandare=anvandare,
        namn=namn,
        nyckel_hash=token_hash(token),
        borjan=token[:10],
        giltig_till=timezone.now() + datetime.timedelta(days=giltig_dagar),
    )
    return rad, token


@transaction.atomic
def apitoken_revoke(*, anvandare, token_id) -> ApiToken:
    """Revoke one of the user's own tokens (404 for anyone else's). Revoking twice changes nothing."""
    from django.shortcuts import get_object_or_404

    rad = get_object_or_404(ApiToken.objects.select_for_update(), pk=token_id, anvandare=anvandare)
    if rad.aterkallad is None:
        rad.aterkallad = timezone.now()
        rad.save(update_fields=["aterkallad"])
    return rad


def apitoken_authenticate(*, token: str) -> ApiToken | None:
    """The valid token with this value and its active user, or None. One query, plus one
    write at most once a minute to keep the last-used time."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    rad = (
        ApiToken.objects.giltiga()
        .select_related("anvandare")
        .filter(nyckel_hash=token_hash(token), anvandare__is_active=True)
        .first()
    )
    if rad is None:
        return None
    nu = timezone.now()
    if rad.senast_anvand is None or nu - rad.senast_anvand >= SENAST_ANVAND_PRECISION:
        ApiToken.objects.filter(pk=rad.pk).update(senast_anvand=nu)
        rad.senast_anvand = nu
    return rad
