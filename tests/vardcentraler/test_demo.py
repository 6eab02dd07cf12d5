"""The demo-data generator: plan at national scale (pure), rows at demo scale (database)."""

import datetime as dt
import statistics
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from demodata import (
    ANTAL_NATIONELLT,
    OMGANG_NAMN,
    antal_per_region,
    demodata_create,
    vardcentraler_plan,
)
from tests.factories import VardcentralFactory
from vardcentraler.models import (
    Atgard,
    Krav,
    Malniva,
    Omgang,
    Region,
    Sjalvskattning,
    Svar,
    Vardcentral,
)

NU = timezone.make_aware(dt.datetime(2026, 11, 26, 10, 0))


def test_national_plan_has_every_region_and_a_realistic_spread():
    plan = vardcentraler_plan(scale="national", seed=2024)
    assert 1150 <= len(plan) <= 1250
    assert len({p.hsa_id for p in plan}) == len(plan)
    per_region = Counter(p.region_kod for p in plan)
    assert set(per_region) == set(ANTAL_NATIONELLT) and len(per_region) == 21
    assert per_region["01"] > 180 and per_region["14"] > 180 and per_region["12"] > 120
    assert per_region["09"] < 10
    listade = [p.listade_patienter for p in plan]
    assert min(listade) < 1000 and max(listade) > 30000
    assert 6000 < statistics.median(listade) < 11000
    # Every kommun of the country has at least one unit; big towns have many.
    kommuner = Counter(p.kommun_kod for p in plan)
    assert len(kommuner) == 290
    assert kommuner["0180"] > 60  # Stockholm
    # Private units: a larger share in Stockholm, Skåne and VGR than in Norrland.
    andel = {
        kod: sum(p.driftsform == "privat" for p in plan if p.region_kod == kod) / n
        for kod, n in per_region.items()
    }
    assert min(andel["01"], andel["12"], andel["14"]) > max(andel["24"], andel["25"])
    assert all(p.namn.startswith("Demo vårdcentral ") and "-DEMO" in p.hsa_id for p in plan)


def test_plan_is_deterministic_from_the_seed():
    a = vardcentraler_plan(scale="national", seed=7)
    assert a == vardcentraler_plan(scale="national", seed=7)
    assert a != vardcentraler_plan(scale="national", seed=8)


def test_demo_scale_has_enough_units_per_region_for_comparisons():
    antal = antal_per_region("demo")
    assert antal["01"] == 25
    assert all(6 <= n <= 10 for kod, n in antal.items() if kod != "01")


@pytest.fixture
def demodata(db):
    return demodata_create(scale="demo", seed=2024, nu=NU)


def test_demo_scale_rows(demodata):
    assert demodata.vardcentraler == sum(antal_per_region("demo").values())
    assert Omgang.objects.count() == 21 * 3
    stockholm = Region.objects.get(kod="01")
    omgangar = {o.namn: o for o in Omgang.objects.filter(region=stockholm)}
    assert set(omgangar) == set(OMGANG_NAMN)
    assert omgangar["2024"].status == omgangar["2025"].status == Omgang.Status.STANGD
    assert omgangar["2026"].status == Omgang.Status.OPPEN
    assert omgangar["2026"].malbild_version.last
    # One assessment per unit and round, answers only where started.
    assert Sjalvskattning.objects.count() == demodata.vardcentraler * 3
    assert not Svar.objects.filter(sjalvskattning__status="ej_paborjad").exists()
    # The closed rounds use målbild version 1, the open round version 2 (a revised
    # instrument applies to new rounds; rounds already held keep theirs).
    assert omgangar["2024"].malbild_version.nummer == omgangar["2025"].malbild_version.nummer == 1
    assert omgangar["2026"].malbild_version.nummer == 2
    for s in (
        Sjalvskattning.objects.filter(status__in=["inskickad", "godkand"])
        .annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("svar"))
        .select_related("omgang__malbild_version")[:50]
    ):
        kriterier = s.omgang.malbild_version.teman.values("kriterier").count()
        assert s.n == kriterier and s.inskickad is not None
    # Closed rounds mostly approved; the current round has every status.
    stangd = Counter(
        Sjalvskattning.objects.filter(omgang__status="stangd").values_list("status", flat=True)
    )
    assert stangd["godkand"] > 0.75 * sum(stangd.values())
    aktuell = set(
        Sjalvskattning.objects.filter(omgang__namn="2026").values_list("status", flat=True)
    )
    assert aktuell == set(Sjalvskattning.Status.values)
    # Nothing dated in the future.
    assert not Svar.objects.filter(andrad__gt=NU).exists()
    assert not Sjalvskattning.objects.filter(godkand__gt=NU).exists()
    assert not Omgang.objects.filter(skapad__gt=NU).exists()


