"""The aggregated figures are the pages' own: the region dashboard's and the national
overview's selectors, with their small-group rule, never a second computation."""

import pytest
from django.urls import reverse

from tests.factories import SjalvskattningFactory, SvarFactory, VardcentralFactory
from uppfoljning.sammanfattning import sammanfattning_rebuild
from uppfoljning.selectors import nationell as nationell_selectors
from uppfoljning.selectors import region
from uppfoljning.statistik import MIN_GRUPP
from vardcentraler import behorighet
from vardcentraler.models import Sjalvskattning

pytestmark = pytest.mark.django_db


def _inskickade(omgang, antal, kriterier, niva=lambda i: 1 + i % 4):
    """``antal`` more units of the round's region with a submitted assessment, every
    criterion answered (levels spread over 1–4, one "vet ej")."""
    for i in range(antal):
        s = SjalvskattningFactory(
            omgang=omgang,
            vardcentral=VardcentralFactory(region=omgang.region),
            status=Sjalvskattning.Status.INSKICKAD,
        )
        for j, k in enumerate(kriterier):
            if j == 1:
                SvarFactory(sjalvskattning=s, kriterium=k, typ="vet_ej", niva=None)
            else:
                SvarFactory(sjalvskattning=s, kriterium=k, typ="niva", niva=niva(i + j))
    sammanfattning_rebuild()  # factories write past the services


def _url(kod, omgang=None):
    url = reverse("api-v1:region_sammanstallning", args=[kod])
    return url + (f"?omgang={omgang}" if omgang else "")


def test_a_small_group_is_suppressed_as_on_the_page(anropa, api_varld, tokens, kriterier):
    egen = api_varld["egen"]
    _inskickade(egen.omgang, MIN_GRUPP - 1, kriterier)
    data = anropa(_url(egen.region.kod, egen.omgang.pk), tokens["planerare"]).json()
    assert data["omgang_id"] == egen.omgang.pk
    assert data["teman"], data
    for tema in data["teman"]:
        assert tema["undertryckt"] is True and tema["median"] is None
        assert tema["fordelning"]["undertryckt"] is True and tema["fordelning"]["antal"] is None
        assert all(p["median"] is None for p in tema["trend"])


def test_region_figures_are_the_dashboards(anropa, api_varld, tokens, kriterier, planerare):
    egen = api_varld["egen"]
    _inskickade(egen.omgang, MIN_GRUPP + 2, kriterier)
    data = anropa(_url(egen.region.kod, egen.omgang.pk), tokens["planerare"]).json()
    sida = region.region_oversikt_get(
        region=egen.region,
        vardcentraler=behorighet.vardcentraler_for(planerare),
        omgang_id=egen.omgang.pk,
    )
    assert [t["tema_kod"] for t in data["teman"]] == [t.kod for t in sida.teman]
    for tema in data["teman"]:
        j = sida.median_per_tema[tema["tema_kod"]]
        f = sida.fordelning_per_tema[tema["tema_kod"]]
        assert not j.undertryckt and tema["median"] == j.visat is not None
        assert tema["antal_vardcentraler"] == j.antal >= MIN_GRUPP
        assert tema["fordelning"]["antal"]["niva_1"] == f.antal["1"]
        assert tema["fordelning"]["antal"]["vet_ej"] == f.antal["vet_ej"]
        assert sum(tema["fordelning"]["antal"].values()) == f.total
    # The verksamhetschef sees their own unit only: the same page, so the figures are suppressed.
    chefens = anropa(_url(egen.region.kod, egen.omgang.pk), tokens["chef"]).json()
    assert all(t["undertryckt"] for t in chefens["teman"])


def test_another_regions_round_is_404(anropa, api_varld, tokens):
    url = _url(api_varld["egen"].region.kod, api_varld["annan"].omgang.pk)
    assert anropa(url, tokens["planerare"]).status_code == 404


def test_national_figures_are_the_overviews(anropa, api_varld, tokens, kriterier, nationell):
    _inskickade(api_varld["egen"].omgang, MIN_GRUPP, kriterier)
    _inskickade(api_varld["annan"].omgang, 2, kriterier)
    data = anropa(reverse("api-v1:nationell_sammanstallning"), tokens["nationell"]).json()
    sida = nationell_selectors.nationell_oversikt_get(regioner=behorighet.regioner_for(nationell))
    assert data["antal_vardcentraler"] == sida.antal_enheter == MIN_GRUPP + 2
    for tema in data["teman"]:
        assert tema["median"] == sida.median_per_tema[tema["tema_kod"]].visat is not None
    rader = {r["region_kod"]: r for r in data["regioner"]}
    assert len(rader) == 21
    assert all(t["median"] is not None for t in rader["01"]["teman"])
    assert all(t["undertryckt"] and t["median"] is None for t in rader["03"]["teman"])
    assert (
        anropa(reverse("api-v1:nationell_sammanstallning"), tokens["planerare"]).status_code == 404
    )


@pytest.mark.parametrize("namn", ["region_sammanstallning", "nationell_sammanstallning"])
def test_query_count_does_not_grow_with_the_data(anropa, api_varld, tokens, kriterier, namn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    egen = api_varld["egen"]
    url = (
        _url(egen.region.kod)
        if namn == "region_sammanstallning"
        else reverse("api-v1:nationell_sammanstallning")
    )
    token = tokens["admin"]
    anropa(url, token)  # the token's last use is written at most once a minute

    def antal() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert anropa(url, token).status_code == 200
        return len(ctx.captured_queries)

    _inskickade(egen.omgang, MIN_GRUPP, kriterier)
    fa = antal()
    _inskickade(egen.omgang, 3 * MIN_GRUPP, kriterier)
    assert antal() == fa
