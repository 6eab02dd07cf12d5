"""The SSO backend against the real test provider's keys: forged, tampered, expired,
foreign tokens are refused; accounts are matched, linked, never created."""

import datetime
import time

import jwt
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from jwcrypto import jwk

from konton import selectors, services
from konton.models import Konto
from konton.sso import SsoBackend

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def sso(settings, oidc_provider):
    for namn, varde in oidc_provider.app_settings(settings.SECURE_CSP).items():
        setattr(settings, namn, varde)
    return oidc_provider


def _kid(pem: str) -> str:
    return jwk.JWK.from_pem(pem.encode()).thumbprint()


def _token(sso, *, nyckel=None, kid=None, **andra) -> str:
    nu = int(time.time())
    claims = {
        "iss": sso.issuer,
        "aud": sso.client_id,
        "sub": "42",
        "iat": nu,
        "exp": nu + 300,
        "nonce": "n1",
        **andra,
    }
    nyckel = nyckel or sso.rsa_nyckel
    return jwt.encode(
        claims, nyckel, algorithm="RS256", headers={"kid": kid or _kid(sso.rsa_nyckel)}
    )


def test_a_token_signed_by_the_provider_is_accepted(sso):
    payload = SsoBackend().verify_token(_token(sso), nonce="n1")
    assert payload["sub"] == "42"


def _annan_nyckel() -> str:
    from tests.oidc_provider.server import _rsa_nyckel

    return _rsa_nyckel()


@pytest.mark.parametrize(
    "forfalskning",
    [
        "annan_nyckel",
        "andrad_payload",
        "utgangen",
        "annan_klient",
        "annan_utfardare",
        "alg_none",
        "hs256_med_hemligheten",
        "fel_nonce",
    ],
)
def test_forged_tampered_expired_and_foreign_tokens_are_refused(sso, forfalskning):
    if forfalskning == "annan_nyckel":
        token = _token(sso, nyckel=_annan_nyckel())
    elif forfalskning == "andrad_payload":
        header, _, signatur = _token(sso).split(".")
        falsk = jwt.utils.base64url_encode(
            b'{"iss":"%s","aud":"%s","sub":"1","exp":9999999999,"nonce":"n1"}'
            % (sso.issuer.encode(), sso.client_id.encode())
        ).decode()
        token = f"{header}.{falsk}.{signatur}"
    elif forfalskning == "utgangen":
        token = _token(sso, exp=int(time.time()) - 120)
    elif forfalskning == "annan_klient":
        token = _token(sso, aud="en-annan-klient")
    elif forfalskning == "annan_utfardare":
        token = _token(sso, iss="http://127.0.0.1:1/o")
    elif forfalskning == "alg_none":
        token = jwt.encode(
            {"iss": sso.issuer, "aud": sso.client_id, "sub": "1"}, None, algorithm="none"
        )
    elif forfalskning == "hs256_med_hemligheten":
        token = jwt.encode(
            {"iss": sso.issuer, "aud": sso.client_id, "sub": "1", "exp": 9999999999, "nonce": "n1"},
            sso.client_secret,
            algorithm="HS256",
            headers={"kid": _kid(sso.rsa_nyckel)},
        )
    else:
        token = _token(sso, nonce="en-annan")
    with pytest.raises((SuspiciousOperation, jwt.InvalidTokenError)):
        SsoBackend().verify_token(token, nonce="n1")


def test_authenticate_turns_a_refusal_into_none_and_a_reason(sso, monkeypatch, client):
    request = RequestFactory().get("/sso/callback/", {"code": "c", "state": "s"})
    request.session = client.session
    backend = SsoBackend()
    monkeypatch.setattr(
        backend,
        "get_token",
        lambda payload: {"id_token": _token(sso, aud="x"), "access_token": "a"},
    )
    assert backend.authenticate(request, nonce="n1") is None
    assert request.session["sso_fel"] == "ogiltig"


def _inbjuden(planerare, vc, epost, hsa_id=""):
    return services.inbjudan_create(
        av=planerare,
        fornamn="Nora",
        efternamn="Testsson",
        epost=epost,
        roll="verksamhetschef",
        region=vc.region,
        vardcentraler=[vc],
        hsa_id=hsa_id,
        bas_url="http://testserver",
    )


