"""The self-assessment in steps: copy last round as drafts, confirm, check, submit, receipt."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OmgangFactory, SjalvskattningFactory, SvarFactory
from vardcentraler.models import Atgard, Sjalvskattning, Svar
from vardcentraler.omgangar import selectors, services, services_granskning, services_utkast

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def s(omgang, vc_stockholm):
    return Sjalvskattning.objects.select_related("omgang", "vardcentral").get(
        omgang=omgang, vardcentral=vc_stockholm
    )


@pytest.fixture
def forra(omgang, vc_stockholm, kriterier, malbild_version):
    """Last round (2025) of the same unit: every criterion answered, level 1–4 in turn, the
    first one "vet ej"; motivations and evidence on the first three."""
    import datetime

    forra = OmgangFactory(
        region=omgang.region,
        namn="2025",
        malbild_version=malbild_version,
        period_start=datetime.date(2025, 1, 1),
        period_slut=datetime.date(2025, 12, 31),
        sista_dag=datetime.date(2025, 10, 31),
        status="stangd",
    )
    gammal = SjalvskattningFactory(omgang=forra, vardcentral=vc_stockholm, status="godkand")
    for i, k in enumerate(kriterier):
        SvarFactory(
            sjalvskattning=gammal,
            kriterium=k,
            typ="vet_ej" if i == 0 else "niva",
            niva=None if i == 0 else 1 + i % 4,
            motivering=f"Motivering {k.kod}" if i < 3 else "",
            underlag=f"Underlag {k.kod}" if i < 3 else "",
        )
    return gammal


def url(namn, s, *args):
    return reverse(f"vardcentraler:{namn}", args=[s.omgang_id, s.vardcentral.hsa_id, *args])


def spara(s, k, niva, anvandare, version=0):
    return services.svar_save(
        sjalvskattning=s,
        data=services.SvarData(k, "niva", niva, "", "", version),
        anvandare=anvandare,
    )


def tema_data(s, tema_pk, **extra) -> dict:
    """The theme form as the browser posts it: every criterion's stored answer and version."""
    from malbild.models import Kriterium

    data = {}
    svar = {x.kriterium_id: x for x in s.svar.all()}
    for k in Kriterium.objects.filter(tema_id=tema_pk):
        x = svar.get(k.pk)
        data[f"k{k.pk}-svar"] = (str(x.niva) if x.typ == "niva" else x.typ) if x else ""
        data[f"k{k.pk}-motivering"] = x.motivering if x else ""
        data[f"k{k.pk}-underlag"] = x.underlag if x else ""
        data[f"k{k.pk}-version"] = x.version if x else 0
    return data | extra


# --- Services -----------------------------------------------------------------------------


def test_copy_fills_only_unanswered_criteria_as_drafts_that_do_not_count(s, forra, kriterier, chef):
    spara(s, kriterier[1], 4, chef)  # answered this round: kept as it is
    antal = services_utkast.svar_copy_previous(sjalvskattning=s, anvandare=chef)
    assert antal == len(kriterier) - 1
    egen = s.svar.get(kriterium=kriterier[1])
    assert (egen.niva, egen.utkast) == (4, False)
    forsta = s.svar.get(kriterium=kriterier[0])
    assert (forsta.typ, forsta.motivering, forsta.underlag, forsta.utkast) == (
        "vet_ej",
        f"Motivering {kriterier[0].kod}",
        f"Underlag {kriterier[0].kod}",
        True,
    )
    assert forsta.history.count() == 1 and forsta.history.get().history_user == chef
    # Drafts are not answered: not in progress, not in the submit check.
    _, totalt = selectors.framsteg_for(s)
    assert totalt.besvarade == 1
    assert s.svar.besvarade().count() == 1
    # A second copy finds nothing left to copy.
    assert services_utkast.svar_copy_previous(sjalvskattning=s, anvandare=chef) == 0


