import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from malbild.models import Kriterium, MalbildVersion, Tema
from malbild.versioner import katalog_get
from tests.factories import AtgardFactory, region
from tests.uppfoljning.data import (
    enheter_skapa,
    malnivaer_skapa,
    omgang_skapa,
    svar_skapa,
)
from uppfoljning import gapregel
from uppfoljning.sammanfattning import sammanfattning_rebuild
from uppfoljning.selectors.common import Urval
from uppfoljning.selectors.gaprapport import gaprapport_get
from uppfoljning.selectors.nationell import nationell_oversikt_get
from uppfoljning.selectors.region import region_oversikt_get
from uppfoljning.statistik import (
    Fordelning,
    Jamforelse,
    median,
    median_av_fyra,
    median_fran_antal,
    storleksklass_for,
)
from vardcentraler.models import Atgard, Omgang, Region, Sjalvskattning, Svar, Vardcentral

pytestmark = pytest.mark.django_db


# --- pure building blocks ---------------------------------------------------


def test_median_of_levels_and_of_count_tables_agree():
    assert median([]) is None
    assert median([1, 4, 2]) == 2
    assert median([1, 2, 3, 4]) == 2.5
    for varden in ([1], [1, 1, 4], [2, 3, 3, 4], [1, 2, 2, 3, 4, 4], [4, 4, 1, 1]):
        tabell = {}
        for v in varden:
            tabell[v] = tabell.get(v, 0) + 1
        assert median_fran_antal(tabell) == median(varden), varden
    assert median_fran_antal({}) is None


def test_gap_is_never_negative_and_needs_both_levels():
    assert gapregel.gap(typ="niva", niva=1, malniva=3) == 2
    assert gapregel.gap(typ="niva", niva=4, malniva=3) == 0
    assert gapregel.gap(typ="vet_ej", niva=None, malniva=3) is None
    assert gapregel.gap(typ=None, niva=None, malniva=3) is None


def test_small_groups_are_suppressed():
    assert Jamforelse(2.0, 4).undertryckt
    assert Jamforelse(2.0, 4).visat is None
    assert not Jamforelse(2.0, 5).undertryckt
    assert Jamforelse(2.0, 5).visat == 2.0
    f = Fordelning(enheter=4)
    assert f.undertryckt


def test_size_classes_cover_every_unit():
    assert storleksklass_for(0) == "under-5000"
    assert storleksklass_for(4999) == "under-5000"
    assert storleksklass_for(5000) == "5000-9999"
    assert storleksklass_for(19999) == "10000-19999"
    assert storleksklass_for(20000) == "minst-20000"


def test_urval_narrows_units(stockholm):
    enheter_skapa(stockholm, 8)
    qs = Vardcentral.objects.filter(region=stockholm)
    assert Urval(driftsform="privat").tillampa(qs).count() == 4
    assert Urval(storleksklass="10000-19999").tillampa(qs).count() == 2
    assert Urval(storleksklass="minst-20000").tillampa(qs).count() == 2
    kommun = qs.first().kommun.kod
    assert all(v.kommun.kod == kommun for v in Urval(kommun=kommun).tillampa(qs))


def test_katalog_follows_ersatter_to_the_root(malbild_version):
    ny = MalbildVersion.objects.create(
        slug="2027-test",
        nummer=9,
        titel="t",
        utgivare="Socialstyrelsen",
        artikelnummer="x",
        publicerad=datetime.date(2027, 1, 1),
    )
    gammal = Kriterium.objects.for_version(malbild_version).order_by("pk").first()
    tema = Tema.objects.create(
        version=ny,
        ordning=gammal.tema.ordning,
        kod=gammal.tema.kod,
        kortnamn="t",
        malbild="m",
        forklaring="f",
        konsensus_procent=90,
    )
    ny_k = Kriterium.objects.create(tema=tema, kod="1.1", ordning=1, text="x", ersatter=gammal)
    katalog = katalog_get()
    assert katalog.rot[ny_k.pk] == gammal.pk
    assert katalog.rot[gammal.pk] == gammal.pk
    assert [t.kod for t in katalog.teman(ny.pk)] == [gammal.tema.kod]


# --- gap report ---------------------------------------------------------------


