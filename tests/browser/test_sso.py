"""Single sign-on through a real OpenID Connect provider (tests/oidc_provider) in Chromium.

The issue's done-criterion is the first test: a planner invites a verksamhetschef, who
signs in through the provider and sees only their unit. axe-core runs on every page
visited, the provider's login page included.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

pytestmark = pytest.mark.browser

AXE_TAGGAR = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def _axe(page) -> None:
    """axe-core with WCAG 2.1 A/AA and best-practice rules: no violations."""
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGGAR}})
    fel = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]
    assert fel == [], page.url


@pytest.fixture
def sso(settings, oidc_provider):
    for namn, varde in oidc_provider.app_settings(settings.SECURE_CSP).items():
        setattr(settings, namn, varde)
    return oidc_provider


def _logga_in_hos_leverantoren(page, sso, vem: str) -> None:
    page.wait_for_url(re.compile(re.escape(sso.url) + r"/konto/logga-in/"))
    _axe(page)
    page.get_by_label("Användar-id").fill(sso.personer[vem]["username"])
    page.get_by_label("Lösenord hos regionen").fill("regionens-losenord")
    page.get_by_role("button", name="Logga in hos regionen").click()


def _bjud_in(page, live_server, *, fornamn, epost, vardcentral) -> str:
    """As the logged-in planner: invite a verksamhetschef; returns the link in the mail."""
    page.get_by_role("link", name="Användare", exact=True).click()
    page.wait_for_url(f"{live_server.url}/anvandare/")
    _axe(page)
    page.get_by_role("link", name="Bjud in en användare").click()
    _axe(page)
    page.get_by_label("Förnamn").fill(fornamn)
    page.get_by_label("Efternamn").fill("Testsson")
    page.get_by_label("E-postadress").fill(epost)
    page.get_by_label("Verksamhetschef").check()
    page.get_by_label(vardcentral.namn, exact=True).check()
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.get_by_text(f"En inbjudan har skickats till {epost}").wait_for()
    _axe(page)
    return re.search(r"http://\S+/inbjudan/\S+/", mail.outbox[-1].body).group(0)


def _logga_ut(page) -> None:
    page.get_by_role("button", name="Logga ut").click()


def test_an_invited_manager_signs_in_by_sso_and_sees_only_their_unit(
    demo, page, live_server, login, sso
):
    from django.contrib.auth import get_user_model

    from konton.models import Inbjudan, Konto
    from vardcentraler.models import Vardcentral

    egen, annan = Vardcentral.objects.filter(region__kod="01").order_by("namn")[:2]
    page.goto(f"{live_server.url}/logga-in/")
    _axe(page)
    login("planerare")
    _axe(page)
    lank = _bjud_in(
        page, live_server, fornamn="Nora", epost="ny.chef@region.test", vardcentral=egen
    )
    _logga_ut(page)
    page.wait_for_url(f"{live_server.url}/logga-in/")

    # The manager opens the link and chooses the region's sign-in.
    page.goto(lank)
    _axe(page)
    page.get_by_role("link", name="Logga in med Region Teststads inloggning").click()
    _logga_in_hos_leverantoren(page, sso, "chef")
    page.wait_for_url(f"{live_server.url}/")
    _axe(page)
    assert "Nora Testsson" in page.locator(".site-header__user").inner_text()

    # Linked on this first login; the invitation is used up.
    chef = get_user_model().objects.get(email="ny.chef@region.test")
    konto = Konto.objects.get(anvandare=chef)
    assert konto.sso_utfardare == sso.issuer and konto.sso_subjekt
    assert not Inbjudan.objects.giltiga().filter(anvandare=chef).exists()

    # Only their unit.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Vårdcentraler"
    ).click()
    page.wait_for_url(f"{live_server.url}/vardcentraler/")
    _axe(page)
    rader = page.locator("table tbody tr")
    assert rader.count() == 1 and egen.namn in rader.first.inner_text()
    assert annan.namn not in page.content()
    svar = page.goto(f"{live_server.url}/vardcentraler/{annan.hsa_id}/")
    assert svar.status == 404
    svar = page.goto(f"{live_server.url}/vardcentraler/{egen.hsa_id}/")
    assert svar.status == 200
    _axe(page)

    # Logout ends the session here and at the provider: the next SSO asks for credentials.
    _logga_ut(page)
    page.wait_for_url(f"{live_server.url}/logga-in/")
    _axe(page)
    assert page.goto(f"{live_server.url}/").url.startswith(f"{live_server.url}/logga-in/")
    page.get_by_role("link", name="Logga in med Region Teststads inloggning").click()
    _logga_in_hos_leverantoren(page, sso, "chef")
    page.wait_for_url(f"{live_server.url}/")

    # The used link does not work again.
    _logga_ut(page)
    page.goto(lank)
    assert page.get_by_role("heading", name="Länken gäller inte längre").is_visible()
    _axe(page)


def test_an_unknown_person_is_told_whom_to_ask(demo, page, live_server, sso):
    from django.contrib.auth import get_user_model

    fore = get_user_model().objects.count()
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_role("link", name="Logga in med Region Teststads inloggning").click()
    _logga_in_hos_leverantoren(page, sso, "okand")
    page.wait_for_url(f"{live_server.url}/sso/nekad/")
    assert page.get_by_role("heading", name="Du har inget konto här ännu").is_visible()
    assert "planerare för primärvården att bjuda in dig" in page.content()
    _axe(page)
    assert get_user_model().objects.count() == fore  # nothing created


def _inbjuden(epost, hsa_id=""):
    from django.contrib.auth import get_user_model

    from konton import services
    from vardcentraler.models import Vardcentral

    planerare = get_user_model().objects.get(username="planerare")
    vc = Vardcentral.objects.filter(region__kod="01").order_by("namn").first()
    return services.inbjudan_create(
        av=planerare,
        fornamn="Test",
        efternamn="Person",
        epost=epost,
        roll="verksamhetschef",
        region=vc.region,
        vardcentraler=[vc],
        hsa_id=hsa_id,
        bas_url="http://testserver",
    )


def test_an_expired_id_token_is_refused(demo, page, live_server, sso):
    # The provider issues this person's ID tokens already expired.
    from konton.models import Konto

    anvandare = _inbjuden("utgangen@region.test")
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_role("link", name="Logga in med Region Teststads inloggning").click()
    _logga_in_hos_leverantoren(page, sso, "utgangen")
    page.wait_for_url(f"{live_server.url}/sso/nekad/")
    assert page.get_by_role("heading", name="Inloggningen kunde inte genomföras").is_visible()
    _axe(page)
    assert not Konto.objects.get(anvandare=anvandare).sso_subjekt
    assert page.goto(f"{live_server.url}/").url.startswith(f"{live_server.url}/logga-in/")


def test_matching_by_the_hsa_id_claim_and_refusing_a_deactivated_account(
    demo, page, live_server, sso, settings
):
    from konton import services

    settings.OIDC_MATCH_CLAIM = "hsa_id"
    anvandare = _inbjuden("hans@annan.test", hsa_id=sso.personer["hsa"]["username"])
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_role("link", name="Logga in med Region Teststads inloggning").click()
    _logga_in_hos_leverantoren(page, sso, "hsa")
    page.wait_for_url(f"{live_server.url}/")
    _logga_ut(page)
    page.wait_for_url(f"{live_server.url}/logga-in/")

    from django.contrib.auth import get_user_model

    planerare = get_user_model().objects.get(username="planerare")
    services.anvandare_deactivate(av=planerare, anvandare=anvandare)
    page.get_by_role("link", name="Logga in med Region Teststads inloggning").click()
    _logga_in_hos_leverantoren(page, sso, "hsa")
    page.wait_for_url(f"{live_server.url}/sso/nekad/")
    assert page.get_by_role("heading", name="Ditt konto är inaktiverat").is_visible()
    _axe(page)
