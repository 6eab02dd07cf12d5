import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProfilFactory, UserFactory, region
from tests.uppfoljning.data import enheter_skapa, malnivaer_skapa, omgang_skapa, svar_skapa
from uppfoljning.sammanfattning import sammanfattning_rebuild
from vardcentraler.models import Profil, Vardcentral

pytestmark = pytest.mark.django_db


@pytest.fixture
def sthlm_data(stockholm, vc_stockholm):
    enheter = [vc_stockholm, *enheter_skapa(stockholm, 7)]
    o1, o2 = omgang_skapa(stockholm, 2025), omgang_skapa(stockholm, 2026)
    malnivaer_skapa(o2, 3)
    svar_skapa(o1, enheter, seed=5)
    svar_skapa(o2, enheter, seed=6)
    return enheter, o1, o2


def test_start_sends_each_role_to_its_view(client, planerare, chef, nationell):
    client.force_login(planerare)
    assert (
        client.get(reverse("uppfoljning:uppfoljning_start"))["Location"]
        == "/uppfoljning/region/01/"
    )
    client.force_login(chef)  # a manager of one unit: that unit's own page
    vc = chef.profil.vardcentraler.get()
    assert client.get(reverse("uppfoljning:uppfoljning_start"))["Location"] == reverse(
        "uppfoljning:gaprapport_detail", args=[vc.hsa_id]
    )
    client.force_login(nationell)
    assert (
        client.get(reverse("uppfoljning:uppfoljning_start"))["Location"]
        == "/uppfoljning/nationellt/"
    )


