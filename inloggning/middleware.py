"""After the password, the second factor: until it is given, only its own pages open.

A login sets ``SESSION_BEHOV`` when the user has a confirmed TOTP device ("verifiera")
or, as an administrator, must set one up ("installera") — see inloggning.signals. This
reads that flag from the session, which is loaded anyway, so an ordinary request costs
no query; an administrator without the flag (a session older than the rule) is checked.
Django admin is behind the same rule. A session signed in through single sign-on (issue
18a's OpenID Connect backend) is left to the identity provider's own factors.
"""

from urllib.parse import quote

from django.contrib.auth import BACKEND_SESSION_KEY
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from vardcentraler.behorighet import tvasteg_kravs

from .views import SESSION_BEHOV

# Pages open before the second factor: the factor's own, logging out, and the public ones.
_OPPNA = {"logout", "login", "healthz", "metrics", "tillganglighet"}
_MAL = {"verifiera": "inloggning:tvasteg_verify", "installera": "inloggning:tvasteg_setup"}
# The second factor guards local passwords; single sign-on brings the provider's own.
LOKALA_BACKENDS = {"django.contrib.auth.backends.ModelBackend"}


def lokal_inloggning(request) -> bool:
    """Was this session signed in with a local password (not through single sign-on)?"""
    return request.session.get(BACKEND_SESSION_KEY) in LOKALA_BACKENDS


class TvastegMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not lokal_inloggning(request):
            return None
        behov = request.session.get(SESSION_BEHOV)
        if behov is None and tvasteg_kravs(user):
            behov = "verifiera" if user_has_device(user) else "installera"
        if behov not in _MAL:
            return None
        vy = request.resolver_match.view_name
        if vy in _OPPNA or vy == _MAL[behov]:
            return None
        return redirect(f"{reverse(_MAL[behov])}?next={quote(request.get_full_path())}")