@pytest.fixture
def region_med_data(stockholm):
    """Stockholm: 6 units, two rounds, target 3 everywhere; the first unit is ours."""
    enheter = enheter_skapa(stockholm, 6)
    o1, o2 = omgang_skapa(stockholm, 2025), omgang_skapa(stockholm, 2026)
    malnivaer_skapa(o2, 3)

    def i_ar(i, k):
        if i == 0 and k.kod == "1.1":
            return ("vet_ej", None)
        if i == 0 and k.kod == "1.2":
            return ("ej_tillampligt", None)
        if i == 0:
            return ("niva", 1 if k.tema.ordning == 2 else 4 if k.tema.ordning == 5 else 2)
        return ("niva", 1 + i % 4)  # units 1–5: levels 2, 3, 4, 1, 2

    svar_skapa(o1, enheter, niva=lambda i, k: ("niva", 3 if i == 0 else 2))
    svar_skapa(o2, enheter, niva=i_ar)
    return enheter, o1, o2


def test_gap_report_levels_targets_gaps_and_history(region_med_data):
    enheter, o1, o2 = region_med_data
    rapport = gaprapport_get(vardcentral=enheter[0])
    assert rapport.omgang == o2
    assert rapport.status == Sjalvskattning.Status.INSKICKAD
    # Themes ordered by gap: theme 2 (level 1, target 3) first; theme 5 (level 4) last.
    assert rapport.teman[0].tema.ordning == 2
    assert rapport.teman[0].gap == 2
    assert rapport.teman[-1].tema.ordning == 5
    assert rapport.teman[-1].gap == 0
    tema1 = next(t for t in rapport.teman if t.tema.ordning == 1)
    rad_vet_ej = next(r for r in tema1.kriterier if r.kriterium.kod == "1.1")
    assert rad_vet_ej.visning == "Vet ej"
    assert rad_vet_ej.gap is None  # never a level, never a gap
    assert tema1.antal_vet_ej == 1 and tema1.antal_ej_tillampligt == 1
    rad = next(r for r in tema1.kriterier if r.kriterium.kod == "1.3")
    assert (rad.niva, rad.malniva, rad.gap) == (2, 3, 1)
    assert rad.tidigare == [(o1, "3")]
    assert tema1.historik == [(o1, 3.0), (o2, 2.0)]
    # Region median over 6 units for 1.3: levels 2,2,3,4,1,2 → 2.
    assert rad.region_median == Jamforelse(2.0, 6)
    assert rad.nationell_median.varde == 2.0
    # Strengths: theme 5 at level 4 (target 3).
    assert rapport.styrkor and all(r.kriterium.tema.ordning == 5 for r in rapport.styrkor)
    assert rapport.fordelning.antal["vet_ej"] == 1


def test_gap_report_suppresses_medians_of_small_groups(uppsala):
    enheter = enheter_skapa(uppsala, 4)
    o = omgang_skapa(uppsala, 2026)
    svar_skapa(o, enheter, niva=2)
    rapport = gaprapport_get(vardcentral=enheter[0])
    rad = rapport.teman[0].kriterier[0]
    assert rad.region_median.antal == 4 and rad.region_median.visat is None
    assert rapport.teman[0].region_median.undertryckt


def test_drafts_do_not_count_in_comparisons(region_med_data, stockholm):
    enheter, _o1, o2 = region_med_data
    Sjalvskattning.objects.filter(omgang=o2, vardcentral__in=enheter[1:3]).update(
        status=Sjalvskattning.Status.PAGAR
    )
    sammanfattning_rebuild()  # the update went past the services
    rapport = gaprapport_get(vardcentral=enheter[0])
    tema1 = next(t for t in rapport.teman if t.tema.ordning == 1)
    rad = next(r for r in tema1.kriterier if r.kriterium.kod == "1.3")
    assert rad.region_median.antal == 4 and rad.region_median.undertryckt


