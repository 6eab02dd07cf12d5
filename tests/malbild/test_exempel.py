"""The practice library: quotes checked word for word, criteria that exist, loading idempotent."""

import pytest

from malbild.models import Exempel, Kriterium, MalbildVersion
from malbild.selectors import exempel_for_kriterier, exempel_list
from malbild.services import DATA_DIR, MalbildDataError
from malbild.services_exempel import exempel_create, exempel_load, exempel_read

from .kalltext import SEEDS, alla_kallor, citat_i_kallans_form, fold

FIL = DATA_DIR / "exempel_2024.yaml"
DATA = exempel_read(FIL)


def test_between_25_and_40_examples_each_with_criteria_and_a_source():
    assert 25 <= len(DATA["exempel"]) <= 40
    for e in DATA["exempel"]:
        assert e["kriterier"] and e["kallor"], e["slug"]
        assert all(k.get("avsnitt") for k in e["kallor"]), e["slug"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds finns inte bredvid projektet")
def test_every_quote_is_verbatim_in_its_seed():
    texts = {
        key: fold((SEEDS / dok["seed"]).read_text(encoding="utf-8"))
        for key, dok in DATA["dokument"].items()
    }
    kallor = list(alla_kallor(DATA))
    assert len(kallor) >= len(DATA["exempel"])
    saknas = [
        (vag, k["citat"][:60])
        for vag, k in kallor
        if citat_i_kallans_form(k) not in texts[k["dokument"]]
    ]
    assert saknas == []


@pytest.mark.django_db
def test_loaded_with_links_to_version_2_and_loading_again_changes_nothing():
    v2 = MalbildVersion.objects.get(slug=DATA["version"]["instrument"])
    assert Exempel.objects.filter(ursprung="kalla").count() == len(DATA["exempel"])
    koder = set(
        Kriterium.objects.filter(exempel__isnull=False, tema__version=v2).values_list(
            "kod", flat=True
        )
    )
    assert koder == {kod for e in DATA["exempel"] for kod in e["kriterier"]}
    _, antal, andrad = exempel_load(path=FIL)
    assert (antal, andrad) == (len(DATA["exempel"]), False)


@pytest.mark.django_db
def test_an_unknown_criterion_is_refused(tmp_path):
    text = FIL.read_text(encoding="utf-8").replace(
        'kriterier: ["2.3", "2.4", "2.5"]', 'kriterier: ["9.9"]'
    )
    fil = tmp_path / "exempel_fel.yaml"
    fil.write_text(text, encoding="utf-8")
    with pytest.raises(MalbildDataError, match="9.9"):
        exempel_load(path=fil)


@pytest.mark.django_db
def test_examples_are_found_for_a_version_1_criterion_through_ersatter(
    malbild_version, django_assert_num_queries
):
    v1 = Kriterium.objects.get(tema__version=malbild_version, kod="2.3")
    with django_assert_num_queries(3):
        hittade = exempel_for_kriterier([v1.pk], region_id=None)
    assert "cedermodellen-triagering" in {e.slug for e in hittade[v1.pk]}


@pytest.mark.django_db
def test_a_regions_own_example_is_shown_to_that_region_only(stockholm, uppsala, planerare):
    v2 = Kriterium.objects.get(tema__version__slug="2024-10-9251-v2", kod="2.8")
    eget = exempel_create(
        region=stockholm,
        anvandare=planerare,
        titel="Drop-in för unga vuxna",
        plats="Vårdcentralen Åkerby",
        beskrivning="Öppen mottagning tisdagar.",
        resultat="",
        kriterier=[v2],
    )
    assert eget.slug == "region-01-drop-in-for-unga-vuxna"
    assert eget in exempel_list(region_id=stockholm.pk, sok="drop-in")
    assert eget not in exempel_list(region_id=uppsala.pk, sok="drop-in")
    assert eget not in exempel_for_kriterier([v2.pk], region_id=uppsala.pk).get(v2.pk, [])
    assert eget in exempel_for_kriterier([v2.pk], region_id=stockholm.pk)[v2.pk]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds finns inte bredvid projektet")
def test_every_skr_2022_chapter_is_named_as_in_the_report():
    """A source "Kapitel N. Rubrik" names a chapter heading of SKR 2022 ("KAPITEL N Rubrik")."""
    text = fold((SEEDS / DATA["dokument"]["skr-2022"]["seed"]).read_text(encoding="utf-8"))
    for _, kalla in alla_kallor(DATA):
        if kalla["dokument"] == "skr-2022" and kalla["avsnitt"].startswith("Kapitel"):
            nummer, _, rubrik = kalla["avsnitt"].removeprefix("Kapitel ").partition(". ")
            assert f"KAPITEL {nummer} {rubrik}" in text, kalla["avsnitt"]
