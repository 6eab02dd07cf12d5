import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_overview_shows_six_themes_with_statements_and_consensus(
    client, planerare, malbild_version
):
    client.force_login(planerare)
    response = client.get(reverse("malbild:malbild_detail", args=[malbild_version.slug]))
    html = response.content.decode()
    teman = list(malbild_version.teman.order_by("ordning"))
    assert len(teman) == 6
    for tema in teman:
        assert tema.malbild in html
        assert f"Konsensus: {tema.konsensus_procent} %" in html
    assert "2024-10-9251" in html


def test_theme_page_lists_criteria_levels_and_sources(
    client, chef, malbild_version, django_assert_max_num_queries
):
    client.force_login(chef)
    tema = malbild_version.teman.get(ordning=2)
    # Measured 13: the page before version 2 and the practice library, +1 for the newest
    # version (the "superseded" note) and +3 for the examples (``exempel_for_kriterier``).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("malbild:tema_detail", args=[malbild_version.slug, tema.kod]))
    html = response.content.decode()
    assert response.status_code == 200
    for kriterium in tema.kriterier.all():
        assert kriterium.kod in html
        for niva in kriterium.nivaer.all():
            assert niva.beskrivning.replace("'", "&#x27;").replace('"', "&quot;") in html
    assert "Källor" in html
    assert "Vet ej" in html


def test_unknown_theme_is_404(client, planerare, malbild_version):
    client.force_login(planerare)
    url = reverse("malbild:tema_detail", args=[malbild_version.slug, "finns-inte"])
    assert client.get(url).status_code == 404


def test_post_is_not_allowed(client, planerare, malbild_version):
    client.force_login(planerare)
    assert (
        client.post(reverse("malbild:malbild_detail", args=[malbild_version.slug])).status_code
        == 405
    )