def test_national_median_uses_every_regions_round_of_the_same_name(region_med_data, uppsala):
    enheter, o1, o2 = region_med_data
    andra = enheter_skapa(uppsala, 5)
    gammal = omgang_skapa(uppsala, 2025, namn=o1.namn)
    ny = omgang_skapa(uppsala, 2026, namn=o2.namn)
    svar_skapa(gammal, andra, niva=1)
    svar_skapa(ny, andra, niva=4)
    rapport = gaprapport_get(vardcentral=enheter[0])
    rad = next(r for t in rapport.teman for r in t.kriterier if r.kriterium.kod == "1.3")
    # Stockholm 2026 (2,2,3,4,1,2) + Uppsala 2026 (4×5): 11 answers, median 4? sorted:
    # 1,2,2,2,3,4,4,4,4,4,4 → the 6th value is 4.
    assert rad.nationell_median == Jamforelse(4.0, 11)


def test_gap_report_lists_actions_per_criterion(region_med_data):
    enheter, _o1, o2 = region_med_data
    k = Kriterium.objects.get(tema__version=o2.malbild_version, kod="2.1")
    AtgardFactory(vardcentral=enheter[0], kriterium=k, omgang=o2, status=Atgard.Status.PAGAR)
    rapport = gaprapport_get(vardcentral=enheter[0])
    rad = next(r for r in rapport.teman[0].kriterier if r.kriterium.kod == "2.1")
    assert [a.status for a in rad.atgarder] == ["pagar"]


def test_gap_report_without_rounds(vc_stockholm):
    rapport = gaprapport_get(vardcentral=vc_stockholm)
    assert rapport.omgang is None and rapport.teman == []


def _gaprapport_queries(antal, region_kod):
    reg = region(region_kod)
    enheter = enheter_skapa(reg, antal)
    o1, o2 = omgang_skapa(reg, 2025), omgang_skapa(reg, 2026)
    malnivaer_skapa(o2)
    svar_skapa(o1, enheter)
    svar_skapa(o2, enheter, seed=2)
    with CaptureQueriesContext(connection) as ctx:
        gaprapport_get(vardcentral=enheter[0])
    return len(ctx.captured_queries)


def test_gap_report_query_count_does_not_grow_with_units():
    assert _gaprapport_queries(10, "01") == _gaprapport_queries(200, "03") == 8


# --- region dashboard -----------------------------------------------------------


def test_region_overview_heatmap_distribution_trend_status_and_drops(region_med_data, stockholm):
    enheter, o1, o2 = region_med_data
    Sjalvskattning.objects.filter(omgang=o2, vardcentral=enheter[5]).update(
        status=Sjalvskattning.Status.GODKAND
    )
    sammanfattning_rebuild()  # the update went past the services
    extra = enheter_skapa(stockholm, 1)[0]  # no self-assessment yet
    k = Kriterium.objects.get(tema__version=o2.malbild_version, kod="1.1")
    AtgardFactory(
        vardcentral=enheter[0],
        kriterium=k,
        omgang=o2,
        klar_senast=datetime.date(2026, 3, 1),
        status=Atgard.Status.PLANERAD,
    )
    AtgardFactory(
        vardcentral=enheter[1],
        kriterium=k,
        omgang=o2,
        klar_senast=datetime.date(2026, 3, 1),
        status=Atgard.Status.KLAR,
    )
    ov = region_oversikt_get(
        region=stockholm,
        vardcentraler=Vardcentral.objects.all(),
        idag=datetime.date(2026, 5, 1),
    )
    assert ov.omgang == o2 and ov.antal_enheter == 7
    rad0 = next(r for r in ov.rader if r.vardcentral == enheter[0])
    assert rad0.nivaer["stegvis-vard"] == 1 and rad0.nivaer["psykolog"] == 4
    assert rad0.tidigare["stegvis-vard"] == 3
    assert next(r for r in ov.rader if r.vardcentral == extra).status is None
    assert ov.status_antal == {"inskickad": 5, "godkand": 1, "ej_paborjad": 1}
    assert ov.antal_inskickade == 6 and ov.antal_godkanda == 1
    f = ov.fordelning_per_tema["omhandertagande"]
    assert f.enheter == 6 and f.antal["vet_ej"] == 1 and f.antal["ej_tillampligt"] == 1
    assert f.total == 6 * 7
    assert [o for o, _j in ov.trend["omhandertagande"]] == [o1, o2]
    assert ov.trend["omhandertagande"][0][1] == Jamforelse(2.0, 6)
    assert [a.vardcentral for a in ov.forsenade] == [enheter[0]]
    # Unit 0 fell from 3 to 1 in theme 2 (and to 2 elsewhere); unit 3 fell to 1 everywhere.
    fall = {(n.vardcentral.pk, n.tema.kod) for n in ov.nedgangar}
    assert (enheter[0].pk, "stegvis-vard") in fall
    assert (enheter[0].pk, "psykolog") not in fall


