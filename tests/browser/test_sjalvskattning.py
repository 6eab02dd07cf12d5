"""A round from start to approval in real Chromium: keyboard only, autosave, conflict, no JS."""

import datetime

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def omgang(demo):
    from django.contrib.auth import get_user_model

    from malbild.selectors import malbild_version_senaste
    from vardcentraler.models import Region
    from vardcentraler.omgangar import services

    return services.omgang_create(
        region=Region.objects.get(kod="01"),
        namn="2026",
        malbild_version=malbild_version_senaste(),
        period_start=datetime.date(2026, 1, 1),
        period_slut=datetime.date(2026, 12, 31),
        sista_dag=datetime.date(2026, 10, 31),
        anvandare=get_user_model().objects.get(username="planerare"),
    )


@pytest.fixture
def chefens(omgang):
    """The demo verksamhetschef's assessment in the round."""
    return omgang.sjalvskattningar.select_related("vardcentral").get(
        vardcentral__chefer__anvandare__username="chef"
    )


def form_url(live_server, s):
    return f"{live_server.url}/omgangar/{s.omgang_id}/{s.vardcentral.hsa_id}/"


def tab_to(page, predicate_js: str, limit: int = 25) -> None:
    """Press Tab until the focused element matches; keyboard only, no clicks."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")


def test_planner_fills_in_a_whole_assessment_with_the_keyboard_and_approves_it(
    page, live_server, login, omgang, chefens
):
    from malbild.models import Kriterium
    from vardcentraler.models import Atgard, Svar

    kriterier = list(
        Kriterium.objects.for_version(omgang.malbild_version).order_by("tema__ordning", "ordning")
    )
    login("planerare")
    page.goto(f"{live_server.url}/omgangar/{omgang.pk}/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert axe_violations(page) == []

    page.goto(form_url(live_server, chefens))
    assert axe_violations(page) == []
    forvantat = {}
    for i, k in enumerate(kriterier):
        tab_to(page, f"el.name === 'k{k.pk}-svar'", limit=80)  # past guidance, examples, actions
        page.keyboard.press("Space")  # level 1
        steg = 4 if i == len(kriterier) - 1 else i % 4  # the last one: "vet ej"
        for _ in range(steg):
            page.keyboard.press("ArrowDown")
        forvantat[k.pk] = ("vet_ej", None) if steg == 4 else ("niva", steg + 1)
        if i == 0:
            page.keyboard.press("Tab")  # the motivation
            page.keyboard.type("Utbudet är beskrivet men inte för barn och unga.")
    page.wait_for_function(
        "n => document.body.dataset.sparar === '0'"
        " && document.querySelectorAll('.svar__status .sparat').length === n",
        arg=len(kriterier),
        timeout=30_000,
    )
    assert page.locator(".svar__status .field-error").count() == 0
    n = len(kriterier)
    assert page.locator("#framsteg-totalt").inner_text().startswith(f"{n} av {n}")

    page.reload()
    assert page.locator("input[type=radio]:checked").count() == len(kriterier)
    sparade = {s.kriterium_id: (s.typ, s.niva) for s in Svar.objects.filter(sjalvskattning=chefens)}
    assert sparade == forvantat
    assert (
        page.locator(f"#id_k{kriterier[0].pk}-motivering").input_value()
        == "Utbudet är beskrivet men inte för barn och unga."
    )

    # An action for the first criterion (level 1, target 4), keyboard only, in place.
    page.locator(f"#id_k{kriterier[0].pk}-underlag").focus()
    tab_to(page, "el.textContent.startsWith('Lägg till åtgärd')")
    page.keyboard.press("Enter")
    page.locator(f"#atgard-ny-{kriterier[0].pk} #id_beskrivning").wait_for()
    assert axe_violations(page) == []
    tab_to(page, "el.id === 'id_beskrivning'", limit=40)
    page.keyboard.type("Beskriv utbudet för barn och unga i vårdcentralens rutin")
    page.keyboard.press("Tab")
    page.keyboard.type("Verksamhetschef")
    page.keyboard.press("Enter")
    page.locator(f"#atgard-ny-{kriterier[0].pk} [role=status]").wait_for()
    atgard = Atgard.objects.get()
    assert (atgard.kriterium_id, atgard.mal_niva, atgard.status) == (kriterier[0].pk, 2, "planerad")
    assert "Beskriv utbudet för barn och unga" in page.content()

    skicka = page.get_by_role("button", name="Skicka in självskattningen")
    skicka.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The receipt.
    assert "Självskattningen är inskickad" in page.locator("h1").inner_text()
    assert "varav 1 ”vet ej”" in page.content()
    page.goto(form_url(live_server, chefens))
    assert "1 kriterier är besvarade med ”vet ej”" in page.content()

    # Approval goes through the review page and its confirmation page.
    for namn in ("Granska självskattningen", "Godkänn självskattningen…"):
        page.get_by_role("link", name=namn).focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    page.get_by_role("button", name="Ja, godkänn självskattningen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "godkänd och låst" in page.locator(".messages").inner_text()
    chefens.refresh_from_db()
    assert chefens.status == "godkand"
    assert page.locator(f"#id_k{kriterier[0].pk}-svar-1").is_disabled()


def test_two_people_saving_the_same_answer_never_overwrite_each_other(
    browser, live_server, omgang, chefens
):
    from malbild.models import Kriterium
    from vardcentraler.models import Svar

    k = Kriterium.objects.for_version(omgang.malbild_version).order_by("tema__ordning", "ordning")[
        0
    ]
    sidor = {}
    for namn in ("chef", "planerare"):
        context = browser.new_context(locale="sv-SE")
        sida = context.new_page()
        sida.set_default_timeout(30_000)
        sida.goto(f"{live_server.url}/logga-in/")
        sida.get_by_label("Användarnamn").fill(namn)
        sida.get_by_label("Lösenord").fill("malbild-demo")
        sida.get_by_role("button", name="Logga in").click()
        sida.wait_for_url(f"{live_server.url}/")
        sida.goto(form_url(live_server, chefens))
        sidor[namn] = sida
    chef, planerare = sidor["chef"], sidor["planerare"]

    planerare.locator(f"#id_k{k.pk}-svar-3").check()
    planerare.locator(f"#status-{k.pk} .sparat").wait_for()
    chef.locator(f"#id_k{k.pk}-svar-1").check()
    konflikt = chef.locator(f"#status-{k.pk} .konflikt")
    konflikt.wait_for()
    assert "Någon annan (Petra Planerare" in konflikt.inner_text()
    assert "nivå 3" in konflikt.inner_text()
    assert Svar.objects.get(kriterium=k).niva == 3

    chef.get_by_role("button", name="Behåll mitt svar").click()
    chef.locator(f"#status-{k.pk} .sparat").wait_for()
    assert Svar.objects.get(kriterium=k).niva == 1

    # The planner's page is now stale: their next change is refused too; they take the chef's.
    planerare.locator(f"#id_k{k.pk}-svar-4").check()
    planerare.locator(f"#status-{k.pk} .konflikt").wait_for()
    planerare.get_by_role("link", name="Ta deras svar").click()
    planerare.locator(f"#id_k{k.pk}-svar-1:checked").wait_for()
    assert Svar.objects.get(kriterium=k).niva == 1
    assert axe_violations(chef) == []
    for sida in sidor.values():
        sida.context.close()


def test_the_form_works_without_javascript(browser, live_server, omgang, chefens):
    from vardcentraler.models import Svar

    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill("chef")
    page.get_by_label("Lösenord").fill("malbild-demo")
    page.get_by_role("button", name="Logga in").click()
    page.goto(form_url(live_server, chefens))
    forsta = page.locator("section.tema").first
    forsta.locator("input[type=radio][value='vet_ej']").first.check()
    forsta.locator("textarea").first.fill("Vi vet inte ännu")
    with page.expect_navigation():
        forsta.get_by_role("button", name="Spara temat").click()
    assert "är sparat (1 ändrade svar)" in page.content()
    svar = Svar.objects.get(sjalvskattning=chefens)
    assert (svar.typ, svar.motivering) == ("vet_ej", "Vi vet inte ännu")
    context.close()
