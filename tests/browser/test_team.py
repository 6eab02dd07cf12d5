"""A team of four rates in separate browsers; the chef records the consensus and submits;
the planner sees the spread without names. axe-core on every new page, at 1280 and 390 px.

Set TEAM_SHOTS=/some/dir to also save a screenshot of every new page at both widths.
"""

import datetime
import os
from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("TEAM_SHOTS")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def kolla(page, namn: str) -> None:
    """axe-core clean at desktop and phone width (and a screenshot of each when asked)."""
    for bredd in (1280, 390):
        page.set_viewport_size({"width": bredd, "height": 900})
        assert axe_violations(page) == [], (namn, bredd)
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SHOTS}/{namn}-{bredd}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def omgang(demo, settings, tmp_path):
    from django.contrib.auth import get_user_model

    from malbild.models import MalbildVersion
    from vardcentraler.models import Region
    from vardcentraler.omgangar import services

    settings.MEDIA_ROOT = tmp_path
    return services.omgang_create(
        region=Region.objects.get(kod="01"),
        namn="2026",
        malbild_version=MalbildVersion.objects.get(slug="2024-10-9251"),
        period_start=datetime.date(2026, 1, 1),
        period_slut=datetime.date(2026, 12, 31),
        sista_dag=datetime.date(2026, 10, 31),
        anvandare=get_user_model().objects.get(username="planerare"),
    )


def logga_in(page, live_server, username):
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("malbild-demo")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")


def skatta(browser, lank: str, teman, niva_for, forsta_vet_ej=False, skicka=True):
    """One member, in a browser of their own: every theme, then submit."""
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(lank)
    page.get_by_role("link", name=f"1. {teman[0].kortnamn}").click()
    for i, tema in enumerate(teman):
        for j, k in enumerate(tema.kriterier.order_by("ordning")):
            if forsta_vet_ej and i == 0 and j == 0:
                page.check(f"#k{k.pk}-vetej")
            else:
                page.check(f"#k{k.pk}-n{niva_for}")
        if i + 1 < len(teman):
            page.get_by_role("button", name="Spara och fortsätt").click()
        else:
            page.get_by_role("button", name="Spara och gå till översikten").click()
    if skicka:
        page.get_by_role("button", name="Skicka in min skattning").click()
        page.get_by_text("Din skattning är inskickad").wait_for()
    return context, page