def test_confirm_and_change_make_a_draft_count(s, forra, kriterier, chef):
    services_utkast.svar_copy_previous(sjalvskattning=s, anvandare=chef)
    tema1 = [k.pk for k in kriterier if k.tema.ordning == 1]
    assert services_utkast.svar_confirm(
        sjalvskattning=s, kriterie_ids=tema1, anvandare=chef
    ) == len(tema1)
    andrat = s.svar.get(kriterium=kriterier[-1])
    spara(s, kriterier[-1], 4 if andrat.niva != 4 else 3, chef, version=andrat.version)
    _, totalt = selectors.framsteg_for(s)
    assert totalt.besvarade == len(tema1) + 1
    assert not s.svar.get(kriterium=kriterier[-1]).utkast


def test_submit_refuses_unconfirmed_copies(s, forra, kriterier, chef):
    services_utkast.svar_copy_previous(sjalvskattning=s, anvandare=chef)
    with pytest.raises(ValidationError, match="37 svar är kopierade"):
        services_granskning.sjalvskattning_submit(sjalvskattning=s, anvandare=chef)
    services_utkast.svar_confirm(
        sjalvskattning=s, kriterie_ids=[k.pk for k in kriterier], anvandare=chef
    )
    services_granskning.sjalvskattning_submit(sjalvskattning=s, anvandare=chef)
    s.refresh_from_db()
    assert s.status == "inskickad"


def test_copy_and_confirm_refuse_a_locked_assessment(s, forra, kriterier, chef):
    Sjalvskattning.objects.filter(pk=s.pk).update(status="inskickad")
    with pytest.raises(ValidationError, match="låst"):
        services_utkast.svar_copy_previous(sjalvskattning=s, anvandare=chef)
    assert s.svar.count() == 0
    with pytest.raises(ValidationError, match="låst"):
        services_utkast.svar_confirm(sjalvskattning=s, kriterie_ids=[1], anvandare=chef)


def test_nothing_to_copy_without_a_previous_round(s, chef):
    assert services_utkast.svar_copy_previous(sjalvskattning=s, anvandare=chef) == 0
    assert s.svar.count() == 0


# --- Views --------------------------------------------------------------------------------


def test_the_step_page_shows_one_theme_with_the_step_list(client, chef, s, forra, kriterier):
    client.force_login(chef)
    text = client.get(url("sjalvskattning_tema_edit", s, 2)).content.decode()
    tema2 = [k for k in kriterier if k.tema.ordning == 2]
    assert text.count("<fieldset") == len(tema2)
    assert "Tema 2 av 6" in text
    assert 'aria-current="step"' in text
    assert "Utgå från förra omgångens svar" in text  # the offer, not a copy
    assert url("sjalvskattning_tema_edit", s, 1) in text and url("sjalvskattning_check", s) in text
    assert s.svar.count() == 0
    assert client.get(url("sjalvskattning_tema_edit", s, 7)).status_code == 404


def test_the_step_page_runs_the_same_queries_whatever_the_answers(
    client, chef, s, forra, kriterier
):
    client.force_login(chef)
    adress = url("sjalvskattning_tema_edit", s, 1)
    client.get(adress)
    with CaptureQueriesContext(connection) as tom:
        assert client.get(adress).status_code == 200
    services_utkast.svar_copy_previous(sjalvskattning=s, anvandare=chef)
    services_utkast.svar_confirm(
        sjalvskattning=s, kriterie_ids=[k.pk for k in kriterier[:10]], anvandare=chef
    )
    Atgard.objects.create(
        vardcentral=s.vardcentral,
        kriterium=kriterier[0],
        omgang=s.omgang,
        beskrivning="Rutin",
        ansvarig="VC",
        start="2026-01-01",
        klar_senast="2026-06-30",
        mal_niva=3,
    )
    for nummer in (1, 6):
        with CaptureQueriesContext(connection) as full:
            assert client.get(url("sjalvskattning_tema_edit", s, nummer)).status_code == 200
        assert len(full) == len(tom), [q["sql"] for q in full]
    assert len(tom) <= 16


