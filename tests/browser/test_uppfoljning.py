"""The follow-up journeys in real Chromium: filter the region dashboard, go back, open a gap report."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def uppfoljningsdata(demo):
    from tests.uppfoljning.data import enheter_skapa, malnivaer_skapa, omgang_skapa, svar_skapa
    from vardcentraler.models import Region, Vardcentral

    stockholm = Region.objects.get(kod="01")
    enheter_skapa(stockholm, 9, prefix="Testby")
    enheter = list(Vardcentral.objects.filter(region=stockholm))
    o1, o2 = omgang_skapa(stockholm, 2025), omgang_skapa(stockholm, 2026)
    malnivaer_skapa(o1, 2)
    malnivaer_skapa(o2, 3)
    svar_skapa(o1, enheter, seed=11)
    svar_skapa(o2, enheter, seed=12)
    return enheter


def _rader(page) -> int:
    return page.locator("table.heatmap tbody tr").count()


def test_planner_filters_the_dashboard_goes_back_and_opens_a_gap_report(
    uppfoljningsdata, page, live_server, login
):
    andra = []
    page.on(
        "request",
        lambda r: andra.append(r.url) if not r.url.startswith((live_server.url, "data:")) else None,
    )
    fel = []
    page.on("console", lambda m: fel.append(m.text) if m.type == "error" else None)
    login("planerare")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Uppföljning", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/uppfoljning/region/01/$"))
    assert page.get_by_role("heading", level=1).count() == 1
    alla = _rader(page)
    assert alla == len(uppfoljningsdata)
    page.locator("#oversikt .chart .main-svg").first.wait_for()  # plotly drew the charts
    assert axe_violations(page) == []

    page.get_by_label("Driftsform").select_option("privat")
    expect(page).to_have_url(re.compile(r"/region/01/\?omgang=\d+&driftsform=privat$"))
    expect(page.locator("table.heatmap tbody tr")).not_to_have_count(alla)
    privata = _rader(page)
    assert 0 < privata < alla
    assert page.get_by_role("status").first.inner_text().startswith(f"Visar {privata} ")
    page.locator("#oversikt .chart .main-svg").first.wait_for()  # re-drawn after the swap

    page.get_by_role("link", name=re.compile("Stegvis vård")).first.click()
    expect(page).to_have_url(re.compile(r"driftsform=privat&sortera=stegvis-vard"))
    page.wait_for_selector("th[aria-sort='ascending']")

    page.go_back()
    expect(page).to_have_url(re.compile(r"driftsform=privat$"))
    expect(page.locator("th[aria-sort]")).to_have_count(1)  # sorted by name again
    page.go_back()
    expect(page).to_have_url(re.compile(r"/uppfoljning/region/01/$"))
    expect(page.locator("table.heatmap tbody tr")).to_have_count(alla)

    page.locator("table.heatmap tbody th a").first.click()
    page.wait_for_url(re.compile(r"/uppfoljning/vardcentral/.+/gap/"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Gaprapport:")
    assert page.locator("section.gap-theme").count() == 6
    page.locator(".chart .main-svg").first.wait_for()
    assert axe_violations(page) == []
    assert andra == []
    assert fel == []


def test_manager_and_national_reader_see_their_own_views(
    uppfoljningsdata, page, live_server, login
):
    login("chef")
    page.goto(f"{live_server.url}/uppfoljning/")
    page.wait_for_url(re.compile(r"/uppfoljning/region/01/$"))
    assert _rader(page) == 1
    assert axe_violations(page) == []
    page.get_by_role("button", name="Logga ut").click()

    login("nationell")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Uppföljning", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/uppfoljning/nationellt/$"))
    assert page.locator("table.heatmap tbody tr").count() == 21
    assert "Region Stockholm" in page.locator("table.heatmap").inner_text()
    page.locator(".chart .main-svg").first.wait_for()
    page.get_by_text("Visa fördelningen som tabell").click()
    assert axe_violations(page) == []


def test_the_dashboard_fits_a_phone(uppfoljningsdata, page, live_server, login):
    page.set_viewport_size({"width": 375, "height": 800})
    login("planerare")
    page.goto(f"{live_server.url}/uppfoljning/region/01/")
    # Wide tables scroll inside their wrapper; the page itself does not scroll sideways.
    bredd = page.evaluate("document.documentElement.scrollWidth")
    assert bredd <= 375
    assert axe_violations(page) == []