def test_answers_are_plausible(demodata):
    typer = Counter(Svar.objects.values_list("typ", flat=True))
    total = sum(typer.values())
    assert 0.02 < typer["vet_ej"] / total < 0.10
    assert 0 < typer["ej_tillampligt"] / total < 0.03

    # "Vet ej" more often in theme 6 (somatic follow-up) than in theme 1.
    def andel_vet_ej(tema):
        c = Counter(
            Svar.objects.filter(kriterium__tema__ordning=tema).values_list("typ", flat=True)
        )
        return c["vet_ej"] / sum(c.values())

    assert andel_vet_ej(6) > andel_vet_ej(1)
    # Levels improve from 2024 to 2026 on the whole, and every level is used.
    medel = {
        namn: statistics.mean(
            Svar.objects.filter(sjalvskattning__omgang__namn=namn, typ="niva").values_list(
                "niva", flat=True
            )
        )
        for namn in OMGANG_NAMN
    }
    assert medel["2024"] < medel["2025"] < medel["2026"]
    assert set(Svar.objects.filter(typ="niva").values_list("niva", flat=True)) == {1, 2, 3, 4}
    # ... but unevenly: some units drop between rounds.
    per_enhet = {}
    for vc, omgang, niva in Svar.objects.filter(typ="niva").values_list(
        "sjalvskattning__vardcentral", "sjalvskattning__omgang__namn", "niva"
    ):
        per_enhet.setdefault((vc, omgang), []).append(niva)
    fall = [
        vc
        for (vc, omgang), nivaer in per_enhet.items()
        if omgang == "2025"
        and (vc, "2024") in per_enhet
        and statistics.mean(nivaer) < statistics.mean(per_enhet[(vc, "2024")])
    ]
    assert fall
    # Answers correlate within a unit: unit means spread far more than noise alone would.
    medel_2026 = [statistics.mean(v) for (vc, o), v in per_enhet.items() if o == "2026"]
    assert statistics.pstdev(medel_2026) > 0.25
    assert Svar.objects.exclude(motivering="").count() > 0.5 * total


def test_targets_step_up_and_requirements_exist(demodata):
    for region in Region.objects.all():
        mal = {
            namn: sum(
                Malniva.objects.filter(omgang__region=region, omgang__namn=namn).values_list(
                    "niva", flat=True
                )
            )
            for namn in OMGANG_NAMN
        }
        assert mal["2024"] <= mal["2025"] <= mal["2026"]
        assert mal["2024"] < mal["2026"]
        assert Krav.objects.filter(omgang__region=region, omgang__namn="2026").count() >= 6
    assert set(Krav.objects.values_list("kravniva", flat=True)) == {"ska", "bor", "ej"}
    assert not Krav.objects.filter(kravniva="ska", formulering="").exists()


def test_actions_in_every_status_some_overdue_and_all_for_gaps(demodata):
    assert set(Atgard.objects.values_list("status", flat=True)) == set(Atgard.Status.values)
    idag = NU.date()
    assert Atgard.objects.filter(status__in=Atgard.OPPNA, klar_senast__lt=idag).exists()
    mal = {(m.omgang_id, m.kriterium_id): m.niva for m in Malniva.objects.all()}
    svar = {
        (vc, o, k): n
        for vc, o, k, n in Svar.objects.values_list(
            "sjalvskattning__vardcentral", "sjalvskattning__omgang", "kriterium", "niva"
        )
    }
    for a in Atgard.objects.all():
        niva = svar[(a.vardcentral_id, a.omgang_id, a.kriterium_id)]
        assert niva < mal[(a.omgang_id, a.kriterium_id)]
        assert a.mal_niva > niva and a.klar_senast >= a.start
        assert a.start.day == 1 and a.start.month in (1, 7)  # half-year precision