def test_a_team_rates_agrees_and_submits_and_the_planner_sees_the_spread(
    browser, live_server, omgang
):
    from malbild.models import Tema
    from vardcentraler.models import Sjalvskattning, Svar

    teman = list(Tema.objects.filter(version=omgang.malbild_version).order_by("ordning"))
    s = Sjalvskattning.objects.select_related("vardcentral").get(
        omgang=omgang, vardcentral__chefer__anvandare__username="chef"
    )

    # The planner switches team assessment on for the round.
    planerare_ctx = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    planerare = planerare_ctx.new_page()
    logga_in(planerare, live_server, "planerare")
    planerare.goto(f"{live_server.url}/omgangar/{omgang.pk}/")
    planerare.get_by_role("link", name="Teambedömning: av").click()
    kolla(planerare, "omgang_teambedomning")
    planerare.get_by_label("Vårdcentralerna gör självskattningen som team").check()
    planerare.get_by_role("button", name="Spara").click()
    planerare.get_by_text("Teambedömning är påslagen.").wait_for()

    # The verksamhetschef invites four members from the round page.
    chef_ctx = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    chef = chef_ctx.new_page()
    chef.set_default_timeout(30_000)
    logga_in(chef, live_server, "chef")
    chef.goto(f"{live_server.url}/omgangar/{omgang.pk}/")
    chef.get_by_role("link", name=f"Teamet på {s.vardcentral.namn}").click()
    kolla(chef, "team_list-tomt")
    lankar = {}
    for namn, yrke in (
        ("Ada Ek", "Läkare"),
        ("Bo Lind", "Sjuksköterska"),
        ("Cia Berg", "Psykolog"),
        ("Dan Holm", "Kurator"),
    ):
        chef.get_by_label("Namn").fill(namn)
        chef.get_by_label("Profession").select_option(label=yrke)
        chef.get_by_role("button", name="Bjud in och skapa länk").click()
        lankar[namn] = chef.locator("#ny-lank-url").input_value()
    kolla(chef, "team_list")

    # The psychologist rates first (two levels above the rest) and submits.
    cia_ctx, cia = skatta(browser, lankar["Cia Berg"], teman, 4)
    kolla(cia, "teambedomning_detail-inskickad")
    # The doctor has not submitted: sees nobody else's ratings, on the overview or a theme.
    ada_ctx, ada = skatta(browser, lankar["Ada Ek"], teman, 2, skicka=False)
    kolla(ada, "teambedomning_detail")
    assert "Psykolog" not in ada.content() and "Teamets skattningar" not in ada.content()
    ada.get_by_role("link", name=f"2. {teman[1].kortnamn}").click()
    kolla(ada, "teambedomning_tema")
    assert "Psykolog" not in ada.content()
    ada.goto(lankar["Ada Ek"])
    ada.get_by_role("button", name="Skicka in min skattning").click()
    ada.get_by_text("Din skattning är inskickad").wait_for()
    assert "Psykolog" in ada.content()  # now she sees the spread, by profession
    bo_ctx, _ = skatta(browser, lankar["Bo Lind"], teman, 2)
    dan_ctx, _ = skatta(browser, lankar["Dan Holm"], teman, 2, forsta_vet_ej=True)
    for c in (cia_ctx, ada_ctx, bo_ctx, dan_ctx):
        c.close()

    # The consensus page: the spread, the flags; the chef records the team's answers.
    chef.goto(f"{live_server.url}/omgangar/{omgang.pk}/{s.vardcentral.hsa_id}/team/")
    chef.get_by_role("link", name="Jämför skattningarna och sätt teamets svar").click()
    kolla(chef, "konsensus_list")
    chef.get_by_role("link", name=f"1. {teman[0].kortnamn}").click()
    forsta = teman[0].kriterier.order_by("ordning").first()
    assert chef.locator(f"#k{forsta.pk}-rubrik ~ .flaggor").inner_text().count("\n") >= 1
    assert "Skattningarna skiljer sig 2 nivåer eller mer" in chef.content()
    assert "Psykolog skattar högre än övriga i temat" in chef.content()
    assert "Teamet var överens om 0 av" in chef.content()
    kolla(chef, "konsensus_update")
    for i, tema in enumerate(teman):
        for k in tema.kriterier.order_by("ordning"):
            chef.check(f"#k{k.pk}-n3")
        if i == 0:
            chef.get_by_label("Motivering till teamets svar").first.fill(
                "Psykologen ser fler insatser än vi andra; vi enades om nivå 3."
            )
        knapp = "Spara och fortsätt till nästa tema" if i + 1 < len(teman) else "Spara teamets svar"
        chef.get_by_role("button", name=knapp).click()
        chef.get_by_text("Teamets svar för tema").wait_for()
    assert Svar.objects.filter(sjalvskattning=s, typ="niva", niva=3).count() == sum(
        t.kriterier.count() for t in teman
    )

    # Evidence for the first criterion, then the chef submits the self-assessment.
    chef.goto(f"{live_server.url}/omgangar/{omgang.pk}/{s.vardcentral.hsa_id}/underlag/")
    chef.get_by_role("link", name=forsta.kod, exact=True).click()
    chef.get_by_label("Fil", exact=True).set_input_files(
        {"name": "rutin-depression.png", "mimeType": "image/png", "buffer": PNG}
    )
    chef.locator("#fil-beskrivning").fill("Rutin för depression")
    chef.get_by_role("button", name="Ladda upp").click()
    chef.get_by_text("Underlaget ”Rutin för depression” är sparat.").wait_for()
    kolla(chef, "underlag_detail")
    chef.get_by_role("link", name="Alla underlag").click()
    kolla(chef, "underlag_list")
    chef.goto(f"{live_server.url}/omgangar/{omgang.pk}/{s.vardcentral.hsa_id}/")
    chef.get_by_role("button", name="Skicka in självskattningen").click()
    s.refresh_from_db()
    assert s.status == Sjalvskattning.Status.INSKICKAD

    # The planner reviews: the spread per theme without names, the evidence by name.
    planerare.goto(f"{live_server.url}/omgangar/{omgang.pk}/{s.vardcentral.hsa_id}/granska/")
    html = planerare.content()
    assert "Teamet var överens om 0 av" in html
    assert "rutin-depression.png" in html
    for namn in ("Ada Ek", "Bo Lind", "Cia Berg", "Dan Holm"):
        assert namn not in html
    kolla(planerare, "sjalvskattning_review")
    planerare_ctx.close()
    chef_ctx.close()
