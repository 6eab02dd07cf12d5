"""A planner reads what changed in version 2, searches the practice library and adds an example."""

import re

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def test_a_planner_reads_the_changes_searches_and_adds_an_example(demo, page, live_server, login):
    login("planerare")
    page.goto(f"{live_server.url}/malbild/")
    page.get_by_role("link", name="ändringar mot version 1").click()
    page.wait_for_url(re.compile(r"/malbild/2024-10-9251-v2/andringar/$"))
    assert page.get_by_role("heading", name=re.compile(r"^Nya \(11\)")).is_visible()
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/malbild/exempel/")
    page.get_by_role("textbox", name=re.compile(r"^Sök")).fill("väg in")
    page.get_by_role("combobox", name=re.compile(r"^Tema")).select_option("stegvis-vard")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_url(re.compile(r"sok=v%C3%A4g\+in"))
    assert page.get_by_role("link", name=re.compile("En väg in för barn och unga")).is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Lägg till ett exempel från din region").click()
    page.get_by_role("button", name="Spara exemplet").click()
    assert page.get_by_role("alert").is_visible()  # error summary, nothing saved
    assert axe_violations(page) == []
    page.get_by_role("textbox", name=re.compile(r"^Rubrik")).fill(
        "Drop-in för unga vuxna på tisdagar"
    )
    page.get_by_role("textbox", name=re.compile(r"^Var:?$")).fill("Demo vårdcentral i Stockholm")
    page.get_by_role("textbox", name=re.compile(r"^Så gjorde ni")).fill(
        "Öppen mottagning utan tidsbokning en kväll i veckan."
    )
    page.get_by_role("checkbox", name=re.compile(r"2\.8 Vårdcentralen erbjuder en enkel")).check()
    page.get_by_role("button", name="Spara exemplet").click()
    page.wait_for_url(re.compile(r"/malbild/exempel/region-01-"))
    assert page.get_by_role("heading", level=1).inner_text() == "Drop-in för unga vuxna på tisdagar"
    assert axe_violations(page) == []

    page.get_by_role("link", name="2.8").click()
    page.wait_for_url(re.compile(r"/malbild/2024-10-9251-v2/stegvis-vard/"))
    assert page.get_by_role("link", name="Drop-in för unga vuxna på tisdagar").is_visible()
    assert axe_violations(page) == []