def test_region_dashboard_page_and_partial(client, planerare, sthlm_data):
    client.force_login(planerare)
    url = reverse("uppfoljning:region_oversikt", args=["01"])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and 'id="oversikt"' in html
    assert 'data-figur="fordelning-data"' in html and 'id="trend-data"' in html
    ov = response.context["oversikt"]
    assert ov.antal_enheter == 8 and len(ov.rader) == 8
    assert response["Vary"].count("HX-Request") == 1

    response = client.get(url, {"driftsform": "privat", "sortera": "-team"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="oversikt">')
    ov = response.context["oversikt"]
    assert ov.antal_enheter == 3
    assert all(r.vardcentral.driftsform == "privat" for r in ov.rader)
    nivaer = [r.nivaer["team"] for r in ov.rader if r.nivaer["team"] is not None]
    assert nivaer == sorted(nivaer, reverse=True)
    # Sorting links keep the filter; the export links keep it too but drop the sort.
    assert response.context["sortering"]["team"]["url"] == "?driftsform=privat&sortera=team"
    assert response.context["exportparametrar"] == "?driftsform=privat"
    assert 'aria-sort="descending"' in html


def test_history_restore_gets_the_whole_page(client, planerare, sthlm_data):
    client.force_login(planerare)
    response = client.get(
        reverse("uppfoljning:region_oversikt", args=["01"]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in response.content.decode()


def test_an_invalid_filter_is_reported_and_ignored(client, planerare, sthlm_data):
    client.force_login(planerare)
    response = client.get(reverse("uppfoljning:region_oversikt", args=["01"]), {"kommun": "9999"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert response.context["oversikt"].antal_enheter == 8


def test_the_manager_sees_only_the_own_unit(client, chef, vc_stockholm, sthlm_data):
    client.force_login(chef)
    response = client.get(reverse("uppfoljning:region_oversikt", args=["01"]))
    ov = response.context["oversikt"]
    assert [r.vardcentral for r in ov.rader] == [vc_stockholm]
    assert ov.median_per_tema["team"].undertryckt  # one unit is no comparison
    _enheter, o1, _o2 = sthlm_data
    vc_stockholm.sjalvskattningar.filter(omgang__namn="01-2026").update(status="pagar")
    sammanfattning_rebuild()  # the update went past the services
    response = client.get(reverse("uppfoljning:region_oversikt", args=["01"]))
    assert response.context["oversikt"].omgang == o1  # the last round the unit submitted
    assert f'<option value="{o1.pk}" selected>' in response.content.decode()
    assert "Dina vårdcentraler" in response.content.decode()


def test_gap_report_context_and_round_choice(client, planerare, vc_stockholm, sthlm_data):
    _enheter, o1, o2 = sthlm_data
    client.force_login(planerare)
    url = reverse("uppfoljning:gaprapport_detail", args=[vc_stockholm.hsa_id])
    response = client.get(url)
    assert response.status_code == 200
    rapport = response.context["rapport"]
    assert rapport.omgang == o2 and len(rapport.teman) == 6
    gaps = [t.gap or 0 for t in rapport.teman]
    assert gaps == sorted(gaps, reverse=True)
    html = response.content.decode()
    assert html.count("<h1") == 1 and 'id="gap-data"' in html and "Styrkor" in html
    assert response.context["gap_figur"]["data"][0]["name"] == "Nuvarande nivå"
    assert client.get(url, {"omgang": o1.pk}).context["rapport"].omgang == o1
    assert client.get(url, {"omgang": "x"}).context["rapport"].omgang == o2


def test_national_view_for_the_national_reader(client, nationell, sthlm_data):
    client.force_login(nationell)
    response = client.get(reverse("uppfoljning:nationell_oversikt"))
    assert response.status_code == 200
    ov = response.context["oversikt"]
    assert len(ov.rader) == 21
    html = response.content.decode()
    assert "Region Stockholm" in html and "Demo" not in html
    assert not any(vc.namn in html for vc in Vardcentral.objects.all())


def test_detail_page_links_to_the_gap_report(client, planerare, vc_stockholm):
    client.force_login(planerare)
    html = client.get(vc_stockholm.get_absolute_url()).content.decode()
    assert reverse("uppfoljning:gaprapport_detail", args=[vc_stockholm.hsa_id]) in html


# --- the same number of queries for 10 and for 200 units ------------------------------


def _fyll(kod, antal):
    reg = region(kod)
    enheter = enheter_skapa(reg, antal)
    o1, o2 = omgang_skapa(reg, 2025), omgang_skapa(reg, 2026)
    malnivaer_skapa(o2)
    svar_skapa(o1, enheter, seed=7)
    svar_skapa(o2, enheter, seed=8)
    return enheter


def _antal_fragor(client, url, **params):
    client.get(url, params)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _planerare_for(kod):
    return ProfilFactory(
        anvandare=UserFactory(username=f"pl-{kod}"), roll=Profil.Roll.PLANERARE, region=region(kod)
    ).anvandare


def test_region_dashboard_queries_do_not_grow_with_units(client):
    from django.core.cache import cache

    _fyll("01", 10)
    _fyll("03", 200)
    antal = {}
    for kod in ("01", "03"):
        client.force_login(_planerare_for(kod))
        url = f"/uppfoljning/region/{kod}/"
        # From the cache: 13 (the user and the region, the rounds and the filter form's
        # choices, the fingerprint's six queries); rendered: the selector's seven more.
        # The local-memory cache here reads and writes without a query; the database
        # cache adds one read (and its writes on a miss).
        traff = _antal_fragor(client, url, driftsform="regional")
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"driftsform": "regional"}).status_code == 200
        antal[kod] = (traff, len(ctx.captured_queries))
    assert antal["01"] == antal["03"] == (13, 20)


def test_gap_report_queries_do_not_grow_with_units(client):
    sma = _fyll("01", 10)
    stora = _fyll("03", 200)
    client.force_login(_planerare_for("01"))
    liten = _antal_fragor(client, f"/uppfoljning/vardcentral/{sma[0].hsa_id}/gap/")
    client.force_login(_planerare_for("03"))
    stor = _antal_fragor(client, f"/uppfoljning/vardcentral/{stora[0].hsa_id}/gap/")
    # 11 for the report, +3 for "Så har andra gjort" (malbild.selectors.exempel_for_kriterier).
    # The second request finds the comparison counts in the (local-memory) cache; with the
    # database cache its read is one query more, and the first request counts them.
    assert liten == stor == 14


def test_national_view_queries_do_not_grow_with_units(client, nationell):
    client.force_login(nationell)
    _fyll("01", 10)
    liten = _antal_fragor(client, "/uppfoljning/nationellt/")
    _fyll("03", 200)
    stor = _antal_fragor(client, "/uppfoljning/nationellt/")
    assert liten == stor == 7


def test_a_motivation_typed_before_the_answer_counts_as_unanswered(
    client, planerare, vc_stockholm, malbild_version
):
    from vardcentraler.models import Sjalvskattning, Svar

    omgang = omgang_skapa(region("01"), 2026)
    malnivaer_skapa(omgang, 3)
    skattning, _ = Sjalvskattning.objects.get_or_create(omgang=omgang, vardcentral=vc_stockholm)
    kriterium = malbild_version.teman.get(ordning=1).kriterier.first()
    Svar.objects.create(sjalvskattning=skattning, kriterium=kriterium, typ="", motivering="Utkast")
    client.force_login(planerare)
    response = client.get(reverse("uppfoljning:gaprapport_detail", args=[vc_stockholm.hsa_id]))
    assert response.status_code == 200
    rad = next(
        r
        for t in response.context["rapport"].teman
        for r in t.kriterier
        if r.kriterium.pk == kriterium.pk
    )
    assert rad.visning == "Ej besvarat"


def test_dashboard_rows_escape_names_and_link_to_the_gap_report(
    client, planerare, vc_stockholm, sthlm_data
):
    """The heatmap, fallen-theme and overdue-action rows are rendered in Python: what a
    user typed is escaped there as the template would, and the links are the real ones."""
    import datetime

    from malbild.models import Kriterium
    from tests.factories import AtgardFactory
    from vardcentraler.models import Atgard

    _enheter, _o1, o2 = sthlm_data
    Vardcentral.objects.filter(pk=vc_stockholm.pk).update(namn="Vc <Söder> & Co")
    AtgardFactory(
        vardcentral=vc_stockholm,
        kriterium=Kriterium.objects.for_version(o2.malbild_version).first(),
        omgang=o2,
        beskrivning="<script>alert(1)</script> " + "x" * 120,
        ansvarig='Anna "A" Andersson',
        start=datetime.date(2020, 1, 1),
        klar_senast=datetime.date(2020, 3, 1),
        status=Atgard.Status.PLANERAD,
    )
    client.force_login(planerare)
    html = client.get(reverse("uppfoljning:region_oversikt", args=["01"])).content.decode()
    gap = reverse("uppfoljning:gaprapport_detail", args=[vc_stockholm.hsa_id])
    assert f'<a href="{gap}?omgang={o2.pk}">Vc &lt;Söder&gt; &amp; Co</a>' in html
    assert f'<a href="{gap}">Vc &lt;Söder&gt; &amp; Co</a>' in html  # the overdue action
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "x" * 100 not in html and "…" in html  # shortened to 90 characters
    assert "Anna &quot;A&quot; Andersson" in html and "1 mars 2020" in html
    assert "<Söder>" not in html


def test_region_dashboard_says_which_round_and_filters_below_target(client, planerare, sthlm_data):
    client.force_login(planerare)
    url = reverse("uppfoljning:region_oversikt", args=["01"])
    html = client.get(url).content.decode()
    assert 'class="omgangsval"' in html and "Visar omgång" in html
    assert 'aria-sort="descending"' in html  # the total gap, largest first
    assert "av 8 vc" in html  # every median says how many units it rests on
    html = client.get(url, {"under_mal": "team", "farg": "niva"}).content.decode()
    assert "heat--" in html and "Färga efter gap till målnivån" in html
    response = client.get(url, {"under_mal": "inget-sadant"})
    assert response.status_code == 200 and "Urvalet kunde inte användas helt" in (
        response.content.decode()
    )


def test_region_dashboard_shows_the_longest_overdue_and_links_to_all(client, planerare, sthlm_data):
    import datetime

    from malbild.models import Kriterium
    from tests.factories import AtgardFactory
    from uppfoljning.selectors.region import FORSENADE_VISA

    enheter, _o1, o2 = sthlm_data
    k = Kriterium.objects.for_version(o2.malbild_version).first()
    for i in range(FORSENADE_VISA + 3):
        AtgardFactory(
            vardcentral=enheter[0],
            kriterium=k,
            omgang=o2,
            beskrivning=f"Åtgärd nr {i:02d}",
            start=datetime.date(2020, 1, 1),
            klar_senast=datetime.date(2020, 3, 1) + datetime.timedelta(days=i),
        )
    client.force_login(planerare)
    html = client.get(reverse("uppfoljning:region_oversikt", args=["01"])).content.decode()
    lista = reverse("uppfoljning:atgard_list", args=["01"])
    assert f'<a href="{lista}?forsenad=1">se alla {FORSENADE_VISA + 3} i åtgärdslistan</a>' in html
    assert "Åtgärd nr 00" in html and f"Åtgärd nr {FORSENADE_VISA - 1:02d}" in html
    assert f"Åtgärd nr {FORSENADE_VISA:02d}" not in html
    assert f'<span class="stat__value">{FORSENADE_VISA + 3}</span>' in html


def test_action_list_page_and_exports(client, planerare, sthlm_data):
    import datetime

    from malbild.models import Kriterium
    from tests.factories import AtgardFactory

    enheter, _o1, o2 = sthlm_data
    AtgardFactory(
        vardcentral=enheter[0],
        kriterium=Kriterium.objects.for_version(o2.malbild_version).first(),
        omgang=o2,
        beskrivning="Inför <screening>",
        start=datetime.date(2020, 1, 1),
        klar_senast=datetime.date(2020, 3, 1),
    )
    client.force_login(planerare)
    url = reverse("uppfoljning:atgard_list", args=["01"])
    html = client.get(url, {"forsenad": "on"}).content.decode()
    assert 'id="forsenade"' in html and "Inför &lt;screening&gt;" in html
    assert "Visar 1 av 1" in html and "#kriterium-" in html
    html = client.get(url, {"status": "klar"}).content.decode()
    assert "Inga åtgärder matchar urvalet" in html
    csv = b"".join(client.get(reverse("uppfoljning:atgard_export_csv", args=["01"])))
    assert "Inför <screening>".encode() in csv and "Försenad".encode() in csv
    xlsx = client.get(reverse("uppfoljning:atgard_export_xlsx", args=["01"]))
    assert xlsx.status_code == 200 and b"".join(xlsx)[:2] == b"PK"


def test_national_view_round_choice_sorting_and_export(client, nationell, stockholm):
    client.force_login(nationell)
    assert "Det finns inga inskickade" in client.get("/uppfoljning/nationellt/").content.decode()
    enheter = enheter_skapa(stockholm, 6)
    svar_skapa(omgang_skapa(stockholm, 2025, namn="2025"), enheter, niva=2)
    html = client.get("/uppfoljning/nationellt/", {"sortera": "team"}).content.decode()
    assert "Visar omgång 2025" in html and 'aria-sort="ascending"' in html
    assert "6 vc" in html
    csv = b"".join(client.get(reverse("uppfoljning:nationell_export_csv"), {"omgang": "2025"}))
    text = csv.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Regionkod;Region;Omgång")
    assert "01;Region Stockholm;2025;6;" in text


DATABASCACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "delad_cache",
    },
}


def test_a_submission_through_the_service_shows_on_both_pages_with_the_figures_cached(
    client, omgang, kriterier, vc_stockholm, planerare, nationell
):
    """The national view and the gap report read the shared figures from the cache under
    the rounds' summary versions, which they read with their own round queries: a submit
    through the real service must show on the next request, not the cached figures."""
    from django.core.management import call_command
    from django.test import override_settings

    from vardcentraler.models import Svar
    from vardcentraler.omgangar import services, services_granskning

    gap_url = reverse("uppfoljning:gaprapport_detail", args=[vc_stockholm.hsa_id])
    nat_url = reverse("uppfoljning:nationell_oversikt")

    def sidor():
        client.force_login(planerare)
        client.get(gap_url)  # the first request of a round fills the cache; the next reads it
        gap = client.get(gap_url)
        client.force_login(nationell)
        client.get(nat_url)
        nat = client.get(nat_url)
        rapport = gap.context["rapport"]
        return (
            {r.kriterium.pk: r.region_median.antal for t in rapport.teman for r in t.kriterier},
            rapport.nationellt_enheter,
            gap.content.decode(),
            nat.context["oversikt"].antal_enheter,
            nat.content.decode(),
        )

    with override_settings(CACHES=DATABASCACHE):
        call_command("createcachetable", verbosity=0)
        region_fore, riket_fore, gap_fore, nat_fore, nat_html_fore = sidor()
        assert riket_fore == nat_fore == 2  # Cedervik and Dalby
        assert '<th scope="row">Riket</th><td class="num">2</td>' in nat_html_fore
        s = omgang.sjalvskattningar.select_related("omgang").get(vardcentral=vc_stockholm)
        services.svar_save_many(
            sjalvskattning=s,
            data=[
                services.SvarData(
                    kriterium=k, typ=Svar.Typ.NIVA, niva=1, motivering="", underlag="", version=0
                )
                for k in kriterier
            ],
            anvandare=planerare,
        )
        services_granskning.sjalvskattning_submit(sjalvskattning=s, anvandare=planerare)
        region_efter, riket_efter, gap_efter, nat_efter, nat_html_efter = sidor()
    # Every criterion has one level answer more in the region (the themes' order moves).
    assert region_efter == {pk: n + 1 for pk, n in region_fore.items()}
    assert riket_efter == nat_efter == 3
    assert "av 3)" in gap_efter and "av 3)" not in gap_fore
    assert '<th scope="row">Riket</th><td class="num">3</td>' in nat_html_efter
