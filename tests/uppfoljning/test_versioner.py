"""A round on målbild version 2 compared with an earlier round on version 1.

Criteria are compared across versions only through ``ersatter``: a kept or reworded
criterion shows its predecessor's earlier answers, a new one shows none.
"""

import datetime

import pytest
from django.urls import reverse

from malbild.models import Kriterium, MalbildVersion
from tests.factories import OmgangFactory, SjalvskattningFactory, SvarFactory
from uppfoljning.selectors.gaprapport import gaprapport_get
from vardcentraler.models import Malniva, Sjalvskattning
from vardcentraler.omgangar import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def tva_omgangar(vc_stockholm, malbild_version):
    """2025 on version 1 (answers 2 everywhere), 2026 on version 2 (answers 3, target 4)."""
    v2 = MalbildVersion.objects.get(slug="2024-10-9251-v2")
    fore = OmgangFactory(
        region=vc_stockholm.region,
        namn="2025",
        malbild_version=malbild_version,
        period_start=datetime.date(2025, 1, 1),
        period_slut=datetime.date(2025, 12, 31),
        sista_dag=datetime.date(2025, 10, 31),
    )
    nu = OmgangFactory(region=vc_stockholm.region, namn="2026", malbild_version=v2)
    for omgang, version, niva in ((fore, malbild_version, 2), (nu, v2, 3)):
        sj = SjalvskattningFactory(
            omgang=omgang, vardcentral=vc_stockholm, status=Sjalvskattning.Status.GODKAND
        )
        for k in Kriterium.objects.filter(tema__version=version):
            SvarFactory(sjalvskattning=sj, kriterium=k, niva=niva)
            if omgang == nu:
                Malniva.objects.create(omgang=nu, kriterium=k, niva=4)
    return fore, nu, v2


def test_a_version_2_round_compares_with_a_version_1_round_through_the_mapping(
    vc_stockholm, tva_omgangar
):
    fore, nu, v2 = tva_omgangar
    rapport = gaprapport_get(vardcentral=vc_stockholm, omgang_id=nu.pk)
    rader = {r.kriterium.kod: r for t in rapport.teman for r in t.kriterier}
    assert len(rader) == 48
    assert all(r.kriterium.tema.version_id == v2.pk for r in rader.values())
    # Kept (2.3) and reworded (1.1) criteria: the 2025 answer of their v1 predecessor.
    assert rader["2.3"].tidigare == [(fore, "2")]
    assert rader["1.1"].tidigare == [(fore, "2")]
    # New in version 2: nothing earlier to compare with.
    assert rader["2.8"].tidigare == [(fore, "–")]
    assert rader["2.8"].kriterium.ersatter_id is None


def test_the_gap_report_says_so_and_offers_examples_for_the_gaps(
    client, planerare, vc_stockholm, tva_omgangar
):
    _, nu, _ = tva_omgangar
    client.force_login(planerare)
    url = reverse("uppfoljning:gaprapport_detail", args=[vc_stockholm.hsa_id])
    html = client.get(url, {"omgang": nu.pk}).content.decode()
    assert "Flera versioner av målbilden." in html
    assert "bara genom kopplingen till det kriterium de ersätter" in html
    assert "Så har andra gjort" in html
    assert reverse("malbild:exempel_detail", args=["cedermodellen-triagering"]) in html


def test_new_rounds_default_to_the_newest_version_and_old_rounds_keep_theirs(
    client, planerare, malbild_version, tva_omgangar
):
    fore, _, v2 = tva_omgangar
    client.force_login(planerare)
    form = client.get(reverse("vardcentraler:omgang_create")).context["form"]
    assert form.initial["malbild_version"] == v2
    ny = services.omgang_create(
        region=fore.region,
        namn="2027",
        malbild_version=v2,
        period_start=datetime.date(2027, 1, 1),
        period_slut=datetime.date(2027, 12, 31),
        sista_dag=datetime.date(2027, 10, 31),
        anvandare=planerare,
    )
    fore.refresh_from_db()
    assert fore.malbild_version == malbild_version
    # Targets are carried over from the previous round through the mapping.
    k = Kriterium.objects.get(tema__version=v2, kod="2.3")
    assert Malniva.objects.get(omgang=ny, kriterium=k).niva == 4
