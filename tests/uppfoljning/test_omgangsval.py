"""Issue 11: which round a follow-up page shows, fallbacks to earlier approved levels, the n
of every median, the gap-first heatmap and the region's action list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from malbild.models import Kriterium
from tests.factories import AtgardFactory, region
from tests.uppfoljning.data import enheter_skapa, malnivaer_skapa, omgang_skapa, svar_skapa
from uppfoljning.sammanfattning import sammanfattning_rebuild
from uppfoljning.selectors.atgarder import OPPNA, AtgardUrval, atgard_list
from uppfoljning.selectors.common import omgang_valj
from uppfoljning.selectors.gaprapport import gaprapport_get
from uppfoljning.selectors.region import region_oversikt_get
from uppfoljning.statistik import Jamforelse
from vardcentraler.models import Atgard, Omgang, Sjalvskattning, Vardcentral

pytestmark = pytest.mark.django_db
GODKAND = Sjalvskattning.Status.GODKAND
PAGAR = Sjalvskattning.Status.PAGAR


def test_omgang_valj_prefers_the_newest_round_with_enough_approved():
    a, b = Omgang(pk=1, namn="2025"), Omgang(pk=2, namn="2026")
    val = omgang_valj([a, b], godkanda={1: 20, 2: 3}, raknade={1: 20, 2: 8}, enheter=25)
    assert val.omgang is a and "2026 har ännu för få godkända" in val.motivering
    val = omgang_valj([a, b], godkanda={1: 20, 2: 5}, raknade={1: 20, 2: 8}, enheter=25)
    assert val.omgang is b and "5 av 25" in val.motivering
    # Too small ever to reach five approved: the newest round with counted answers.
    val = omgang_valj([a, b], godkanda={1: 1}, raknade={1: 1, 2: 1}, enheter=1)
    assert val.omgang is b
    val = omgang_valj([a, b], godkanda={}, raknade={}, omgang_id=1)
    assert val.omgang is a and val.vald and "som du valt" in val.motivering
    assert omgang_valj([], godkanda={}, raknade={}).omgang is None


@pytest.fixture
def mitt_i_omgangen(stockholm):
    """Seven units: 2025 closed and approved for six of them (level 2 everywhere, unit 6
    never took part), 2026 open: units 0–4 approved at level 3, unit 5 still working."""
    enheter = enheter_skapa(stockholm, 7)
    o1 = omgang_skapa(stockholm, 2025, namn="2025", status=Omgang.Status.STANGD)
    o2 = omgang_skapa(stockholm, 2026, namn="2026")
    malnivaer_skapa(o2, 4)
    svar_skapa(o1, enheter[:6], niva=2, status=GODKAND)
    svar_skapa(o2, enheter[:5], niva=3, status=GODKAND)
    svar_skapa(o2, enheter[5:6], niva=1, status=PAGAR)
    return enheter, o1, o2


def test_region_default_round_fallbacks_and_the_n_of_medians(mitt_i_omgangen, stockholm):
    enheter, _o1, o2 = mitt_i_omgangen
    ov = region_oversikt_get(region=stockholm, vardcentraler=Vardcentral.objects.all())
    assert ov.omgang == o2 and "den senaste omgången" in ov.motivering
    rader = {r.vardcentral.pk: r for r in ov.rader}
    # Unit 5 has a draft in 2026: its approved 2025 level, marked; never its draft.
    assert rader[enheter[5].pk].kalla == "2025, godkänd"
    assert rader[enheter[5].pk].nivaer["team"] == 2.0
    assert rader[enheter[5].pk].celler[0].kalla == "2025"
    # Unit 6 never submitted anything: said so, not a silent "–".
    assert rader[enheter[6].pk].kalla == "ej inskickad"
    assert rader[enheter[6].pk].celler[0].kalla == "ej inskickad"
    assert ov.antal_med_aldre == 1 and ov.antal_ej_inskickade == 1
    # The round's median rests on the five counted units of seven, and says so.
    assert ov.median_per_tema["team"] == Jamforelse(3.0, 5) and ov.antal_enheter == 7
    assert ov.fordelning_per_tema["team"].enheter == 5
    assert all(j.antal == 5 for _o, j in ov.trend["team"][1:])


def test_region_default_falls_back_while_too_few_are_approved(mitt_i_omgangen, stockholm):
    enheter, o1, o2 = mitt_i_omgangen
    Sjalvskattning.objects.filter(omgang=o2, vardcentral__in=enheter[:2]).update(status=PAGAR)
    sammanfattning_rebuild()  # the update went past the services
    ov = region_oversikt_get(region=stockholm, vardcentraler=Vardcentral.objects.all())
    assert ov.omgang == o1 and "för få godkända" in ov.motivering
    assert ov.median_per_tema["team"] == Jamforelse(2.0, 6)


def test_heatmap_sorts_by_gap_colours_cells_and_filters_below_target(mitt_i_omgangen, stockholm):
    enheter, _o1, o2 = mitt_i_omgangen
    ov = region_oversikt_get(region=stockholm, vardcentraler=Vardcentral.objects.all())
    # Default: the largest total gap first (unit 5's 2025 level 2 against target 4).
    assert ov.rader[0].vardcentral == enheter[5]
    assert ov.rader[-1].vardcentral == enheter[6]  # without levels last
    gapen = [r.gap_summa for r in ov.rader if r.gap_summa is not None]
    assert gapen == sorted(gapen, reverse=True)
    cell = ov.rader[0].celler[0]
    assert (cell.klass, cell.text) == ("gap--2", "2") and "målnivå 4" in cell.title
    ov = region_oversikt_get(region=stockholm, vardcentraler=Vardcentral.objects.all(), farg="niva")
    assert ov.rader[0].celler[0].klass == "heat--2"
    # "Under målnivå i tema X": units 0–4 (level 3) and 5 (level 2) are below target 4.
    ov = region_oversikt_get(
        region=stockholm, vardcentraler=Vardcentral.objects.all(), under_mal="psykolog"
    )
    assert {r.vardcentral for r in ov.rader} == set(enheter[:6])
    assert ov.antal_enheter == 6


def _region_queries(antal, kod):
    reg = region(kod)
    enheter = enheter_skapa(reg, antal)
    o1 = omgang_skapa(reg, 2025, status=Omgang.Status.STANGD)
    o2 = omgang_skapa(reg, 2026)
    malnivaer_skapa(o2)
    svar_skapa(o1, enheter, status=GODKAND)
    svar_skapa(o2, enheter[: antal // 2], seed=3, status=GODKAND)
    svar_skapa(o2, enheter[antal // 2 :], seed=4, status=PAGAR)
    with CaptureQueriesContext(connection) as ctx:
        ov = region_oversikt_get(region=reg, vardcentraler=Vardcentral.objects.all())
    assert ov.omgang == o2 and ov.antal_med_aldre == antal - antal // 2
    return len(ctx.captured_queries)


def test_region_queries_with_fallbacks_do_not_grow_with_units():
    assert _region_queries(10, "01") == _region_queries(200, "03") == 7


def test_gap_report_shows_the_units_latest_round_with_answers(mitt_i_omgangen):
    enheter, o1, o2 = mitt_i_omgangen
    rapport = gaprapport_get(vardcentral=enheter[0])
    assert rapport.omgang == o2 and rapport.region_enheter == 6
    rad = rapport.teman[0].kriterier[0]
    assert rad.region_median.antal == 5  # counted only: "5 av 6"
    rapport = gaprapport_get(vardcentral=enheter[6])  # never answered
    assert rapport.omgang == o2 and "inte svarat" in rapport.motivering
    Sjalvskattning.objects.filter(omgang=o2, vardcentral=enheter[5]).delete()
    rapport = gaprapport_get(vardcentral=enheter[5])
    assert rapport.omgang == o1 and "inga svar i omgång 2026" in rapport.motivering
    assert rapport.nasta_omgang == o2


def test_action_list_filters_and_counts(mitt_i_omgangen):
    enheter, _o1, o2 = mitt_i_omgangen
    k = Kriterium.objects.for_version(o2.malbild_version).select_related("tema").first()
    idag = datetime.date(2026, 6, 1)
    AtgardFactory(
        vardcentral=enheter[0],
        kriterium=k,
        omgang=o2,
        status=Atgard.Status.PAGAR,
        start=datetime.date(2026, 1, 1),
        klar_senast=datetime.date(2026, 3, 1),
        ansvarig="Anna",
    )
    AtgardFactory(
        vardcentral=enheter[1],
        kriterium=k,
        omgang=o2,
        status=Atgard.Status.KLAR,
        start=datetime.date(2026, 1, 1),
        klar_senast=datetime.date(2026, 3, 1),
        ansvarig="Bo",
    )
    AtgardFactory(
        vardcentral=enheter[2],
        kriterium=k,
        omgang=o2,
        status=Atgard.Status.PLANERAD,
        start=datetime.date(2026, 1, 1),
        klar_senast=datetime.date(2026, 12, 1),
        ansvarig="anna b",
    )
    alla = Vardcentral.objects.all()
    lista = atgard_list(vardcentraler=alla, idag=idag)
    assert lista.antal_totalt == 3 and lista.antal_forsenade == 1
    assert lista.rader[0].forsenad and lista.rader[0].vardcentral_namn == enheter[0].namn
    forsenade = atgard_list(vardcentraler=alla, urval=AtgardUrval(forsenad=True), idag=idag)
    assert [r.hsa_id for r in forsenade.rader] == [enheter[0].hsa_id]
    oppna = atgard_list(vardcentraler=alla, urval=AtgardUrval(status=OPPNA), idag=idag)
    assert len(oppna.rader) == 2
    anna = atgard_list(vardcentraler=alla, urval=AtgardUrval(ansvarig="ANNA"), idag=idag)
    assert len(anna.rader) == 2
    tema = atgard_list(vardcentraler=alla, urval=AtgardUrval(tema="inget-sadant"), idag=idag)
    assert tema.rader == [] and tema.antal_totalt == 3
    with CaptureQueriesContext(connection) as ctx:
        atgard_list(vardcentraler=alla, idag=idag)
    assert len(ctx.captured_queries) == 2


def test_region_export_of_the_chosen_round_only(mitt_i_omgangen, stockholm):
    from uppfoljning.exports import export_rader

    _enheter, _o1, o2 = mitt_i_omgangen
    alla = Vardcentral.objects.all()
    omgangar = {r[8] for r in export_rader(region=stockholm, vardcentraler=alla)}
    assert omgangar == {"2025", "2026"}
    valda = {r[8] for r in export_rader(region=stockholm, vardcentraler=alla, omgang_id=o2.pk)}
    assert valda == {"2026"}
