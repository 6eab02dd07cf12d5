"""Summaries kept on write: after any sequence of writes through the real services the
rows kept incrementally equal those that ``sammanfattning_rebuild`` builds from the answers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import SvarFactory
from uppfoljning.models import Kriteriesammanfattning, Sammanfattningsversion, Temasammanfattning
from uppfoljning.sammanfattning import sammanfattning_rebuild
from vardcentraler.models import Omgang, Sjalvskattning, Svar
from vardcentraler.omgangar import services, services_granskning, services_utkast

pytestmark = pytest.mark.django_db


def rader() -> tuple[list, list]:
    """Both summary tables as sorted plain tuples."""
    tema = sorted(
        Temasammanfattning.objects.values_list(
            "sjalvskattning_id",
            "omgang_id",
            "vardcentral_id",
            "tema_id",
            "n1",
            "n2",
            "n3",
            "n4",
            "n_vet_ej",
            "n_ej",
            "niva",
            "gap",
        )
    )
    kriterier = sorted(
        Kriteriesammanfattning.objects.values_list(
            "omgang_id", "kriterium_id", "n1", "n2", "n3", "n4", "n_vet_ej", "n_ej"
        )
    )
    return tema, kriterier


def _svar(sjalvskattning, kriterium, typ, niva):
    finns = Svar.objects.filter(sjalvskattning=sjalvskattning, kriterium=kriterium).first()
    return services.SvarData(
        kriterium=kriterium,
        typ=typ,
        niva=niva if typ == Svar.Typ.NIVA else None,
        motivering="",
        underlag="",
        version=finns.version if finns else 0,
    )


TYPER = st.sampled_from([Svar.Typ.NIVA, Svar.Typ.NIVA, Svar.Typ.VET_EJ, Svar.Typ.EJ_TILLAMPLIGT])
STEG = st.one_of(
    st.tuples(st.just("svar"), st.integers(0, 3), st.integers(0, 36), TYPER, st.integers(1, 4)),
    st.tuples(st.just("alla"), st.integers(0, 3), TYPER, st.integers(1, 4)),
    st.tuples(st.just("kopiera"), st.integers(0, 3)),
    st.tuples(st.just("bekrafta"), st.integers(0, 3), st.integers(0, 36)),
    st.tuples(st.just("skicka"), st.integers(0, 3)),
    st.tuples(st.just("godkann"), st.integers(0, 3)),
    st.tuples(st.just("atersand"), st.integers(0, 3)),
    st.tuples(st.just("oppna"), st.integers(0, 3)),
    # A whole theme's targets: one criterion's rarely moves the theme's (their median).
    st.tuples(st.just("malniva"), st.integers(1, 6), st.integers(1, 4)),
    st.tuples(st.just("stang")),
)


@pytest.fixture
def forra(stockholm, malbild_version, omgang, kriterier):
    """A closed round 2025 before ``omgang`` in which every unit answered (copies come from
    here), its answers written in bulk and summarised by the rebuild."""
    o = Omgang.objects.create(
        region=stockholm,
        namn="2025",
        malbild_version=malbild_version,
        period_start=datetime.date(2025, 1, 1),
        period_slut=datetime.date(2025, 12, 31),
        sista_dag=datetime.date(2025, 10, 31),
        status=Omgang.Status.STANGD,
    )
    for i, s in enumerate(omgang.sjalvskattningar.order_by("pk")):
        gammal = Sjalvskattning.objects.create(
            omgang=o, vardcentral=s.vardcentral, status=Sjalvskattning.Status.GODKAND
        )
        for j, k in enumerate(kriterier):
            SvarFactory(sjalvskattning=gammal, kriterium=k, niva=1 + (i + j) % 4)
    sammanfattning_rebuild()
    return o


def _kor(steg, *, omgang, kriterier, anvandare):
    sjalvskattningar = list(
        omgang.sjalvskattningar.select_related("omgang", "vardcentral").order_by("pk")
    )
    for namn, *arg in steg:
        if namn == "malniva":
            o = Omgang.objects.get(pk=omgang.pk)
            try:
                services.malniva_update(
                    omgang=o,
                    nivaer={k.pk: arg[1] for k in kriterier if k.tema.ordning == arg[0]},
                    anvandare=anvandare,
                )
            except ValidationError:
                pass
            continue
        if namn == "stang":
            try:
                services.omgang_close(omgang=Omgang.objects.get(pk=omgang.pk), anvandare=anvandare)
            except ValidationError:
                pass
            continue
        s = sjalvskattningar[arg[0]]
        try:
            if namn == "svar":
                services.svar_save(
                    sjalvskattning=s,
                    data=_svar(s, kriterier[arg[1]], arg[2], arg[3]),
                    anvandare=anvandare,
                )
            elif namn == "alla":
                services.svar_save_many(
                    sjalvskattning=s,
                    data=[_svar(s, k, arg[1], arg[2]) for k in kriterier],
                    anvandare=anvandare,
                )
            elif namn == "kopiera":
                services_utkast.svar_copy_previous(sjalvskattning=s, anvandare=anvandare)
            elif namn == "bekrafta":
                services_utkast.svar_confirm(
                    sjalvskattning=s, kriterie_ids=[kriterier[arg[1]].pk], anvandare=anvandare
                )
            elif namn == "skicka":
                services_granskning.sjalvskattning_submit(sjalvskattning=s, anvandare=anvandare)
            elif namn == "godkann":
                services_granskning.sjalvskattning_approve(sjalvskattning=s, anvandare=anvandare)
            elif namn == "atersand":
                services_granskning.sjalvskattning_return(
                    sjalvskattning=s, kommentar="Komplettera.", anvandare=anvandare
                )
            elif namn == "oppna":
                services_granskning.sjalvskattning_reopen(
                    sjalvskattning=s, anledning="Fel i svaren.", anvandare=anvandare
                )
        except ValidationError:
            pass


class _Aterstall(Exception):
    pass


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steg=st.lists(STEG, min_size=1, max_size=14))
@example(  # every kind of write once, in an order where each takes effect
    steg=[
        ("alla", 0, Svar.Typ.NIVA, 2),
        ("skicka", 0),
        ("godkann", 0),
        ("malniva", 1, 1),
        ("oppna", 0),
        ("svar", 0, 5, Svar.Typ.VET_EJ, 1),
        ("kopiera", 1),
        ("bekrafta", 1, 3),
        ("alla", 1, Svar.Typ.NIVA, 3),
        ("skicka", 1),
        ("atersand", 1),
        ("skicka", 2),
        ("stang",),
    ]
)
def test_upkeep_equals_rebuild_after_any_writes(forra, omgang, kriterier, planerare, steg):
    try:
        with transaction.atomic():
            _kor(steg, omgang=omgang, kriterier=kriterier, anvandare=planerare)
            fore = rader()
            sammanfattning_rebuild()
            assert rader() == fore
            raise _Aterstall
    except _Aterstall:
        pass


def test_a_submitted_assessment_enters_the_summaries_and_a_return_takes_it_out(
    omgang, kriterier, vc_stockholm, planerare
):
    sammanfattning_rebuild()
    s = omgang.sjalvskattningar.select_related("omgang").get(vardcentral=vc_stockholm)
    services.svar_save_many(
        sjalvskattning=s,
        data=[_svar(s, k, Svar.Typ.NIVA, 1) for k in kriterier],
        anvandare=planerare,
    )
    assert not Temasammanfattning.objects.filter(sjalvskattning=s).exists()
    fore = Sammanfattningsversion.objects.get(omgang=omgang)
    services_granskning.sjalvskattning_submit(sjalvskattning=s, anvandare=planerare)
    egna = Temasammanfattning.objects.filter(sjalvskattning=s)
    assert {r.niva for r in egna} == {1.0}
    # The service's target is 4 everywhere: every theme three steps short.
    assert {r.gap for r in egna} == {3.0}
    assert sum(r.n1 for r in egna) == len(kriterier)
    efter = Sammanfattningsversion.objects.get(omgang=omgang)
    # The random part is new too: a counter alone repeats after a rolled-back raise.
    assert efter.version > fore.version and efter.nyckel != fore.nyckel
    services_granskning.sjalvskattning_return(
        sjalvskattning=s, kommentar="Komplettera.", anvandare=planerare
    )
    assert not Temasammanfattning.objects.filter(sjalvskattning=s).exists()


def test_a_draft_answer_costs_the_upkeep_no_query(
    omgang, kriterier, vc_stockholm, planerare, django_assert_num_queries
):
    from uppfoljning.sammanfattning import sjalvskattning_sammanfatta

    s = omgang.sjalvskattningar.get(vardcentral=vc_stockholm)
    with django_assert_num_queries(0):
        sjalvskattning_sammanfatta(sjalvskattning=s)


def test_the_rebuild_command(omgang, capsys):
    Temasammanfattning.objects.all().delete()
    call_command("sammanfattning_rebuild")
    assert "temarader" in capsys.readouterr().out
    # Cedervik (inskickad) and Dalby (godkänd) answered every theme; Björkby (pågår) is not counted.
    assert Temasammanfattning.objects.filter(omgang=omgang).count() == 2 * 6


DATABASCACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "delad_cache",
    },
}


def test_the_shared_figures_in_the_database_cache_follow_every_write(
    omgang, kriterier, vc_stockholm, planerare
):
    from django.db import connection
    from django.test import override_settings

    from uppfoljning.selectors.jamforelse import tema_antal_per_omgang

    with override_settings(CACHES=DATABASCACHE):
        call_command("createcachetable", verbosity=0)
        fore = tema_antal_per_omgang([omgang.pk])[omgang.pk]
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM delad_cache")
            assert cursor.fetchone()[0] == 1  # stored for the next request, any instance
        assert tema_antal_per_omgang([omgang.pk])[omgang.pk] == fore
        s = omgang.sjalvskattningar.select_related("omgang").get(vardcentral=vc_stockholm)
        services.svar_save_many(
            sjalvskattning=s,
            data=[_svar(s, k, Svar.Typ.NIVA, 1) for k in kriterier],
            anvandare=planerare,
        )
        services_granskning.sjalvskattning_submit(sjalvskattning=s, anvandare=planerare)
        efter = tema_antal_per_omgang([omgang.pk])[omgang.pk]
    # The submit raised the round's version: a third self-assessment answers every theme.
    assert efter != fore
    assert {rad[0]: rad[7] for rad in efter} == {rad[0]: rad[7] + 1 for rad in fore}


def test_on_the_demo_data_the_summaries_give_the_figures_counted_from_the_answers():
    """The pages' old aggregation, counting the answers themselves, against what they read
    now: per round × theme (national view, dashboard) and per round × criterion (gap report)."""
    from collections import Counter, defaultdict

    from demodata import demodata_create
    from uppfoljning.selectors.common import RAKNADE, kategori_antal
    from uppfoljning.selectors.jamforelse import (
        kriterium_antal_per_omgang,
        tema_antal_per_omgang,
    )

    demodata_create(scale="demo", seed=2024)
    omgang_ids = list(Omgang.objects.values_list("pk", flat=True))
    per_sjalvskattning = (
        Svar.objects.besvarade()
        .filter(sjalvskattning__status__in=RAKNADE)
        .values_list("sjalvskattning_id", "sjalvskattning__omgang_id", "kriterium__tema_id")
        .annotate(**kategori_antal())
        .order_by()
    )
    vantat: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for _s, omgang_id, tema_id, *n in per_sjalvskattning:
        c = vantat[(omgang_id, tema_id)]
        for i, v in enumerate(n):
            c[i] += v
        c["med_niva"] += 1 if sum(n[:4]) else 0
        c["med_vet_ej"] += 1 if n[4] else 0
        c["med_ej"] += 1 if n[5] else 0
    las = {
        (omgang_id, tema_id): tuple(rad)
        for omgang_id, rader in tema_antal_per_omgang(omgang_ids).items()
        for tema_id, *rad in rader
    }
    assert len(las) == len(vantat) > 6 * 21
    for nyckel, c in vantat.items():
        assert las[nyckel] == (
            *(c[i] for i in range(6)),
            c["med_niva"],
            c["med_vet_ej"],
            c["med_ej"],
        )

    per_kriterium = {
        (o, k): tuple(n)
        for o, k, *n in Svar.objects.besvarade()
        .filter(sjalvskattning__status__in=RAKNADE)
        .values_list("sjalvskattning__omgang_id", "kriterium_id")
        .annotate(**kategori_antal())
        .order_by()
    }
    las_k = {
        (omgang_id, kriterium_id): tuple(rad)
        for omgang_id, rader in kriterium_antal_per_omgang(omgang_ids).items()
        for kriterium_id, *rad in rader
    }
    assert las_k == per_kriterium
