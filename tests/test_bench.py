"""The benchmark harness and the load-test driver, run for real on demo-scale data."""

import datetime as dt
import json
import sys
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from bench.harness import MATNINGAR, Matning, _get, bench_run
from demodata import demodata_create
from loadtest.kontroll import instanser_korskontroll, sparningar_check
from loadtest.prepare import loadtest_users_prepare
from loadtest.run import locust_run
from vardcentraler.models import Profil, Svar, Vardcentral

pytestmark = pytest.mark.bench  # self-tests of bench/ and loadtest/: `make test-bench`

NU = timezone.make_aware(dt.datetime(2026, 11, 26, 10, 0))


@pytest.fixture
def demodata(db):
    return demodata_create(scale="demo", seed=2024, nu=NU)


@override_settings(ROOT_URLCONF="bench.urls")
def test_bench_measures_every_built_page_and_compares_sizes(demodata):
    antal = Vardcentral.objects.count()
    svar_fore = Svar.objects.count()
    ut = bench_run(repetitioner=2)
    m = ut["measurements"]
    assert set(m) == {x.namn for x in MATNINGAR}
    assert m["baslinje"]["ratio_to_baseline"] == 1.0
    assert 1 <= m["baslinje_minimal"]["queries"] <= 3  # session and user, nothing else
    assert m["baslinje"]["queries"] <= 4  # + the role for the menu
    for namn, r in m.items():
        assert "error" not in r, (namn, r)
        if "missing" in r:
            continue
        assert r["median_ms"] > 0 and r["queries"] >= 1 and r["runs"] >= 2
    # The size comparison ran at 10 units and was rolled back.
    storlekar = ut["queries_by_size"]
    assert set(storlekar) == {n for n, r in m.items() if "missing" not in r}
    assert all(set(v) == {"10", str(antal), "equal"} for v in storlekar.values())
    assert ut["queries_equal_at_both_sizes"] == all(v["equal"] for v in storlekar.values())
    assert Vardcentral.objects.count() == antal == ut["vardcentraler"]
    assert Svar.objects.count() >= svar_fore


@override_settings(ROOT_URLCONF="bench.urls")
def test_a_page_not_built_yet_is_reported_missing_not_measured(demodata):
    ut = bench_run(
        repetitioner=1,
        storlekar=False,
        matningar=[
            MATNINGAR[0],
            Matning("framtida", "planerare", _get("uppfoljning:finns_inte_an")),
        ],
    )
    assert ut["measurements"]["framtida"] == {
        "missing": "URL-namnet uppfoljning:finns_inte_an finns inte (sidan är inte byggd än)"
    }
    assert "queries_by_size" not in ut


def test_loadtest_users_are_spread_by_region_with_their_own_assessments(demodata):
    plan = loadtest_users_prepare(antal=30, losenord="hemligt-lasttest-1")
    planerare, chefer = plan["planerare"], plan["verksamhetschefer"]
    assert len(planerare) == 30 and 0 < len(chefer) <= 30
    regioner = [u["region"] for u in planerare]
    assert regioner.count("01") == max(regioner.count(k) for k in set(regioner))
    assert all(u["dashboard"] and u["gaprapporter"] and u["fardplaner"] for u in planerare)
    assert all(u["formular"] and u["gaprapport"] and u["fardplan"] and u["saves"] for u in chefer)
    # Each chief leads the unit whose self-assessment it saves in, and no two share one.
    assert len({u["sjalvskattning"] for u in chefer}) == len(chefer)
    for u in chefer:
        profil = Profil.objects.get(anvandare__username=u["username"])
        assert profil.roll == Profil.Roll.VERKSAMHETSCHEF
        assert [v.hsa_id for v in profil.vardcentraler.all()] == [u["gaprapport"].split("/")[-3]]
    sparade = [s["path"] for u in chefer for s in u["saves"]]
    assert len(sparade) == len(set(sparade))  # no two users save the same answer
    antal = Profil.objects.filter(anvandare__username__startswith="last-").count()
    assert antal == len(planerare) + len(chefer)
    # Idempotent.
    loadtest_users_prepare(antal=30, losenord="hemligt-lasttest-1")
    assert Profil.objects.filter(anvandare__username__startswith="last-").count() == antal


def test_loadtest_locust_alternates_instances_without_errors_or_lost_saves(
    live_server, transactional_db, tmp_path
):
    """Locust for a few seconds, closed loop, against the live server listed twice, so each
    user alternates between two "instances" as in the two-instance run; then the database
    check of the saves and the explicit cross-instance check."""
    from vardcentraler.models import Kommun, Region
    from vardcentraler.referensdata import referensdata_load

    referensdata_load(Region, Kommun)
    call_command("load_malbild", verbosity=0)
    demodata_create(scale="demo", seed=2024, nu=NU)
    plan = loadtest_users_prepare(antal=2, losenord="hemligt-lasttest-1")
    plan["password"] = "hemligt-lasttest-1"
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    url = f"http://127.0.0.1:{urlparse(live_server.url).port}"
    instanser = [url, url]
    # A planner and a chief at once; on SQLite one after the other, as the in-memory test
    # database locks whole tables under concurrent writes.
    omgangar = [()] if connection.vendor == "postgresql" else [("Planerare",), ("Verksamhetschef",)]
    r = {"by_kind": {}, "failures": [], "sparningar": {}}
    for klasser in omgangar:
        ut = locust_run(
            sys.executable,
            instanser=instanser,
            plan_fil=tmp_path / "plan.json",
            resultat_fil=tmp_path / "resultat.json",
            users=2 // len(omgangar),
            spawn_rate=2,
            sekunder=4,
            betanketid=False,
            schema="http",
            klasser=klasser,
        )
        assert ut["all"]["errors"] == 0, ut["failures"]
        assert ut["all_but_login"]["p95_ms"] > 0
        r["by_kind"] |= ut["by_kind"]
        r["sparningar"] |= ut["sparningar"]
    assert {"inloggning", "regionoversikt", "gaprapport", "formular", "sparning"} <= set(
        r["by_kind"]
    ), r["by_kind"]
    kontroll = sparningar_check(r["sparningar"])
    assert kontroll["saves"] == r["by_kind"]["sparning"]["requests"] > 0
    assert kontroll["lost"] == []
    # The check can fail: one save more than the database holds is reported lost.
    path, rad = next(iter(r["sparningar"].items()))
    assert [
        x["path"] for x in sparningar_check({path: rad | {"antal": rad["antal"] + 1}})["lost"]
    ] == [path]

    fel, sparning = instanser_korskontroll(instanser, plan, schema="http")
    assert fel == []
    assert sparningar_check(sparning)["lost"] == []