def test_same_seed_same_rows_and_rerun_changes_nothing(demodata):
    def avtryck():
        return (
            list(
                Vardcentral.objects.order_by("hsa_id").values_list(
                    "hsa_id", "namn", "listade_patienter"
                )
            ),
            Counter(Svar.objects.values_list("sjalvskattning__vardcentral__hsa_id", "niva")),
            Atgard.objects.count(),
        )

    forst = avtryck()
    assert demodata_create(scale="demo", seed=2024, nu=NU).oforandrat
    assert avtryck() == forst


def test_rebuild_touches_only_demo_rows(demodata):
    egen = VardcentralFactory(hsa_id="SE2321000016-ABC1", namn="Vårdcentralen Riktig")
    egen_omgang = Omgang.objects.create(
        region=egen.region,
        namn="Höst 2026",
        malbild_version=Omgang.objects.first().malbild_version,
        period_start=dt.date(2026, 8, 1),
        period_slut=dt.date(2026, 12, 31),
        sista_dag=dt.date(2026, 12, 1),
    )
    Sjalvskattning.objects.create(omgang=egen_omgang, vardcentral=egen)
    # Another seed rebuilds the demo rows, and leaves the real unit and its round alone.
    r = demodata_create(scale="demo", seed=99, nu=NU)
    assert not r.oforandrat and r.borttagna_vardcentraler == demodata.vardcentraler
    assert Vardcentral.objects.filter(pk=egen.pk).exists()
    assert Sjalvskattning.objects.filter(omgang=egen_omgang, vardcentral=egen).exists()
    assert Omgang.objects.filter(namn__in=OMGANG_NAMN).count() == 21 * 3
    assert Vardcentral.objects.filter(hsa_id__contains="-DEMO").count() == demodata.vardcentraler


def test_refuses_a_demo_round_holding_real_units(demodata):
    egen = VardcentralFactory(hsa_id="SE2321000016-ABC2")
    omgang_2026 = Omgang.objects.get(region=egen.region, namn="2026")
    Sjalvskattning.objects.create(omgang=omgang_2026, vardcentral=egen)
    antal = Svar.objects.count()
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="rörs inte"):
        call_command("seed_demo", seed=5, verbosity=0)
    assert Svar.objects.count() == antal  # rolled back, nothing lost


def test_progress_counts_only_the_assessments_own_answers(demodata):
    """framsteg_for on data with many assessments: the same as counting by hand."""
    from vardcentraler.omgangar.selectors import framsteg_for

    for s in Sjalvskattning.objects.filter(status__in=["pagar", "godkand"]).select_related(
        "omgang"
    )[:5]:
        per_tema, totalt = framsteg_for(s)
        besvarade = Counter(s.svar.exclude(typ="").values_list("kriterium__tema", flat=True))
        assert {pk: f.besvarade for pk, f in per_tema.items()} == {
            pk: besvarade.get(pk, 0) for pk in per_tema
        }
        assert totalt.besvarade == s.svar.exclude(typ="").count()
        # 37 criteria in the closed rounds (version 1), 48 in the open round (version 2).
        assert totalt.totalt == {"2024": 37, "2025": 37, "2026": 48}[s.omgang.namn], (
            s.omgang.namn,
            s.omgang.malbild_version.slug,
            per_tema,
        )


def test_rebuild_on_request_gives_the_same_rows(demodata):
    fore = Counter(Svar.objects.values_list("sjalvskattning__vardcentral__hsa_id", "niva"))
    r = demodata_create(scale="demo", seed=2024, nu=NU, bygg_om=True)
    assert not r.oforandrat and r.borttagna_vardcentraler == demodata.vardcentraler
    assert Counter(Svar.objects.values_list("sjalvskattning__vardcentral__hsa_id", "niva")) == fore