def test_region_overview_lists_the_longest_overdue_actions_and_counts_them_all(region_med_data):
    from uppfoljning.selectors.region import FORSENADE_VISA

    enheter, _o1, o2 = region_med_data
    k = Kriterium.objects.get(tema__version=o2.malbild_version, kod="1.1")
    for i in range(FORSENADE_VISA + 5):
        AtgardFactory(
            vardcentral=enheter[i % len(enheter)],
            kriterium=k,
            omgang=o2,
            klar_senast=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
            status=Atgard.Status.PAGAR,
        )
    ov = region_oversikt_get(
        region=enheter[0].region,
        vardcentraler=Vardcentral.objects.all(),
        idag=datetime.date(2026, 5, 1),
    )
    assert ov.antal_forsenade == FORSENADE_VISA + 5
    assert len(ov.forsenade) == FORSENADE_VISA
    assert ov.forsenade[0].klar_senast == datetime.date(2026, 1, 1)  # the longest overdue first


def test_region_overview_sorts_by_theme_and_filters(region_med_data, stockholm):
    enheter, _o1, _o2 = region_med_data
    ov = region_oversikt_get(
        region=stockholm, vardcentraler=Vardcentral.objects.all(), sortera="-team"
    )
    nivaer = [r.nivaer["team"] for r in ov.rader]
    assert nivaer == sorted(nivaer, reverse=True)
    ov = region_oversikt_get(
        region=stockholm,
        vardcentraler=Urval(driftsform="privat").tillampa(Vardcentral.objects.all()),
    )
    assert ov.antal_enheter == 3
    assert ov.median_per_tema["team"].undertryckt
    assert ov.fordelning_per_tema["team"].undertryckt


def _region_queries(antal, region_kod):
    reg = region(region_kod)
    enheter = enheter_skapa(reg, antal)
    o1, o2 = omgang_skapa(reg, 2025), omgang_skapa(reg, 2026)
    svar_skapa(o1, enheter)
    svar_skapa(o2, enheter, seed=3)
    with CaptureQueriesContext(connection) as ctx:
        ov = region_oversikt_get(
            region=reg, vardcentraler=Urval(driftsform="regional").tillampa(Vardcentral.objects)
        )
        assert ov.antal_enheter == antal // 2
    return len(ctx.captured_queries)


def test_region_overview_query_count_does_not_grow_with_units():
    assert _region_queries(10, "01") == _region_queries(200, "03") == 7


# --- national view ---------------------------------------------------------------


def test_national_overview_suppresses_small_regions(stockholm, uppsala):
    sthlm = enheter_skapa(stockholm, 6)
    svar_skapa(omgang_skapa(stockholm, 2025, namn="2025"), sthlm, niva=2)
    svar_skapa(omgang_skapa(stockholm, 2026, namn="2026"), sthlm, niva=3)
    andra = enheter_skapa(uppsala, 3)
    svar_skapa(omgang_skapa(uppsala, 2026, namn="2026"), andra, niva=4)
    # No round is closed: the newest with counted answers, each region's round of that name.
    nat = nationell_oversikt_get(regioner=Region.objects.all())
    assert nat.omgang_namn == "2026" and "ingen omgång är stängd" in nat.motivering
    rader = {r.region.kod: r for r in nat.rader}
    assert rader["01"].enheter == 6 and rader["01"].omgang_namn == "2026"
    assert rader["01"].nivaer["stegvis-vard"] == Jamforelse(3.0, 6)
    assert rader["01"].forandring["stegvis-vard"] == 1.0  # 2 → 3 since 2025
    assert rader["03"].enheter == 3 and rader["03"].nivaer["team"].undertryckt
    assert rader["03"].fordelning["team"].undertryckt
    assert rader["04"].enheter == 0 and rader["04"].nivaer["team"].visat is None
    # 9 units nationally; the distribution counts every answer in the chosen rounds.
    assert nat.antal_enheter == 9
    assert nat.fordelning_per_tema["team"].total == 9 * 6
    assert nat.median_per_tema["team"] == Jamforelse(3.0, 9)  # the n of the nation's median
    assert [ar for ar, _j in nat.trend["team"]] == [2025, 2026]
    assert nat.trend["team"][0][1].antal == 6


