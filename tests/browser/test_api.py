"""A planner creates an API token, reads the API's docs (served by the app itself, nothing
from another host), and loads the region's answers for a round with cursor pagination."""

import datetime
import json
import re
import urllib.request

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_planner_creates_a_token_and_loads_answers(demo, page, live_server, login):
    from vardcentraler.models import Region, Svar
    from vardcentraler.omgangar import services

    login("planerare")
    page.get_by_role("link", name="API-token").click()
    page.wait_for_url(re.compile(r"/api-token/$"))
    assert "Du har inga API-token ännu" in page.content()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Skapa token").click()  # no name: the error summary
    assert page.get_by_role("alert").get_by_text("Ge tokenen ett namn").count() == 1
    assert axe_violations(page) == []
    page.get_by_label("Namn").fill("Power BI")
    page.get_by_label("365 dagar").check()
    page.get_by_role("button", name="Skapa token").click()
    token = page.get_by_label("Token").input_value()
    assert token.startswith("mb_")
    assert axe_violations(page) == []

    # The token is shown once: the list keeps only its start.
    page.goto(f"{live_server.url}/api-token/")
    assert token not in page.content()
    assert page.get_by_role("cell", name=token[:10] + "…").count() == 1

    # A round with answers in the planner's region (Stockholm).
    from malbild.models import MalbildVersion

    stockholm = Region.objects.get(kod="01")
    omgang = services.omgang_create(
        region=stockholm,
        namn="API 2026",
        malbild_version=MalbildVersion.objects.get(slug="2024-10-9251"),
        period_start=datetime.date(2026, 1, 1),
        period_slut=datetime.date(2026, 12, 31),
        sista_dag=datetime.date(2026, 10, 31),
        anvandare=None,
    )
    # The README's example, against the live server.
    h = {"Authorization": f"Bearer {token}"}
    url, svar = f"{live_server.url}/api/v1/svar?omgang={omgang.pk}&limit=2", []
    while url:
        sida = json.load(urllib.request.urlopen(urllib.request.Request(url, headers=h)))  # noqa: S310
        svar += sida["items"]
        url = sida["next"]
    assert len(svar) == Svar.objects.besvarade().filter(sjalvskattning__omgang=omgang).count()


def test_api_docs_load_nothing_from_another_host(demo, page, live_server):
    fragor, fel = [], []
    page.on("request", lambda r: fragor.append(r.url))
    page.on("console", lambda m: fel.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.locator(".opblock").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert page.locator(".opblock").count() == 16
    utanfor = [u for u in fragor if not (u.startswith(live_server.url) or u.startswith("data:"))]
    assert utanfor == []
    assert fel == []  # no CSP refusal, no failed load
    assert page.locator("html").get_attribute("lang") == "sv"
    assert axe_violations(page) == []
    # An operation opened: its parameters and documented responses.
    page.locator(".opblock-summary-control", has_text="/api/v1/svar").click()  # GET /svar
    page.get_by_text("andrad_efter").first.wait_for()
    assert axe_violations(page) == []
