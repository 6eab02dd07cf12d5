import re

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_a_new_user_logs_in_and_reads_the_malbild(demo, page, live_server, login):
    page.goto(f"{live_server.url}/logga-in/")
    assert axe_violations(page) == []

    login("planerare")
    page.get_by_role("link", name="Nationell målbild").first.click()
    page.wait_for_url(re.compile(r"/malbild/2024-10-9251-v2/$"))
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.locator(".theme-card").count() == 6
    assert axe_violations(page) == []

    page.get_by_role("link", name=re.compile("Stegvis vård")).click()
    page.wait_for_url(re.compile(r"/malbild/2024-10-9251-v2/.+/$"))
    assert (
        "Vårdcentraler organiserar omhändertagandet av psykisk ohälsa i vårdprocesser"
        in page.content()
    )
    assert page.locator("section.criterion").count() >= 4
    page.get_by_text("Socialstyrelsens förklarande text").click()
    assert axe_violations(page) == []


def test_keyboard_user_reaches_the_content_with_the_skip_link(demo, page, live_server, login):
    login("chef")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Hoppa till huvudinnehållet" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "huvudinnehall"


def test_no_request_leaves_the_machine(demo, page, live_server, login):
    andra = []
    page.on(
        "request",
        lambda r: (
            andra.append(r.url)
            if not r.url.startswith(live_server.url) and not r.url.startswith("data:")
            else None
        ),
    )
    login("planerare")
    page.goto(f"{live_server.url}/malbild/2024-10-9251/")
    page.goto(f"{live_server.url}/vardcentraler/")
    assert andra == []
