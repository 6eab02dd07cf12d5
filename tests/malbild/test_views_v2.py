"""Pages of version 2, the change list, and the practice library."""

import pytest
from django.urls import reverse

from malbild.models import Exempel, Kriterium, MalbildVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def v2(db):
    return MalbildVersion.objects.get(slug="2024-10-9251-v2")


def test_the_overview_goes_to_version_2_and_says_the_levels_are_the_tools_reading(
    client, planerare, v2
):
    client.force_login(planerare)
    response = client.get(reverse("malbild:malbild_overview"))
    assert response["Location"] == v2.get_absolute_url()
    html = client.get(v2.get_absolute_url()).content.decode()
    assert "operationalisering av målbilden" in html
    assert "november 2024" in html and "1 november" not in html
    assert "för att ge befolkningen en god och nära vård" in html
    assert "andel av de svarande regionerna" in html
    assert "Vårdcentraler har tillgång till psykolog..." in html  # theme 5's asterisk note
    assert "Stöd för nivå 4:s ”följs upp”" in html


def test_version_1_is_marked_as_superseded_and_its_theme_text_as_an_excerpt(
    client, planerare, malbild_version, v2
):
    client.force_login(planerare)
    html = client.get(malbild_version.get_absolute_url()).content.decode()
    assert f'Nya omgångar använder <a href="{v2.get_absolute_url()}">version 2</a>' in html
    tema = reverse("malbild:tema_detail", args=[malbild_version.slug, "stegvis-vard"])
    html = client.get(tema).content.decode()
    assert "<strong>Utdrag.</strong>" in html
    html = client.get(
        reverse("malbild:tema_detail", args=[v2.slug, "stegvis-vard"])
    ).content.decode()
    assert "Utdrag." not in html and "Den lägsta nivån i utbudet" in html


def test_a_criterion_page_shows_reading_change_and_examples(
    client, planerare, v2, django_assert_max_num_queries
):
    client.force_login(planerare)
    url = reverse("malbild:tema_detail", args=[v2.slug, "stegvis-vard"])
    with django_assert_max_num_queries(16):
        html = client.get(url).content.decode()
    assert "Nytt i version 2" in html  # 2.8–2.11
    assert "Verktygets tolkning:" in html and "kan också behöva ha" in html  # 2.3
    assert "Så har andra gjort" in html and "cedermodellen-triagering" in html
    assert "brådskanegrad [sic]" in html


def test_the_change_page_lists_kept_reworded_added_and_removed(client, chef, v2):
    client.force_login(chef)
    response = client.get(reverse("malbild:malbild_andringar", args=[v2.slug]))
    assert response.status_code == 200
    grupper = response.context["grupper"]
    assert len(grupper["nytt"]) == 11
    assert len(grupper["borttaget"]) == 0
    assert len(grupper["oforandrat"]) + len(grupper["omformulerat"]) == 37
    omformulerade = {a.kriterium.kod for a in grupper["omformulerat"]}
    assert {"1.1", "1.7", "3.2", "4.3", "5.1", "6.1", "6.3", "6.4", "3.1"} <= omformulerade
    assert "1.2" not in omformulerade  # only its guidance changed


def test_the_first_version_has_no_change_page(client, chef, malbild_version):
    client.force_login(chef)
    assert (
        client.get(reverse("malbild:malbild_andringar", args=[malbild_version.slug])).status_code
        == 404
    )


def test_the_library_searches_and_filters_by_theme(client, chef):
    client.force_login(chef)
    url = reverse("malbild:exempel_list")
    alla = client.get(url).context["exempel"]
    assert len(alla) == Exempel.objects.count()
    traffar = client.get(url, {"sok": "väg in"}).context["exempel"]
    assert traffar and all("väg in" in (e.titel + e.beskrivning + e.plats).lower() for e in traffar)
    tema = client.get(url, {"tema": "psykolog"}).context["exempel"]
    assert tema and len(tema) < len(alla)
    tom = client.get(url, {"sok": "zzzinget"})
    assert "Inga exempel matchar" in tom.content.decode()


def test_a_planner_adds_an_example_for_the_region(client, planerare, planerare_uppsala, v2):
    client.force_login(planerare)
    url = reverse("malbild:exempel_create")
    assert client.get(url).status_code == 200
    fel = client.post(url, {"titel": "", "plats": "", "beskrivning": "", "kriterier": []})
    assert fel.status_code == 422 and "Välj minst ett kriterium." in fel.content.decode()
    assert not Exempel.objects.filter(ursprung="region").exists()
    k = Kriterium.objects.get(tema__version=v2, kod="2.8")
    svar = client.post(
        url,
        {
            "titel": "Drop-in-tider",
            "plats": "VC Åkerby",
            "beskrivning": "Öppet varje tisdag.",
            "kriterier": [k.pk],
        },
    )
    exempel = Exempel.objects.get(ursprung="region")
    assert svar["Location"] == reverse("malbild:exempel_detail", args=[exempel.slug])
    assert client.get(svar["Location"]).status_code == 200
    client.force_login(planerare_uppsala)
    assert client.get(svar["Location"]).status_code == 404


def test_only_planners_may_add_examples(client, chef, nationell):
    for user in (chef, nationell):
        client.force_login(user)
        assert client.get(reverse("malbild:exempel_create")).status_code == 404
