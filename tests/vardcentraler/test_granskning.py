"""The planner's review: change since last round, comments per criterion, decisions with a
confirmation, approving reviewed units together, opening and closing rounds."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import OmgangFactory, SjalvskattningFactory, SvarFactory
from vardcentraler.models import Granskningskommentar, Krav, Omgang, Sjalvskattning, Svar
from vardcentraler.omgangar import selectors_granskning, services, services_granskning
from vardcentraler.omgangar.selectors_granskning import Forandring, forandring

pytestmark = pytest.mark.django_db


def _svar(typ, niva=None, motivering=""):
    return Svar(typ=typ, niva=niva, motivering=motivering)


@pytest.mark.parametrize(
    ("nu", "fore", "forvantat"),
    [
        (_svar("niva", 3), _svar("niva", 2), Forandring.UPP),
        (_svar("niva", 2), _svar("niva", 3), Forandring.NED),
        (_svar("niva", 2), _svar("niva", 2), Forandring.SAMMA),
        (_svar("vet_ej"), _svar("niva", 2), Forandring.ANDRAD),
        (_svar("vet_ej"), _svar("vet_ej"), Forandring.SAMMA),
        (_svar("niva", 2), None, Forandring.NY),
        (_svar(""), _svar("niva", 2), Forandring.OBESVARAD),
        (None, None, Forandring.OBESVARAD),
    ],
)
def test_change_since_last_round(nu, fore, forvantat):
    assert forandring(nu, fore) == forvantat


@pytest.fixture
def inskickad(omgang):
    return omgang.sjalvskattningar.get(vardcentral__namn="Vårdcentralen Cedervik")


@pytest.fixture
def fjolaret(omgang, inskickad, kriterier):
    """Last year's approved self-assessment of the same unit: level 2 on every criterion."""
    fjol = OmgangFactory(
        region=omgang.region,
        malbild_version=omgang.malbild_version,
        namn="2025",
        period_start=datetime.date(2025, 1, 1),
        period_slut=datetime.date(2025, 12, 31),
        sista_dag=datetime.date(2025, 10, 31),
        status=Omgang.Status.STANGD,
    )
    s = SjalvskattningFactory(
        omgang=fjol, vardcentral=inskickad.vardcentral, status=Sjalvskattning.Status.GODKAND
    )
    for k in kriterier:
        SvarFactory(sjalvskattning=s, kriterium=k, niva=2, motivering="Som förra året")
    return fjol


def test_review_counts_changes_per_theme(inskickad, fjolaret):
    teman = selectors_granskning.granskning_get(inskickad)
    assert len(teman) == 6
    alla = [r.forandring for t in teman for r in t.rader]
    # This year: vet ej / ej tillämpligt / levels 1-4 against last year's 2 everywhere.
    assert {Forandring.UPP, Forandring.NED, Forandring.SAMMA, Forandring.ANDRAD} <= set(alla)
    assert sum(t.antal[Forandring.UPP] for t in teman) == alla.count(Forandring.UPP)


def test_review_page_shows_changes_and_saves_comments(
    client, planerare, inskickad, fjolaret, kriterier
):
    client.force_login(planerare)
    url = reverse(
        "vardcentraler:sjalvskattning_review",
        args=[inskickad.omgang_id, inskickad.vardcentral.hsa_id],
    )
    html = client.get(url).text
    assert "Högre nivå" in html and "Lägre nivå" in html and "Förra omgången" in html
    k = kriterier[2]
    response = client.post(
        url, {f"k{k.pk}-kommentar": "Beskriv rutinen närmare.", "handling": "spara"}
    )
    assert response.status_code == 302
    (kommentar,) = Granskningskommentar.objects.all()
    assert (kommentar.kriterium, kommentar.text, kommentar.skriven_av) == (
        k,
        "Beskriv rutinen närmare.",
        planerare,
    )
    inskickad.refresh_from_db()
    assert inskickad.granskad is not None and inskickad.granskad_av == planerare
    # A blank comment removes it.
    client.post(url, {f"k{k.pk}-kommentar": "  ", "handling": "spara"})
    assert not Granskningskommentar.objects.exists()


def test_return_needs_a_comment_and_changes_nothing_without_one(
    client, planerare, inskickad, kriterier
):
    client.force_login(planerare)
    url = reverse(
        "vardcentraler:sjalvskattning_review",
        args=[inskickad.omgang_id, inskickad.vardcentral.hsa_id],
    )
    k = kriterier[0]
    response = client.post(
        url, {"handling": "atersand", "kommentar": "", f"k{k.pk}-kommentar": "Se här"}
    )
    assert response.status_code == 422
    assert "Skriv en kommentar" in response.text
    assert "Se här" in response.text  # what the planner typed is kept
    inskickad.refresh_from_db()
    assert inskickad.status == Sjalvskattning.Status.INSKICKAD
    assert not Granskningskommentar.objects.exists()  # all or nothing

    response = client.post(
        url,
        {"handling": "atersand", "kommentar": "Komplettera 1.1", f"k{k.pk}-kommentar": "Se här"},
    )
    assert response.status_code == 302
    inskickad.refresh_from_db()
    assert inskickad.status == Sjalvskattning.Status.ATERSAND
    assert Granskningskommentar.objects.get().text == "Se här"


