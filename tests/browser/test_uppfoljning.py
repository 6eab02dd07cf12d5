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
    # A manager of one unit follows up on the unit's own page, without region filters.
    page.wait_for_url(re.compile(r"/uppfoljning/vardcentral/.+/gap/$"))
    assert page.get_by_label("Driftsform").count() == 0
    assert "Visar omgång" in page.locator(".omgangsval").inner_text()
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


@pytest.fixture
def mitt_i_omgang(demo):
    """Stockholm and Uppsala mid-round: 2025 closed and approved, 2026 open with every status."""
    from tests.uppfoljning.data import enheter_skapa, malnivaer_skapa, omgang_skapa, svar_skapa
    from vardcentraler.models import Omgang, Region, Sjalvskattning, Vardcentral

    for kod, niva in (("01", None), ("03", 3)):
        reg = Region.objects.get(kod=kod)
        enheter_skapa(reg, 9, prefix="Testby")
        enheter = list(Vardcentral.objects.filter(region=reg).order_by("hsa_id"))
        o1 = omgang_skapa(reg, 2025, namn="2025", status=Omgang.Status.STANGD)
        o2 = omgang_skapa(reg, 2026, namn="2026")
        malnivaer_skapa(o1, 3)
        malnivaer_skapa(o2, 4)
        svar_skapa(o1, enheter, niva=niva, seed=21, status=Sjalvskattning.Status.GODKAND)
        svar_skapa(o2, enheter[:6], seed=22, status=Sjalvskattning.Status.GODKAND)
        svar_skapa(o2, enheter[6:9], seed=23, status=Sjalvskattning.Status.PAGAR)


def test_planner_ranks_by_gap_filters_theme_5_and_opens_the_worst(
    mitt_i_omgang, page, live_server, login
):
    login("planerare")
    page.goto(f"{live_server.url}/uppfoljning/region/01/")
    assert "Visar omgång 2026" in page.locator(".omgangsval").inner_text()
    gap = page.locator("th[aria-sort='descending']")
    assert "Sammanlagt gap" in gap.inner_text()  # largest total gap first by default
    # Units without a submitted answer show their approved 2025 level, marked.
    assert page.locator("td.heat .heat__kalla", has_text="2025").count() > 0
    page.locator("#oversikt .chart .main-svg").first.wait_for()
    assert axe_violations(page) == []

    tema5 = page.get_by_label("Under målnivå i").locator("option", has_text="tema 5.")
    page.get_by_label("Under målnivå i").select_option(tema5.get_attribute("value"))
    expect(page).to_have_url(re.compile(r"under_mal=psykolog"))
    rader = page.locator("table.heatmap tbody tr")
    expect(rader.first).to_be_visible()
    # Every remaining unit is below target in theme 5: its cell is coloured by a gap.
    kolumn = 2 + 5  # name (th), total gap, then themes 1–5
    for i in range(rader.count()):
        klass = rader.nth(i).locator(f"td:nth-child({kolumn + 1})").get_attribute("class")
        assert re.search(r"gap--[123]", klass), klass
    # Sort by the total gap again (largest first) and open the worst unit's gap report.
    page.get_by_role("link", name="Sammanlagt gap").click()
    expect(page).to_have_url(re.compile(r"sortera=-gap"))
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Sammanlagt gap")
    page.get_by_role("link", name="Sammanlagt gap").click()
    expect(page).to_have_url(re.compile(r"sortera=gap"))
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("Sammanlagt gap")
    forsta = rader.first.locator("th a")
    namn = forsta.inner_text()
    forsta.click()
    page.wait_for_url(re.compile(r"/uppfoljning/vardcentral/.+/gap/"))
    assert namn in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("tr[id^='kriterium-']").count() > 0
    assert axe_violations(page) == []


def test_national_reader_switches_round_and_sorts_by_theme_5(
    mitt_i_omgang, page, live_server, login
):
    login("nationell")
    assert page.get_by_role("heading", name="Regionernas senaste stängda omgång").count() == 1
    page.goto(f"{live_server.url}/uppfoljning/nationellt/")
    assert "Visar omgång 2025: den senaste stängda" in page.locator(".omgangsval").inner_text()
    tabell = page.locator("table.heatmap")
    assert "Region Stockholm" in tabell.inner_text()
    assert axe_violations(page) == []
    page.get_by_label("Omgång", exact=True).select_option("2026")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(r"omgang=2026"))
    assert "som du valt" in page.locator(".omgangsval").inner_text()
    page.get_by_role("link", name=re.compile(r"^5\.")).first.click()
    expect(page).to_have_url(re.compile(r"omgang=2026&sortera=psykolog"))
    sorterad = page.locator("th[aria-sort='ascending']")
    assert sorterad.inner_text().startswith("5.")
    forsta = page.locator("table.heatmap tbody tr").first.locator("th").inner_text()
    assert forsta.startswith(("Region Stockholm", "Region Uppsala"))  # those with values first
    assert axe_violations(page) == []
