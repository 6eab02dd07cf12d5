"""Single sign-on with the region's identity provider (OpenID Connect, code flow + PKCE).

mozilla-django-oidc does the protocol; this module decides who gets in:

- an account is never created here: the person must have been invited
  (``OIDC_CREATE_USER = False`` and ``get_or_create_user`` only looks up);
- the first login matches the account by e-mail or by a configurable claim (an
  HSA-id, ``OIDC_MATCH_CLAIM``) and links it to the provider's ``iss`` + ``sub``;
  later logins match by that link, whatever the e-mail says then;
- an account that was only invited is linked only while its invitation is valid;
- the ID token must be signed by the provider's key (JWKS), unexpired, for this
  client (``aud``) and from the configured issuer (``iss``); mozilla-django-oidc
  checks the signature, the expiry (PyJWT) and the nonce, but not ``aud``/``iss``;
- a refused login sends the person to a Swedish page saying why and whom to ask;
  the reason travels in the session (``sso_fel``), never in the URL.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from . import selectors, services

logger = logging.getLogger(__name__)

SESSION_FEL = "sso_fel"


class SsoNekad(Exception):
    """A valid login by someone who may not get in; ``skal`` names the reason."""

    def __init__(self, skal: str):
        super().__init__(skal)
        self.skal = skal


class SsoBackend(OIDCAuthenticationBackend):
    def get_user(self, user_id):
        # mozilla-django-oidc's get_user ignores is_active; a deactivated account must
        # lose its session at its next request, as with passwords.
        return ModelBackend.get_user(self, user_id)

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except SsoNekad as nekad:
            request.session[SESSION_FEL] = nekad.skal
        except (SuspiciousOperation, jwt.InvalidTokenError, requests.RequestException) as exc:
            logger.warning("SSO-inloggning avvisad: %s", exc.__class__.__name__)
            request.session[SESSION_FEL] = "ogiltig"
        return None

    def verify_token(self, token, **kwargs):
        try:
            payload = super().verify_token(token, **kwargs)
        except (KeyError, TypeError, ValueError, jwt.InvalidTokenError) as exc:
            # A token without kid or alg, or not a JWT at all: refused, never a 500.
            raise SuspiciousOperation("Felaktig ID-token.") from exc
        mottagare = payload.get("aud")
        mottagare = [mottagare] if isinstance(mottagare, str) else (mottagare or [])
        if self.OIDC_RP_CLIENT_ID not in mottagare:
            raise SuspiciousOperation("ID-token för en annan klient.")
        if payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation("ID-token från en annan utfärdare.")
        if "exp" not in payload or not payload.get("sub"):
            raise SuspiciousOperation("ID-token utan exp eller sub.")
        return payload

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload["sub"]:
            # OpenID Connect Core 5.3.2: userinfo must be about the token's subject.
            raise SuspiciousOperation("Userinfo och ID-token gäller olika personer.")
        utfardare, subjekt = payload["iss"], payload["sub"]
        anvandare = selectors.anvandare_for_sso(
            utfardare=utfardare,
            subjekt=subjekt,
            matchvarde=claims.get(settings.OIDC_MATCH_CLAIM) or "",
            matchning=settings.OIDC_MATCH_CLAIM,
        )
        if anvandare is None:
            raise SsoNekad("okand")
        if not anvandare.is_active:
            raise SsoNekad("inaktiv")
        if not selectors.sso_kopplad(anvandare):
            if not selectors.far_kopplas(anvandare):
                raise SsoNekad("utgangen")
            services.sso_koppla(anvandare=anvandare, utfardare=utfardare, subjekt=subjekt)
        return anvandare


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back. A stale or forged state is a refused login, not a 400."""

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE)

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation:
            request.session[SESSION_FEL] = "ogiltig"
            return self.login_failure()


def op_logout_url(request) -> str:
    """After a local logout, end the session at the provider too (RP-initiated logout)
    when it has an end-session endpoint and this session came from SSO."""
    tillbaka = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    id_token = request.session.get("oidc_id_token")
    if not (settings.OIDC_OP_LOGOUT_ENDPOINT and id_token):
        return resolve_url(settings.LOGOUT_REDIRECT_URL)
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": tillbaka,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"