def test_matching_by_email_by_hsa_id_and_by_the_stored_link(planerare, vc_stockholm):
    ny = _inbjuden(planerare, vc_stockholm, "ny.chef@region.test", hsa_id="SE2321000016-P0009")
    hitta = selectors.anvandare_for_sso
    assert (
        hitta(utfardare="i", subjekt="s", matchvarde="NY.CHEF@region.test", matchning="email") == ny
    )
    assert (
        hitta(utfardare="i", subjekt="s", matchvarde="SE2321000016-P0009", matchning="hsa_id") == ny
    )
    assert (
        hitta(utfardare="i", subjekt="s", matchvarde="okand@region.test", matchning="email") is None
    )
    assert hitta(utfardare="i", subjekt="s", matchvarde="", matchning="email") is None
    services.sso_koppla(anvandare=ny, utfardare="i", subjekt="s")
    ny.email = "byttadress@region.test"
    ny.save()
    assert hitta(utfardare="i", subjekt="s", matchvarde="", matchning="email") == ny
    # Linked to that identity: another identity with the old e-mail is not let in.
    assert (
        hitta(utfardare="i", subjekt="t", matchvarde="byttadress@region.test", matchning="email")
        is None
    )
    assert Konto.history.filter(anvandare_id=ny.pk).latest("history_date").history_user_namn


def test_an_invited_account_is_linked_only_while_the_invitation_is_valid(planerare, vc_stockholm):
    ny = _inbjuden(planerare, vc_stockholm, "ny.chef@region.test")
    assert selectors.far_kopplas(ny)
    ny.inbjudningar.update(giltig_till=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert not selectors.far_kopplas(ny)
    ny.last_login = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    assert selectors.far_kopplas(ny)  # an account in use may link


def test_the_backend_never_creates_a_user(settings):
    assert settings.OIDC_CREATE_USER is False
    fore = User.objects.count()
    with pytest.raises(Exception, match="okand"):
        backend = SsoBackend.__new__(SsoBackend)
        backend.get_userinfo = lambda *a: {"sub": "x", "email": "ny@region.test"}
        backend.get_or_create_user("a", "i", {"sub": "x", "iss": "i"})
    assert User.objects.count() == fore


def test_a_callback_with_a_forged_state_is_a_refused_login(client, sso):
    client.get("/sso/logga-in/")  # puts a real state in the session
    response = client.get("/sso/callback/", {"code": "x", "state": "forfalskad"})
    assert response.status_code == 302 and response["Location"] == "/sso/nekad/"
    nekad = client.get("/sso/nekad/")
    assert nekad.status_code == 403
    assert "Inloggningen kunde inte genomföras" in nekad.content.decode()


def test_the_sso_start_sends_pkce_and_nonce_to_the_provider(client, sso):
    response = client.get("/sso/logga-in/")
    assert response.status_code == 302
    plats = response["Location"]
    assert plats.startswith(f"{sso.issuer}/authorize/?")
    for del_ in ("code_challenge=", "code_challenge_method=S256", "nonce=", "state="):
        assert del_ in plats


def test_without_sso_its_pages_are_not_there(client):
    assert client.get("/sso/logga-in/").status_code == 404
    assert client.get("/sso/callback/").status_code == 404
    assert "Logga in med" not in client.get("/logga-in/").content.decode()


def test_local_passwords_can_be_switched_off(client, sso, settings):
    from tests.factories import UserFactory

    planerare = UserFactory(username="lokal")  # (tests with the provider flush the tables)
    settings.LOKALA_LOSENORD = False
    settings.AUTHENTICATION_BACKENDS = ["konton.sso.SsoBackend"]
    html = client.get("/logga-in/").content.decode()
    assert "Logga in med Region Teststads inloggning" in html
    assert 'type="password"' not in html and "Glömt lösenordet" not in html
    response = client.post(
        "/logga-in/", {"username": planerare.username, "password": "losenord-test"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert client.get("/losenord/aterstall/").status_code == 404
