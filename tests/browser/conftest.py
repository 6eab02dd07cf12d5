"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server.

No browser is downloaded: Playwright is pointed at the system Chromium. Without
it the browser tests are skipped, except in CI (REQUIRE_BROWSER=1), where a
missing browser is an error.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Playwright's sync API keeps an event loop running in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"{CHROMIUM} saknas men REQUIRE_BROWSER=1.")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} saknas: installera Debians paket chromium")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # as the page timeouts below

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    # Generous: a test that passes waits no longer for it, and on two cores shared with other
    # work a PDF can take well over 10 s (CI trial under load average 7, 1 December).
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    return page


@pytest.fixture
def demo(transactional_db, settings):
    """Reference data, the målbild and the demo logins (transactional tests flush the tables)."""
    from demodata import demo_users_create, vardcentraler_demo_create
    from vardcentraler.models import Kommun, Region
    from vardcentraler.referensdata import referensdata_load

    referensdata_load(Region, Kommun)
    call_command("load_malbild", verbosity=0)
    vardcentraler_demo_create(per_region=3)
    demo_users_create()


@pytest.fixture
def login(page, live_server):
    def _login(username: str, password: str = "malbild-demo"):
        page.goto(f"{live_server.url}/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(f"{live_server.url}/")

    return _login


def axe_violations(page) -> list[dict]:
    """axe-core (shipped inside axe-playwright-python) run on the current page: WCAG 2.1 A and AA."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result.response["violations"]
    ]
