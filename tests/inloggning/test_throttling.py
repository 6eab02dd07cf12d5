"""Throttled login through the real login views (django-axes with our handler)."""

import logging
import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.conftest import LOSENORD

pytestmark = pytest.mark.django_db

SPARR = "För många inloggningsförsök"


def _logga_in(client, username, password, adress="192.0.2.10", url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=adress,
    )


def test_the_31st_wrong_password_is_refused_and_the_right_one_too(client, planerare):
    svar = [_logga_in(client, "p-sthlm", f"fel-{i}") for i in range(31)]
    assert svar[0].status_code == 200
    assert "Inloggningen misslyckades" in svar[0].content.decode()
    assert svar[30].status_code == 429
    assert SPARR in svar[30].content.decode()

    ratt = _logga_in(client, "p-sthlm", LOSENORD)
    assert ratt.status_code == 429
    assert SPARR in ratt.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("start")).status_code == 302


def test_the_lock_starts_after_the_fifth_failure_from_one_address(client, planerare):
    for i in range(4):
        assert _logga_in(client, "p-sthlm", f"fel-{i}").status_code == 200
    assert _logga_in(client, "p-sthlm", "fel-5").status_code == 429
    # Another address is not locked out of the same account by this one's failures.
    assert _logga_in(client, "p-sthlm", LOSENORD, adress="192.0.2.99").status_code == 302


def test_a_lock_looks_the_same_whether_or_not_the_account_exists(client, planerare):
    for i in range(5):
        finns = _logga_in(client, "p-sthlm", f"fel-{i}", adress="192.0.2.1")
        finns_inte = _logga_in(client, "ingen-sadan", f"fel-{i}", adress="192.0.2.2")
        assert finns.status_code == finns_inte.status_code
    assert finns.status_code == 429
    assert _utan_engangsvarden(finns) == _utan_engangsvarden(finns_inte)


def _utan_engangsvarden(response) -> str:
    """The page without its per-response nonce and CSRF token."""
    html = response.content.decode()
    html = re.sub(r'nonce="[^"]*"', "", html)
    return re.sub(r"[A-Za-z0-9]{64}", "", html)


def test_one_address_is_locked_after_its_limit_over_all_accounts(client, planerare, settings):
    settings.INLOGGNING_GRANS_PER_ADRESS = 8
    for i in range(8):
        _logga_in(client, f"gissning-{i}", "fel")
    # A right password from that address is refused; from another it is not.
    assert _logga_in(client, "p-sthlm", LOSENORD).status_code == 429
    assert _logga_in(client, "p-sthlm", LOSENORD, adress="198.51.100.7").status_code == 302


def test_one_account_is_locked_after_its_limit_over_all_addresses(client, planerare, settings):
    settings.INLOGGNING_GRANS_PER_KONTO = 8
    for i in range(8):
        _logga_in(client, "p-sthlm", "fel", adress=f"203.0.113.{i}")
    assert _logga_in(client, "p-sthlm", LOSENORD, adress="203.0.113.200").status_code == 429


def test_the_admin_login_is_throttled_the_same_way(client, admin_user):
    url = reverse("admin:login")
    for i in range(5):
        _logga_in(client, "admin-test", f"fel-{i}", url=url)
    svar = _logga_in(client, "admin-test", LOSENORD, url=url)
    assert svar.status_code == 429
    assert SPARR in svar.content.decode()


def test_a_success_before_the_limit_clears_the_count(client, planerare):
    for i in range(4):
        _logga_in(client, "p-sthlm", f"fel-{i}")
    assert _logga_in(client, "p-sthlm", LOSENORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="p-sthlm").exists()


def test_failures_are_logged_without_the_typed_username_or_password(client, planerare, caplog):
    with caplog.at_level(logging.WARNING, logger="inloggning"):
        _logga_in(client, "p-sthlm", "hemligt-fel")
    poster = [r for r in caplog.records if r.name == "inloggning"]
    assert [r.event for r in poster] == ["login_failed"]
    assert poster[0].client_ip == "192.0.2.10"
    text = " ".join(f"{r.getMessage()} {r.__dict__}" for r in poster)
    assert "p-sthlm" not in text and "hemligt-fel" not in text


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, planerare, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(5):
        client.post(
            reverse("login"),
            {"username": "p-sthlm", "password": f"fel-{i}"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.50, 192.0.2.{60 + i}",
        )
    # The proxy's own address (10.0.0.1) is not what was counted: the forwarded ones were.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        f"192.0.2.{60 + i}" for i in range(5)
    }
