"""Login journeys in Chromium: the lock after repeated failures, and setting up TOTP."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def _kod(nyckel_text: str, sekunder: int = 0) -> str:
    b32 = nyckel_text.replace(" ", "")
    nyckel = b32decode(b32 + "=" * (-len(b32) % 8))
    totp = TOTP(nyckel)
    totp.time = time.time() + sekunder
    return f"{totp.token():06d}"


def _forsok(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_repeated_wrong_passwords_lock_the_login_with_a_swedish_page(demo, page, live_server):
    for i in range(5):
        _forsok(page, live_server, "planerare", f"fel-{i}")
    assert page.get_by_role("heading", level=1).inner_text() == "För många inloggningsförsök"
    assert axe_violations(page) == []
    _forsok(page, live_server, "planerare", "malbild-demo")
    assert page.get_by_role("heading", level=1).inner_text() == "För många inloggningsförsök"
    assert "/logga-in/" in page.url


def test_a_planner_turns_on_totp_and_then_needs_the_code(demo, page, live_server, login):
    login("planerare")
    page.goto(f"{live_server.url}/tvastegsverifiering/")
    assert page.get_by_role("img", name=re.compile("QR-kod")).is_visible()
    assert axe_violations(page) == []
    nyckel = page.locator("code.nyckel").inner_text()
    page.get_by_label("Engångskod").fill("000000")
    page.get_by_role("button", name="Slå på").click()
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Engångskod").fill(_kod(nyckel))
    page.get_by_role("button", name="Slå på").click()
    assert page.get_by_text("Tvåstegsverifiering är på för ditt konto.").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Logga ut").first.click()
    _forsok(page, live_server, "planerare", "malbild-demo")
    page.wait_for_url(re.compile(r"/tvastegsverifiering/kod/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Skriv engångskoden"
    assert axe_violations(page) == []
    # The code just used is spent; the next period's is accepted (one step of tolerance).
    page.get_by_label("Engångskod").fill(_kod(nyckel, 30))
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).count() == 1
