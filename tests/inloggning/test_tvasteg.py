"""The second factor (TOTP, django-otp) through the real login views."""

import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth.backends import ModelBackend
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import LOSENORD

pytestmark = pytest.mark.django_db


def _kod(nyckel_hex: str, forskjut: int = 0) -> str:
    totp = TOTP(bytes.fromhex(nyckel_hex))
    totp.time = time.time() + forskjut
    return f"{totp.token():06d}"


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(
        user=user, name="app", key="3132333435363738393031323334353637383930", confirmed=True
    )


def _logga_in(client, username, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": LOSENORD})


def test_a_planner_with_totp_is_asked_for_the_code_after_the_password(client, planerare):
    device = _device(planerare)
    assert _logga_in(client, "p-sthlm").status_code == 302
    svar = client.get(reverse("start"))
    assert svar.status_code == 302
    assert svar["Location"].startswith(reverse("inloggning:tvasteg_verify"))
    sida = client.get(svar["Location"])
    assert "Skriv engångskoden" in sida.content.decode()
    # A wrong code: 422, a Swedish error, still not in.
    fel = client.post(reverse("inloggning:tvasteg_verify"), {"kod": "000000", "next": "/"})
    assert fel.status_code == 422 and "Koden stämmer inte" in fel.content.decode()
    assert client.get(reverse("start")).status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    ratt = client.post(reverse("inloggning:tvasteg_verify"), {"kod": _kod(device.key), "next": "/"})
    assert ratt.status_code == 302 and ratt["Location"] == "/"
    assert client.get(reverse("start")).status_code == 200


def test_wrong_codes_slow_down_the_next_tries(client, planerare):
    device = _device(planerare)
    _logga_in(client, "p-sthlm")
    client.post(reverse("inloggning:tvasteg_verify"), {"kod": "000000"})
    # Right away after a failure even the right code is refused (django-otp's back-off).
    svar = client.post(reverse("inloggning:tvasteg_verify"), {"kod": _kod(device.key)})
    assert svar.status_code == 422
    assert client.get(reverse("start")).status_code == 302


def test_a_planner_without_totp_logs_in_with_the_password_alone(client, planerare):
    _logga_in(client, "p-sthlm")
    assert client.get(reverse("start")).status_code == 200


def test_bad_codes_get_a_swedish_message_and_change_nothing(client, planerare):
    _device(planerare)
    _logga_in(client, "p-sthlm")
    for kod in ("", "12345", "abcdef", "1234567", "١٢٣٤٥٦"):
        svar = client.post(reverse("inloggning:tvasteg_verify"), {"kod": kod})
        assert svar.status_code == 422, kod
        assert "error-summary" in svar.content.decode()
    assert TOTPDevice.objects.get().throttling_failure_count == 0


def test_the_next_address_must_be_on_this_site(client, planerare):
    device = _device(planerare)
    _logga_in(client, "p-sthlm")
    svar = client.post(
        reverse("inloggning:tvasteg_verify"),
        {"kod": _kod(device.key), "next": "https://example.org/"},
    )
    assert svar["Location"] == reverse("start")


def test_a_planner_sets_up_totp_with_a_qr_code_and_the_secret_in_text(client, planerare):
    _logga_in(client, "p-sthlm")
    sida = client.get(reverse("inloggning:tvasteg_setup"))
    html = sida.content.decode()
    assert sida.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html  # drawn here, no outside request
    nyckel_text = re.search(r'<code class="nyckel">([A-Z2-7 ]+)</code>', html).group(1)
    nyckel = b32decode(
        nyckel_text.replace(" ", "") + "=" * (-len(nyckel_text.replace(" ", "")) % 8)
    ).hex()
    fel = client.post(reverse("inloggning:tvasteg_setup"), {"kod": "000000"})
    assert fel.status_code == 422 and not TOTPDevice.objects.exists()
    svar = client.post(reverse("inloggning:tvasteg_setup"), {"kod": _kod(nyckel)})
    assert svar.status_code == 302
    device = TOTPDevice.objects.get(user=planerare)
    assert device.confirmed and device.key == nyckel
    status = client.get(reverse("inloggning:tvasteg_setup")).content.decode()
    assert "Tvåstegsverifiering är <strong>på</strong>" in status
    # The next login asks for the code.
    client.post(reverse("logout"))
    _logga_in(client, "p-sthlm")
    assert client.get(reverse("start"))["Location"].startswith(reverse("inloggning:tvasteg_verify"))


def test_a_planner_may_turn_it_off(client, planerare):
    device = _device(planerare)
    _logga_in(client, "p-sthlm")
    client.post(reverse("inloggning:tvasteg_verify"), {"kod": _kod(device.key)})
    svar = client.post(reverse("inloggning:tvasteg_disable"))
    assert svar.status_code == 302 and not TOTPDevice.objects.exists()
    assert client.get(reverse("inloggning:tvasteg_disable")).status_code == 405


def test_with_only_the_password_the_device_cannot_be_replaced(client, planerare):
    _device(planerare)
    _logga_in(client, "p-sthlm")
    svar = client.get(reverse("inloggning:tvasteg_setup") + "?byt=1")
    assert svar["Location"].startswith(reverse("inloggning:tvasteg_verify"))
    assert client.post(reverse("inloggning:tvasteg_disable"))["Location"].startswith(
        reverse("inloggning:tvasteg_verify")
    )
    assert TOTPDevice.objects.count() == 1


@pytest.mark.parametrize("persona", ["chef", "nationell"], indirect=True)
def test_managers_and_national_readers_are_not_offered_totp(client, persona):
    client.force_login(persona)
    assert client.get(reverse("inloggning:tvasteg_setup")).status_code == 404
    assert client.post(reverse("inloggning:tvasteg_disable")).status_code == 404


def test_anonymous_users_are_sent_to_the_login(client):
    for namn in ("tvasteg_setup", "tvasteg_verify"):
        svar = client.get(reverse(f"inloggning:{namn}"))
        assert svar.status_code == 302 and svar["Location"].startswith(reverse("login"))


# --- Administrators: required (outside DEBUG, or with OTP_REQUIRED_FOR_ADMINS=1) ---------------


@pytest.fixture
def kravs(settings):
    settings.TVASTEG_KRAVS_FOR_ADMIN = True


def test_an_admin_without_totp_must_set_it_up_before_anything_else(client, admin_user, kravs):
    _logga_in(client, "admin-test")
    for url in (reverse("start"), "/admin/"):
        svar = client.get(url)
        assert svar.status_code == 302
        assert svar["Location"].startswith(reverse("inloggning:tvasteg_setup"))
    sida = client.get(reverse("inloggning:tvasteg_setup"))
    assert "Administratörer måste använda tvåstegsverifiering" in sida.content.decode()


def test_django_admin_asks_an_admin_for_the_code(client, admin_user, kravs):
    device = _device(admin_user)
    assert (
        _logga_in(client, "admin-test", url=reverse("admin:login") + "?next=/admin/").status_code
        == 302
    )
    svar = client.get("/admin/")
    assert svar["Location"].startswith(reverse("inloggning:tvasteg_verify"))
    client.post(reverse("inloggning:tvasteg_verify"), {"kod": _kod(device.key), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def test_an_admin_cannot_turn_it_off(client, admin_user, kravs):
    device = _device(admin_user)
    _logga_in(client, "admin-test")
    client.post(reverse("inloggning:tvasteg_verify"), {"kod": _kod(device.key)})
    client.post(reverse("inloggning:tvasteg_disable"))
    assert TOTPDevice.objects.filter(user=admin_user).exists()


def test_an_admin_session_from_before_the_rule_is_stopped_too(client, admin_user, kravs):
    client.force_login(admin_user)  # no flag in the session
    assert client.get(reverse("start"))["Location"].startswith(reverse("inloggning:tvasteg_setup"))


def test_under_debug_the_demo_admin_gets_in_with_the_password(client, admin_user):
    _logga_in(client, "admin-test")
    assert client.get("/admin/").status_code == 200


def test_an_ordinary_request_costs_no_extra_query(client, planerare, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def antal_fragor() -> int:
        client.force_login(planerare)
        with CaptureQueriesContext(connection) as fragor:
            assert client.get(reverse("start")).status_code == 200
        return len(fragor)

    med = antal_fragor()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "otp" not in m and "Tvasteg" not in m]
    assert med == antal_fragor()


class SsoLikBackend(ModelBackend):
    """Stands in for issue 18a's OIDC backend: any backend but the local password one."""


def test_a_single_sign_on_session_is_left_to_the_identity_provider(
    client, admin_user, kravs, settings
):
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "tests.inloggning.test_tvasteg.SsoLikBackend",
    ]
    _device(admin_user)
    client.force_login(admin_user, backend="tests.inloggning.test_tvasteg.SsoLikBackend")
    assert client.get(reverse("start")).status_code == 200
