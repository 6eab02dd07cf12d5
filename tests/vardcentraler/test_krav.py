"""The requirements page per round: read by the region, written by its planner, all or nothing."""

import pytest
from django.urls import reverse

from malbild.models import Kriterium
from vardcentraler.models import Krav

pytestmark = pytest.mark.django_db


def _post_data(omgang, **andra):
    kriterier = list(Kriterium.objects.for_version(omgang.malbild_version))
    data = {
        "krav-TOTAL_FORMS": str(len(kriterier)),
        "krav-INITIAL_FORMS": str(len(kriterier)),
        "krav-MIN_NUM_FORMS": "0",
        "krav-MAX_NUM_FORMS": "1000",
    }
    for i, k in enumerate(kriterier):
        data.update(
            {
                f"krav-{i}-kriterium_id": str(k.pk),
                f"krav-{i}-kravniva": "ej",
                f"krav-{i}-formulering": "",
                f"krav-{i}-dokument": "",
                f"krav-{i}-avsnitt": "",
            }
        )
    data.update(andra)
    return data, kriterier


def test_planner_saves_requirements(client, planerare, omgang):
    client.force_login(planerare)
    url = reverse("vardcentraler:krav_update", args=[omgang.pk])
    assert client.get(url).status_code == 200
    data, kriterier = _post_data(
        omgang,
        **{
            "krav-0-kravniva": "ska",
            "krav-0-formulering": "Vårdcentralen ska ha ett dokumenterat utbud för ångest och sömnbesvär.",
            "krav-0-dokument": "Krav- och kvalitetsbok 2026",
            "krav-0-avsnitt": "4.2.1",
            "krav-1-kravniva": "bor",
            "krav-1-formulering": "Vårdcentralen bör erbjuda stöd till närstående.",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert Krav.objects.filter(omgang=omgang).count() == len(kriterier)
    krav = Krav.objects.get(omgang=omgang, kriterium=kriterier[0])
    assert (krav.kravniva, krav.dokument, krav.avsnitt) == (
        "ska",
        "Krav- och kvalitetsbok 2026",
        "4.2.1",
    )
    assert krav.history.count() == 1
    lista = client.get(reverse("vardcentraler:krav_list", args=[omgang.pk])).content.decode()
    assert "dokumenterat utbud för ångest och sömnbesvär" in lista
    assert "1 ska-krav, 1 bör-krav" in lista


def test_ska_krav_without_wording_changes_nothing(client, planerare, omgang):
    client.force_login(planerare)
    data, _ = _post_data(
        omgang, **{"krav-0-kravniva": "ska", "krav-1-kravniva": "bor", "krav-1-formulering": "X"}
    )
    response = client.post(reverse("vardcentraler:krav_update", args=[omgang.pk]), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Skriv kravets formulering för ett ska- eller bör-krav." in html
    assert 'class="error-summary"' in html
    assert not Krav.objects.filter(omgang=omgang).exists()


def test_tampered_criteria_are_refused(client, planerare, omgang, uppsala):
    client.force_login(planerare)
    data, _ = _post_data(omgang)
    data["krav-0-kriterium_id"] = "999999"
    response = client.post(reverse("vardcentraler:krav_update", args=[omgang.pk]), data)
    assert response.status_code == 422
    assert "stämmer inte med omgångens kriterier" in response.content.decode()
    assert not Krav.objects.exists()


def test_missing_kravniva_has_a_swedish_message(client, planerare, omgang):
    client.force_login(planerare)
    data, _ = _post_data(omgang)
    del data["krav-2-kravniva"]
    response = client.post(reverse("vardcentraler:krav_update", args=[omgang.pk]), data)
    assert response.status_code == 422
    assert "Välj ska-krav, bör-krav eller inget krav." in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "lista", "andra"),
    [
        ("chef", 200, 404),
        ("planerare_uppsala", 404, 404),
        ("nationell", 404, 404),
        ("admin", 200, 200),
    ],
    indirect=["persona"],
)
def test_scope(client, persona, lista, andra, omgang, chef):
    client.force_login(persona)
    assert client.get(reverse("vardcentraler:krav_list", args=[omgang.pk])).status_code == lista
    assert client.get(reverse("vardcentraler:krav_update", args=[omgang.pk])).status_code == andra


def test_anonymous_and_methods(client, planerare, omgang):
    url = reverse("vardcentraler:krav_list", args=[omgang.pk])
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(planerare)
    assert client.post(url).status_code == 405
    assert client.put(reverse("vardcentraler:krav_update", args=[omgang.pk])).status_code == 405


def test_krav_page_query_count(client, planerare, omgang, django_assert_max_num_queries):
    client.force_login(planerare)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("vardcentraler:krav_update", args=[omgang.pk])).status_code == 200
