"""The benchmark harness and the load-test driver, run for real on demo-scale data."""

import datetime as dt
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from bench.harness import MATNINGAR, Matning, _get, bench_run
from demodata import demodata_create
from loadtest.prepare import loadtest_users_prepare
from loadtest.run import Anvandare, kor_last
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
    users = plan["users"]
    assert len(users) == 30
    regioner = [u["region"] for u in users]
    assert regioner.count("01") == max(regioner.count(k) for k in set(regioner))
    assert Profil.objects.filter(anvandare__username__startswith="last-").count() == 30
    sparade = [s["path"] for u in users for s in u["saves"]]
    assert len(sparade) == len(set(sparade))  # no two users save the same answer
    # Idempotent.
    loadtest_users_prepare(antal=30, losenord="hemligt-lasttest-1")
    assert Profil.objects.filter(anvandare__username__startswith="last-").count() == 30


def test_loadtest_driver_logs_in_and_runs_every_kind_without_errors(live_server, transactional_db):
    from vardcentraler.models import Kommun, Region
    from vardcentraler.referensdata import referensdata_load

    referensdata_load(Region, Kommun)
    call_command("load_malbild", verbosity=0)
    demodata_create(scale="demo", seed=2024, nu=NU)
    # The in-memory SQLite test database locks whole tables under concurrent writes;
    # concurrency is what PostgreSQL (and the real load test) is for.
    samtidiga = 4 if connection.vendor == "postgresql" else 1
    plan = loadtest_users_prepare(antal=samtidiga, losenord="hemligt-lasttest-1")
    port = urlparse(live_server.url).port
    anvandare = [Anvandare(port, u, schema="http") for u in plan["users"]]
    for a in anvandare:
        a.login(plan["login"], "hemligt-lasttest-1")
    byggda = {k for a in anvandare for k, _ in a.kinds()}
    if not byggda:
        pytest.skip("Varken översikt, gaprapport eller sparning finns ännu att belasta.")
    ut = kor_last(anvandare, duration=5, max_requests=40)
    assert ut["errors"] == 0, ut
    assert 0 < ut["requests"] <= 40
    for kind in byggda:
        assert ut["by_kind"][kind]["requests"] > 0, kind