def test_copy_asks_first_then_copies_and_goes_to_the_first_step(client, chef, s, forra):
    client.force_login(chef)
    fraga = client.get(url("sjalvskattning_copy", s))
    assert "Kopiera 37 svar som utkast" in fraga.content.decode()
    assert s.svar.count() == 0  # asking copies nothing
    svar = client.post(url("sjalvskattning_copy", s))
    assert svar["Location"] == url("sjalvskattning_tema_edit", s, 1)
    assert s.svar.filter(utkast=True).count() == 37
    steg = client.get(svar["Location"]).content.decode()
    assert "Kopierat, inte bekräftat" in steg and "Bekräfta temats svar och fortsätt" in steg


def test_confirm_the_theme_and_go_on_or_confirm_one_criterion(client, chef, s, forra, kriterier):
    client.force_login(chef)
    client.post(url("sjalvskattning_copy", s))
    tema1 = [k for k in kriterier if k.tema.ordning == 1]
    # One criterion: back to it on the same step.
    r = client.post(
        url("sjalvskattning_tema_save", s, tema1[0].tema_id),
        tema_data(s, tema1[0].tema_id, steg="1", bekrafta=str(tema1[1].pk)),
    )
    assert r["Location"] == url("sjalvskattning_tema_edit", s, 1) + f"#kriterium-{tema1[1].pk}"
    assert list(s.svar.filter(utkast=False).values_list("kriterium_id", flat=True)) == [tema1[1].pk]
    # The theme, and on to the next step.
    r = client.post(
        url("sjalvskattning_tema_save", s, tema1[0].tema_id),
        tema_data(s, tema1[0].tema_id, steg="1", fortsatt="bekrafta"),
    )
    assert r["Location"] == url("sjalvskattning_tema_edit", s, 2)
    assert s.svar.filter(utkast=False).count() == len(tema1)
    # The last step goes on to the check page.
    sista = kriterier[-1].tema
    r = client.post(
        url("sjalvskattning_tema_save", s, sista.pk), tema_data(s, sista.pk, steg="6", fortsatt="1")
    )
    assert r["Location"] == url("sjalvskattning_check", s)


def test_check_flags_and_submit_from_it_then_the_receipt(client, chef, s, forra, kriterier):
    client.force_login(chef)
    client.post(url("sjalvskattning_copy", s))
    text = client.get(url("sjalvskattning_check", s)).content.decode()
    assert "37 svar är kopierade från förra omgången och inte bekräftade" in text
    assert "1 kriterier är besvarade med ”vet ej”" in text
    assert text.count("Ändra<span") == 37
    assert client.get(url("sjalvskattning_receipt", s))["Location"] == url(
        "sjalvskattning_check", s
    )
    r = client.post(url("sjalvskattning_submit", s), {"fran": "kontroll"})
    assert r.status_code == 422
    assert "Självskattningen kunde inte skickas in" in r.content.decode()
    s.refresh_from_db()
    assert s.status == "pagar"

    services_utkast.svar_confirm(
        sjalvskattning=s, kriterie_ids=[k.pk for k in kriterier], anvandare=chef
    )
    svar = s.svar.get(kriterium=kriterier[1])
    spara(s, kriterier[1], svar.niva + 1, chef, version=svar.version)
    text = client.get(url("sjalvskattning_check", s)).content.decode()
    assert "1 upp" in text and "↑ upp från nivå" in text
    r = client.post(url("sjalvskattning_submit", s), {"fran": "kontroll"})
    assert r["Location"] == url("sjalvskattning_receipt", s)
    kvitto = client.get(r["Location"]).content.decode()
    assert "Självskattningen är inskickad" in kvitto
    assert chef.get_full_name() in kvitto
    assert f"Motivering {kriterier[0].kod}" in kvitto