def test_national_default_is_the_latest_closed_round_and_sorts_by_any_theme(stockholm, uppsala):
    for reg, stangd_niva, ny_niva in ((stockholm, 2, 4), (uppsala, 3, 1)):
        enheter = enheter_skapa(reg, 5)
        stangd = omgang_skapa(reg, 2025, namn="2025", status=Omgang.Status.STANGD)
        svar_skapa(stangd, enheter, niva=stangd_niva, status=Sjalvskattning.Status.GODKAND)
        # The open round: one unit submitted so far (never shown: under 5).
        svar_skapa(omgang_skapa(reg, 2026, namn="2026"), enheter[:1], niva=ny_niva)
    nat = nationell_oversikt_get(regioner=Region.objects.all(), sortera="-stegvis-vard")
    assert nat.omgang_namn == "2025" and "senaste stängda" in nat.motivering
    assert nat.omgang_namn_lista == ["2026", "2025"] and nat.forra_namn is None
    kod = [r.region.kod for r in nat.rader]
    assert kod[:2] == ["03", "01"]  # highest first; regions without values last
    nat = nationell_oversikt_get(regioner=Region.objects.all(), sortera="stegvis-vard")
    assert [r.region.kod for r in nat.rader][:2] == ["01", "03"]
    # The reader may choose the open round: everything is "–" there (1 unit per region).
    nat = nationell_oversikt_get(regioner=Region.objects.all(), omgang_namn="2026")
    assert nat.omgang_namn == "2026" and nat.forra_namn == "2025"
    assert all(j.visat is None for r in nat.rader for j in r.nivaer.values())


def _nationell_queries(antal):
    for kod in ("01", "03"):
        reg = region(kod)
        enheter = enheter_skapa(reg, antal // 2)
        svar_skapa(omgang_skapa(reg, 2025), enheter)
        svar_skapa(omgang_skapa(reg, 2026), enheter, seed=4)
    with CaptureQueriesContext(connection) as ctx:
        nationell_oversikt_get(regioner=Region.objects.all())
    n = len(ctx.captured_queries)
    Svar.objects.all().delete()
    Sjalvskattning.objects.all().delete()
    Omgang.objects.all().delete()
    return n


def test_national_overview_query_count_does_not_grow_with_units():
    # Cold cache: regions, criteria, the rounds with their summary versions, the statuses,
    # then the counts from the summaries (the cache's own read is no query with the
    # local-memory cache of the tests).
    assert _nationell_queries(10) == _nationell_queries(200) == 5


def test_region_overview_defaults_to_the_newest_round_with_counted_answers(
    region_med_data, stockholm
):
    enheter, o1, o2 = region_med_data
    Sjalvskattning.objects.filter(omgang=o2, vardcentral=enheter[0]).update(
        status=Sjalvskattning.Status.PAGAR
    )
    sammanfattning_rebuild()  # the update went past the services
    bara_den = Vardcentral.objects.filter(pk=enheter[0].pk)
    assert region_oversikt_get(region=stockholm, vardcentraler=bara_den).omgang == o1
    assert (
        region_oversikt_get(region=stockholm, vardcentraler=bara_den, omgang_id=o2.pk).omgang == o2
    )
    assert (
        region_oversikt_get(region=stockholm, vardcentraler=Vardcentral.objects.all()).omgang == o2
    )


def test_the_heatmap_median_of_four_counts_is_the_median():
    import itertools

    for antal in itertools.product(range(4), repeat=4):
        assert median_av_fyra(antal) == median_fran_antal(
            dict(zip((1, 2, 3, 4), antal, strict=True))
        )
    assert median_av_fyra((0, 2, 0, 1)) == 2.0 and median_av_fyra((1, 0, 0, 1)) == 2.5
