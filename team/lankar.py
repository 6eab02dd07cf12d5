"""Team members' personal links: signed, expiring, revocable tokens; only a hash is stored.

A token is ``TimestampSigner`` over the member's id and a random nonce: a forged or tampered
token fails the signature before any query, an old one fails ``max_age``; a valid signature
must still match a stored, unrevoked, unexpired ``Teamlank`` of a member of *this* round and
unit. Failed look-ups are counted per client address in Django's cache: past the limit every
look-up answers 429 until the window has passed (no brute force of tokens).
"""

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from lib.tokens import token_hash

from .models import Teamlank, Teammedlem

SALT = "team.teamlank"
GILTIG_DAGAR = getattr(settings, "TEAMLANK_GILTIG_DAGAR", 30)
MAX_MISSLYCKADE = getattr(settings, "TEAMLANK_MAX_MISSLYCKADE", 20)
FONSTER_SEKUNDER = 15 * 60


class ForManga(Exception):
    """Too many failed link look-ups from this address: answer 429."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def teamlank_create(*, medlem: Teammedlem) -> str:
    """Revoke the member's earlier links and store a new one; returns the token (shown once).

    Runs inside the caller's transaction (which holds the member row locked)."""
    Teamlank.objects.filter(medlem=medlem, makulerad=False).update(makulerad=True)
    token = _signer().sign_object({"m": medlem.pk, "n": secrets.token_urlsafe(16)})
    Teamlank.objects.create(
        medlem=medlem,
        token_hash=token_hash(token),
        giltig_till=timezone.now() + datetime.timedelta(days=GILTIG_DAGAR),
    )
    return token


def _rakna_miss(nyckel: str) -> None:
    if cache.add(nyckel, 1, FONSTER_SEKUNDER):
        return
    try:
        cache.incr(nyckel)
    except ValueError:  # expired between add and incr
        cache.add(nyckel, 1, FONSTER_SEKUNDER)


def medlem_for_token(*, omgang_pk: int, hsa_id: str, token: str, klient: str) -> Teammedlem:
    """The member whose valid link this is, in this round and unit; else ``Http404``.

    Raises ``ForManga`` when the client has failed too often. Two queries at most.
    """
    nyckel = f"team-lank-miss:{klient}"
    if (cache.get(nyckel) or 0) >= MAX_MISSLYCKADE:
        raise ForManga
    try:
        data = _signer().unsign_object(token, max_age=datetime.timedelta(days=GILTIG_DAGAR))
        medlem_pk = int(data["m"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        _rakna_miss(nyckel)
        raise Http404 from None
    lank = (
        Teamlank.objects.giltiga()
        .select_related("medlem__omgang__malbild_version", "medlem__vardcentral")
        .filter(
            token_hash=token_hash(token),
            medlem_id=medlem_pk,
            medlem__borttagen=False,
            medlem__omgang_id=omgang_pk,
            medlem__omgang__teambedomning=True,
            medlem__vardcentral__hsa_id=hsa_id,
        )
        .first()
    )
    if lank is None:
        _rakna_miss(nyckel)
        raise Http404
    return lank.medlem
