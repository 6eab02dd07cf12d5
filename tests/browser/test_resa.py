"""The round as the users live it, in real Chromium, keyboard only.

The verksamhetschef's half: ``chef_fyller_i`` starts from the start page, copies last round,
confirms and changes answers theme by theme, adds an action from a gap, checks and submits.
The planner's half (review, comment, return, approve) calls it from the full journey.
Every key press is counted (``Tangentbord``): the issue asks how many a chef needs.
"""

import datetime
import re
from dataclasses import dataclass, field

import pytest

pytestmark = pytest.mark.browser

BREDDER = (1280, 390)


def axe_ren(page) -> None:
    """axe-core (WCAG 2.1 A/AA and best practices) clean at desktop and phone widths."""
    from axe_playwright_python.sync_playwright import Axe

    storlek = page.viewport_size
    for bredd in BREDDER:
        page.set_viewport_size({"width": bredd, "height": 900})
        result = Axe().run(
            page,
            options={
                "runOnly": {
                    "type": "tag",
                    "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
                }
            },
        )
        fel = [
            {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result.response["violations"]
        ]
        assert fel == [], (page.url, bredd, fel)
    page.set_viewport_size(storlek)


@dataclass
class Tangentbord:
    """Keyboard only, counted: ``handlingar`` are the presses that do something (Enter, Space,
    an arrow) and each field typed into; ``tab`` the Tab presses that move between them."""

    page: object
    handlingar: int = 0
    tab: int = 0
    logg: list[str] = field(default_factory=list)

    def tryck(self, tangent: str) -> None:
        self.page.keyboard.press(tangent)
        self.handlingar += 1
        self.logg.append(tangent)

    def skriv(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.handlingar += 1
        self.logg.append(f"skriv {text[:20]}")

    def tabba_till(self, predikat_js: str, grans: int = 120) -> None:
        """Tab until the focused element matches (from wherever focus is now)."""
        for _ in range(grans):
            self.page.keyboard.press("Tab")
            self.tab += 1
            if self.page.evaluate(f"(el => !!el && ({predikat_js}))(document.activeElement)"):
                return
        raise AssertionError(f"Tab nådde aldrig {predikat_js} på {self.page.url}")

    def knapp(self, text: str) -> str:
        return f"['BUTTON','A'].includes(el.tagName) && el.textContent.trim().startsWith({text!r})"

    def valj(self, text: str, navigering: bool = True) -> None:
        """Tab to the link or button whose text starts with ``text`` and press Enter."""
        self.tabba_till(self.knapp(text))
        if navigering:
            with self.page.expect_navigation():
                self.tryck("Enter")
        else:
            self.tryck("Enter")


def vanta_sparat(page) -> None:
    page.wait_for_function("document.body.dataset.sparar !== '1'", timeout=15_000)


@pytest.fixture
def tva_omgangar(demo):
    """Stockholm's round 2025 (the demo chef's unit answered it, level 2 everywhere, one
    "vet ej") and the open round 2026 where nothing is answered yet."""
    from django.contrib.auth import get_user_model

    from malbild.models import Kriterium
    from malbild.selectors import malbild_version_senaste
    from vardcentraler.models import Region, Sjalvskattning, Svar
    from vardcentraler.omgangar import services

    planerare = get_user_model().objects.get(username="planerare")
    version = malbild_version_senaste()
    region = Region.objects.get(kod="01")

    def oppna(ar: int):
        return services.omgang_create(
            region=region,
            namn=str(ar),
            malbild_version=version,
            period_start=datetime.date(ar, 1, 1),
            period_slut=datetime.date(ar, 12, 31),
            sista_dag=datetime.date(ar, 10, 31),
            anvandare=planerare,
        )

    forra = oppna(2025)
    gammal = forra.sjalvskattningar.get(vardcentral__chefer__anvandare__username="chef")
    for i, k in enumerate(Kriterium.objects.for_version(version)):
        Svar.objects.create(
            sjalvskattning=gammal,
            kriterium=k,
            typ="vet_ej" if i == 5 else "niva",
            niva=None if i == 5 else 2,
            motivering="Rutin finns men följs inte upp." if i % 5 == 0 else "",
        )
    Sjalvskattning.objects.filter(pk=gammal.pk).update(status="godkand")
    ny = oppna(2026)
    return ny.sjalvskattningar.select_related("vardcentral", "omgang").get(
        vardcentral__chefer__anvandare__username="chef"
    )


def chef_fyller_i(page, live_server, s, *, andra: int = 0, atgard: bool = False, axe: bool = True):
    """The verksamhetschef from login to submitted, keyboard only. Changes the first answer of
    the first ``andra`` themes one level up (an arrow key) and, with ``atgard``, adds an action
    in place under the first changed criterion (still below the target). Returns the
    ``Tangentbord`` with the counts."""
    from malbild.models import Kriterium

    page.set_default_timeout(30_000)  # two cores shared by many: a slow first request is not a bug
    page.set_default_navigation_timeout(30_000)
    kb = Tangentbord(page)
    kriterier = list(Kriterium.objects.for_version(s.omgang.malbild_version_id))
    forsta_per_tema = {}
    for k in kriterier:
        forsta_per_tema.setdefault(k.tema.ordning, k)

    page.goto(f"{live_server.url}/logga-in/")
    kb.tabba_till("el.name === 'username'")
    kb.skriv("chef")
    kb.tabba_till("el.name === 'password'")
    kb.skriv("malbild-demo")
    with page.expect_navigation():
        kb.tryck("Enter")

    # The start page: the unit's self-assessment in the open round (the steps, or the whole
    # form with its way into the steps), else through the unit's page.
    adress = f"/omgangar/{s.omgang_id}/{s.vardcentral.hsa_id}/"
    steg = f"{adress}steg/1/"
    lank = "el.tagName === 'A' && [{a!r}, {b!r}].includes(el.getAttribute('href'))"
    if not page.locator(f"a[href='{adress}'], a[href='{steg}']").count():
        kb.tabba_till(
            f"el.tagName === 'A' && el.getAttribute('href') === {s.vardcentral.get_absolute_url()!r}"
        )
        with page.expect_navigation():
            kb.tryck("Enter")
    kb.tabba_till(lank.format(a=adress, b=steg))
    with page.expect_navigation():
        kb.tryck("Enter")
    if not page.url.endswith(steg):
        kb.valj("Fyll i tema för tema")
    assert "Tema 1 av 6" in page.locator(".framsteg-sticky").inner_text()
    if axe:
        axe_ren(page)

    # Start from last round's answers: asked first, then copied as drafts.
    kb.valj("Utgå från förra omgångens svar")
    if axe:
        axe_ren(page)
    kb.valj(f"Kopiera {len(kriterier)} svar som utkast")
    assert page.locator(".utkast-markering").count() > 0
    if axe:
        axe_ren(page)

    for nummer in range(1, 7):
        assert f"Tema {nummer} av 6" in page.locator(".framsteg-sticky").inner_text()
        if nummer <= andra:
            k = forsta_per_tema[nummer]
            kb.tabba_till(f"el.name === 'k{k.pk}-svar'")
            kb.tryck("ArrowDown")  # level 2 -> 3
            page.locator(f"#status-{k.pk} .sparat").wait_for()
            if atgard and nummer == 1:
                kb.tabba_till("el.textContent.startsWith('Lägg till åtgärd')")
                kb.tryck("Enter")
                page.locator(f"#atgard-ny-{k.pk} #id_beskrivning").wait_for()
                if axe:
                    axe_ren(page)
                kb.tabba_till("el.id === 'id_beskrivning'")
                kb.skriv("Följ upp rutinen varje kvartal")
                kb.tabba_till("el.id === 'id_ansvarig'")
                kb.skriv("Verksamhetschef")
                kb.tryck("Enter")
                page.locator(f"#atgard-ny-{k.pk} [role=status]").wait_for()
            # back to the top of the page for the theme's button
            page.evaluate("document.activeElement && document.activeElement.blur()")
        vanta_sparat(page)
        kb.valj("Bekräfta temats svar och fortsätt")

    page.wait_for_url(re.compile(r"/kontrollera/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Kontrollera dina svar"
    if axe:
        axe_ren(page)
    kb.valj("Skicka in självskattningen")
    page.wait_for_url(re.compile(r"/kvitto/$"))
    assert "Självskattningen är inskickad" in page.locator("h1").inner_text()
    if axe:
        axe_ren(page)
    return kb


def test_chef_submits_unchanged_answers_with_few_key_presses(page, live_server, tva_omgangar):
    from malbild.models import Kriterium
    from vardcentraler.models import Svar

    s = tva_omgangar
    kb = chef_fyller_i(page, live_server, s, axe=False)
    s.refresh_from_db()
    assert s.status == "inskickad"
    antal = Kriterium.objects.for_version(s.omgang.malbild_version_id).count()
    assert Svar.objects.filter(sjalvskattning=s, utkast=False).exclude(typ="").count() == antal
    print(f"\nOförändrat: {kb.handlingar} handlingar, {kb.tab} Tab ({kb.logg})")
    assert kb.handlingar < 20


def test_chef_changes_five_answers_adds_an_action_and_submits(page, live_server, tva_omgangar):
    from vardcentraler.models import Atgard, Svar

    s = tva_omgangar
    kb = chef_fyller_i(page, live_server, s, andra=5, atgard=True)
    s.refresh_from_db()
    assert s.status == "inskickad"
    svar = Svar.objects.filter(sjalvskattning=s)
    assert svar.filter(utkast=True).count() == 0
    assert svar.filter(typ="niva", niva=3).count() == 5
    atgard = Atgard.objects.get(vardcentral=s.vardcentral)
    assert atgard.beskrivning == "Följ upp rutinen varje kvartal"
    # The receipt lists the change since last round.
    assert page.locator(".andring--upp").count() == 5
    print(f"\nFem ändrade + en åtgärd: {kb.handlingar} handlingar, {kb.tab} Tab")

    page.goto(f"{live_server.url}/omgangar/{s.omgang_id}/{s.vardcentral.hsa_id}/utskrift/")
    assert page.locator(".sammanfattning").count() == 6
    axe_ren(page)


def test_two_arrow_presses_leave_one_history_row(page, live_server, login, tva_omgangar):
    from malbild.models import Kriterium
    from vardcentraler.models import Svar
    from vardcentraler.omgangar import services

    s = tva_omgangar
    k = Kriterium.objects.for_version(s.omgang.malbild_version_id).first()
    services.svar_save(
        sjalvskattning=s, data=services.SvarData(k, "niva", 1, "", "", 0), anvandare=None
    )
    svar = Svar.objects.get(sjalvskattning=s, kriterium=k)
    fore = svar.history.count()
    login("chef")
    page.goto(f"{live_server.url}/omgangar/{s.omgang_id}/{s.vardcentral.hsa_id}/steg/1/")
    kb = Tangentbord(page)
    kb.tabba_till(f"el.name === 'k{k.pk}-svar'")
    kb.tryck("ArrowDown")
    kb.tryck("ArrowDown")
    page.locator(f"#status-{k.pk} .sparat").wait_for()
    vanta_sparat(page)
    svar.refresh_from_db()
    assert (svar.niva, svar.history.count()) == (3, fore + 1)


def _logga_in(browser, live_server, anvandare: str):
    """A fresh browser context (its own session), signed in by keyboard; returns page and keys."""
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    kb = Tangentbord(page)
    page.goto(f"{live_server.url}/logga-in/")
    kb.tabba_till("el.name === 'username'")
    kb.skriv(anvandare)
    kb.tabba_till("el.name === 'password'")
    kb.skriv("malbild-demo")
    with page.expect_navigation():
        kb.tryck("Enter")
    return context, page, kb


def test_the_whole_round_submit_review_return_resubmit_approve(
    browser, page, live_server, tva_omgangar
):
    """The issue's journey: the chef submits with five changes and an action; the planner finds
    it under "väntar på granskning", sees the change since last round, comments a criterion
    and returns it; the chef reads the comment, resubmits; the planner approves. Keyboard only,
    axe-core on the planner's new pages."""
    from malbild.models import Kriterium
    from vardcentraler.models import Granskningskommentar

    s = tva_omgangar
    chef_fyller_i(page, live_server, s, andra=5, atgard=True, axe=False)
    forsta = Kriterium.objects.for_version(s.omgang.malbild_version_id).first()
    granska = f"/omgangar/{s.omgang_id}/{s.vardcentral.hsa_id}/granska/"

    # The planner: the start page lists it under "väntar på granskning".
    context, p, kb = _logga_in(browser, live_server, "planerare")
    assert "1 väntar på granskning" in p.locator("main").inner_text()
    kb.tabba_till(f"el.tagName === 'A' && el.getAttribute('href') === {granska!r}")
    with p.expect_navigation():
        kb.tryck("Enter")
    assert p.locator(".forandring--upp").count() == 5  # the change since last round
    axe_ren(p)
    kb.tabba_till(f"el.tagName === 'SUMMARY' && el.textContent.includes({forsta.kod!r})")
    kb.tryck("Enter")  # opens the comment field
    kb.tabba_till(f"el.name === 'k{forsta.pk}-kommentar'")
    kb.skriv("Beskriv hur rutinen följs upp.")
    kb.tabba_till("el.id === 'id_kommentar'")
    kb.skriv("Komplettera kriterium 1.1, se kommentaren.")
    kb.valj("Återsänd med kommentar")
    s.refresh_from_db()
    assert s.status == "atersand"
    assert Granskningskommentar.objects.get(sjalvskattning=s).kriterium == forsta
    context.close()

    # The chef: the start page says it was returned; the comment is on the form; resubmit.
    context, c, kb = _logga_in(browser, live_server, "chef")
    assert "Återsänd" in c.locator("main").inner_text()
    kb.tabba_till(
        "el.tagName === 'A' && el.textContent.includes('Återsänd: läs planerarens kommentar')"
    )
    with c.expect_navigation():
        kb.tryck("Enter")
    assert "Beskriv hur rutinen följs upp." in c.locator("main").inner_text()
    kb.valj("Kontrollera och skicka in")
    kb.valj("Skicka in självskattningen")
    c.wait_for_url(re.compile(r"/kvitto/$"))
    s.refresh_from_db()
    assert s.status == "inskickad"
    context.close()

    # The planner approves, through the confirmation page.
    context, p, kb = _logga_in(browser, live_server, "planerare")
    kb.tabba_till(f"el.tagName === 'A' && el.getAttribute('href') === {granska!r}")
    with p.expect_navigation():
        kb.tryck("Enter")
    kb.valj("Godkänn självskattningen")
    axe_ren(p)
    kb.valj("Ja, godkänn självskattningen")
    s.refresh_from_db()
    assert s.status == "godkand"
    context.close()
