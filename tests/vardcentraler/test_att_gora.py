"""The start page's "Att göra" per role: content, links, and a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import (
    AtgardFactory,
    OmgangFactory,
    ProfilFactory,
    SjalvskattningFactory,
    SvarFactory,
    UserFactory,
    VardcentralFactory,
)
from vardcentraler.models import Malniva, Omgang, Profil, Sjalvskattning
from vardcentraler.omgangar.att_gora import att_gora_chef, att_gora_planerare

pytestmark = pytest.mark.django_db
IDAG = datetime.date(2026, 10, 19)


@pytest.fixture
def rundor(vc_stockholm, malbild_version, kriterier):
    """Last year's round approved (with gaps on two criteria), this year's open."""
    fjol = OmgangFactory(
        region=vc_stockholm.region,
        malbild_version=malbild_version,
        namn="2025",
        period_start=datetime.date(2025, 1, 1),
        period_slut=datetime.date(2025, 12, 31),
        sista_dag=datetime.date(2025, 10, 31),
        status=Omgang.Status.STANGD,
    )
    i_ar = OmgangFactory(region=vc_stockholm.region, malbild_version=malbild_version, namn="2026")
    godkand = SjalvskattningFactory(
        omgang=fjol, vardcentral=vc_stockholm, status=Sjalvskattning.Status.GODKAND
    )
    for i, k in enumerate(kriterier):
        Malniva.objects.create(omgang=fjol, kriterium=k, niva=3)
        SvarFactory(sjalvskattning=godkand, kriterium=k, niva=[1, 2, 3, 4][i % 4] if i < 2 else 3)
    oppen = SjalvskattningFactory(
        omgang=i_ar, vardcentral=vc_stockholm, status=Sjalvskattning.Status.ATERSAND
    )
    for k in kriterier[:5]:
        SvarFactory(sjalvskattning=oppen, kriterium=k)
    AtgardFactory(
        vardcentral=vc_stockholm,
        omgang=fjol,
        kriterium=kriterier[0],
        klar_senast=datetime.date(2026, 6, 30),
    )
    return fjol, i_ar


def test_chef_sees_deadline_progress_returned_gaps_and_overdue(chef, rundor, kriterier):
    (e,) = att_gora_chef(chef, idag=IDAG)
    assert e.sjalvskattning.status == Sjalvskattning.Status.ATERSAND
    assert (e.besvarade, e.totalt, e.dagar_kvar) == (5, len(kriterier), 12)
    assert [(g.kriterium, g.gap) for g in e.storsta_gap] == [(kriterier[0], 2), (kriterier[1], 1)]
    assert len(e.forsenade) == 1


def test_chef_start_page_is_all_links(client, chef, rundor, vc_stockholm):
    client.force_login(chef)
    html = client.get(reverse("start")).text
    assert "Återsänd: läs planerarens kommentar" in html
    assert "Sista dag 31 oktober 2026" in html
    assert reverse("uppfoljning:gaprapport_detail", args=[vc_stockholm.hsa_id]) in html
    assert "1 försenad åtgärd" in html


def test_planner_sees_waiting_not_submitted_with_contact_and_missing_targets(
    planerare, chef, rundor, stockholm, malbild_version
):
    fjol, i_ar = rundor
    chef.email = "chef@region.example"
    chef.save()
    for status in (Sjalvskattning.Status.INSKICKAD, Sjalvskattning.Status.EJ_PABORJAD):
        SjalvskattningFactory(
            omgang=i_ar, vardcentral=VardcentralFactory(region=stockholm), status=status
        )
    uppgifter = att_gora_planerare(planerare, idag=IDAG)
    (lage,) = uppgifter.omgangar
    assert len(lage.vantar) == 1
    assert len(lage.ej_inskickade) == 2  # återsänd and ej påbörjad: one group
    kontakter = {k.epost for e in lage.ej_inskickade for k in e.kontakter}
    assert kontakter == {"chef@region.example"}
    assert lage.saknar_malnivaer and lage.saknar_krav
    assert uppgifter.forsenade_antal == 1


def test_not_submitted_filter_groups_three_statuses(client, planerare, rundor, stockholm):
    _fjol, i_ar = rundor
    SjalvskattningFactory(
        omgang=i_ar,
        vardcentral=VardcentralFactory(region=stockholm, namn="Vårdcentralen Inskickad"),
        status=Sjalvskattning.Status.INSKICKAD,
    )
    client.force_login(planerare)
    html = client.get(
        reverse("vardcentraler:omgang_detail", args=[i_ar.pk]) + "?status=ej_inskickad"
    ).text
    assert "Vårdcentralen Åkerby" in html and "Vårdcentralen Inskickad" not in html


@pytest.mark.parametrize("antal", [1, 12])
def test_start_page_queries_do_not_grow_with_units(
    client, planerare, rundor, stockholm, antal, django_assert_max_num_queries
):
    _fjol, i_ar = rundor
    for _ in range(antal):
        vc = VardcentralFactory(region=stockholm)
        SjalvskattningFactory(omgang=i_ar, vardcentral=vc)
        p = ProfilFactory(anvandare=UserFactory(), roll=Profil.Roll.VERKSAMHETSCHEF, region=None)
        p.vardcentraler.set([vc])
    client.force_login(planerare)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("start")).status_code == 200