def test_approve_goes_through_a_confirmation_page(client, planerare, inskickad):
    client.force_login(planerare)
    args = [inskickad.omgang_id, inskickad.vardcentral.hsa_id]
    html = client.get(reverse("vardcentraler:sjalvskattning_approve_confirm", args=args)).text
    assert "Ja, godkänn självskattningen" in html
    assert reverse("vardcentraler:sjalvskattning_approve", args=args) in html
    inskickad.refresh_from_db()
    assert inskickad.status == Sjalvskattning.Status.INSKICKAD  # the GET changed nothing


def test_bulk_approve_only_takes_reviewed_units(client, planerare, omgang, inskickad, kriterier):
    ogranskad = omgang.sjalvskattningar.get(vardcentral__namn="Vårdcentralen Björkby")
    Sjalvskattning.objects.filter(pk=ogranskad.pk).update(status=Sjalvskattning.Status.INSKICKAD)
    services_granskning.granskningskommentarer_save(
        sjalvskattning=inskickad, kommentarer={}, anvandare=planerare
    )
    assert selectors_granskning.granskade_att_godkanna(omgang) == [inskickad]
    client.force_login(planerare)
    url = reverse("vardcentraler:omgang_approve_bulk", args=[omgang.pk])
    assert "Vårdcentralen Cedervik" in client.get(url).text
    # A forged id of an unreviewed unit is ignored.
    response = client.post(url, {"sjalvskattning": [inskickad.pk, ogranskad.pk]})
    assert response.status_code == 302
    inskickad.refresh_from_db()
    ogranskad.refresh_from_db()
    assert inskickad.status == Sjalvskattning.Status.GODKAND
    assert ogranskad.status == Sjalvskattning.Status.INSKICKAD
    assert client.post(url, {}).status_code == 422


def test_a_resubmitted_unit_must_be_reviewed_again(planerare, omgang, inskickad):
    services_granskning.granskningskommentarer_save(
        sjalvskattning=inskickad, kommentarer={}, anvandare=planerare
    )
    Sjalvskattning.objects.filter(pk=inskickad.pk).update(
        inskickad=inskickad.granskad + datetime.timedelta(minutes=5)
        if (inskickad := Sjalvskattning.objects.get(pk=inskickad.pk)).granskad
        else None
    )
    assert selectors_granskning.granskade_att_godkanna(omgang) == []


def test_comments_refused_once_decided(planerare, inskickad, kriterier):
    Sjalvskattning.objects.filter(pk=inskickad.pk).update(status=Sjalvskattning.Status.GODKAND)
    with pytest.raises(ValidationError):
        services_granskning.granskningskommentarer_save(
            sjalvskattning=inskickad, kommentarer={kriterier[0].pk: "x"}, anvandare=planerare
        )
    assert not Granskningskommentar.objects.exists()


def test_close_round_then_it_is_read_only(client, planerare, omgang):
    client.force_login(planerare)
    url = reverse("vardcentraler:omgang_close", args=[omgang.pk])
    html = client.get(url).text
    assert "Stäng omgång 2026?" in html and "Inskickade, ej granskade" in html
    assert client.post(url).status_code == 302
    omgang.refresh_from_db()
    assert omgang.status == Omgang.Status.STANGD
    assert client.post(url).status_code == 422  # already closed: told, nothing changes
    s = omgang.sjalvskattningar.filter(status=Sjalvskattning.Status.PAGAR).first()
    with pytest.raises(ValidationError):
        services.check_open(s)


def test_requirements_carry_over_to_the_next_round(omgang, kriterier, stockholm, malbild_version):
    Krav.objects.create(
        omgang=omgang,
        kriterium=kriterier[0],
        kravniva=Krav.Kravniva.SKA,
        formulering="Vårdcentralen ska erbjuda KBT.",
        dokument="Förfrågningsunderlag",
        avsnitt="4.2",
    )
    nasta = services.omgang_create(
        region=stockholm,
        namn="2027",
        malbild_version=malbild_version,
        period_start=datetime.date(2027, 1, 1),
        period_slut=datetime.date(2027, 12, 31),
        sista_dag=datetime.date(2027, 10, 31),
        anvandare=None,
    )
    (krav,) = Krav.objects.filter(omgang=nasta)
    assert (krav.kriterium, krav.kravniva, krav.formulering, krav.avsnitt) == (
        kriterier[0],
        "ska",
        "Vårdcentralen ska erbjuda KBT.",
        "4.2",
    )


def test_new_round_defaults_and_warning(client, planerare, omgang):
    client.force_login(planerare)
    html = client.get(reverse("vardcentraler:omgang_create")).text
    idag = datetime.date.today()
    forvantat_ar = idag.year + 1 if idag.year == 2026 else idag.year
    assert f'value="{forvantat_ar}"' in html  # 2026 is taken: the next free name
    assert "Omgång 2026 är inte klar" in html  # units not submitted in the latest round
    d = selectors_granskning.omgang_defaults(region_id=omgang.region_id, idag=idag)
    assert d["period_start"] <= d["sista_dag"] <= d["period_slut"] and d["sista_dag"] > idag