def test_print_view_has_every_theme_and_no_navigation(client, chef, s, forra):
    client.force_login(chef)
    client.post(url("sjalvskattning_copy", s))
    text = client.get(url("sjalvskattning_print", s)).content.decode()
    assert 'aria-label="Huvudmeny"' not in text
    assert text.count('class="sammanfattning"') == 6
    assert "Underlag" in text


def test_an_action_in_place_over_htmx(client, chef, s, kriterier):
    k = kriterier[0]
    spara(s, k, 1, chef)
    client.force_login(chef)
    adress = url("atgard_create", s) + f"?kriterium={k.pk}"
    form = client.get(adress, **HTMX).content.decode()
    assert "<html" not in form and "Ny åtgärd för" in form and "<form" not in form
    fel = client.post(adress, {"beskrivning": ""}, **HTMX)
    assert fel.status_code == 422 and "Åtgärden kunde inte sparas" in fel.content.decode()
    ok = client.post(
        adress,
        {
            "beskrivning": "Beskriv utbudet",
            "ansvarig": "VC-chef",
            "start": "2026-1",
            "klar_senast": "2026-2",
            "status": "planerad",
            "mal_niva": "2",
        },
        **HTMX,
    )
    assert ok.status_code == 200 and "är tillagd i färdplanen" in ok.content.decode()
    assert Atgard.objects.get().kriterium == k


def test_gap_and_guidance_on_the_criterion(client, chef, s, forra, kriterier):
    client.force_login(chef)
    text = client.get(url("sjalvskattning_tema_edit", s, 1)).content.decode()
    # Target 4 (the fixture's round), last round level 2 on the second criterion: gap 2.
    assert "(gap 2)" in text
    if kriterier[0].vagledning:
        assert "Vägledning" in text


def test_drafts_are_not_counted_in_the_round_list(client, planerare, s, forra, chef):
    services_utkast.svar_copy_previous(sjalvskattning=s, anvandare=chef)
    rad = selectors.sjalvskattning_list_for_omgang(planerare, s.omgang).get(pk=s.pk)
    assert rad.besvarade == 0
    assert Svar.objects.filter(sjalvskattning=s).count() == 37


def test_a_returned_assessment_shows_the_planners_comments_in_the_steps(
    client, chef, planerare, s, forra, kriterier
):
    services_utkast.svar_copy_previous(sjalvskattning=s, anvandare=chef)
    services_utkast.svar_confirm(
        sjalvskattning=s, kriterie_ids=[k.pk for k in kriterier], anvandare=chef
    )
    services_granskning.sjalvskattning_submit(sjalvskattning=s, anvandare=chef)
    tema2 = next(k for k in kriterier if k.tema.ordning == 2)
    services_granskning.granskningskommentarer_save(
        sjalvskattning=s, kommentarer={tema2.pk: "Nivån saknar underlag."}, anvandare=planerare
    )
    client.force_login(chef)
    # Before it is returned the chef does not see the planner's notes.
    assert (
        "Nivån saknar underlag."
        not in client.get(url("sjalvskattning_tema_edit", s, 2)).content.decode()
    )
    s.refresh_from_db()
    services_granskning.sjalvskattning_return(
        sjalvskattning=s, kommentar="Se kommentaren i tema 2.", anvandare=planerare
    )
    text = client.get(url("sjalvskattning_tema_edit", s, 2)).content.decode()
    assert "Se kommentaren i tema 2." in text  # the return comment, at the top
    assert text.index("Se kommentaren i tema 2.") < text.index(f'id="kriterium-{tema2.pk}"')
    under = text[text.index(f'id="kriterium-{tema2.pk}"') :]
    assert "Planerarens kommentar:" in under and "Nivån saknar underlag." in under
    # The step list marks the theme with the comment, and only that one.
    assert text.count(">Kommentar</strong>") == 1
