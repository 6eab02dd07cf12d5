"""Views for rounds and self-assessments: pages, htmx partials, refusals, query counts."""

import datetime

import pytest
from django.urls import reverse

from vardcentraler.models import Atgard, Omgang, Sjalvskattning
from vardcentraler.omgangar import services

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def s(omgang, vc_stockholm):
    return Sjalvskattning.objects.select_related("omgang", "vardcentral").get(
        omgang=omgang, vardcentral=vc_stockholm
    )


def url(namn, s, *args):
    return reverse(f"vardcentraler:{namn}", args=[s.omgang_id, s.vardcentral.hsa_id, *args])


def post_svar(client, s, k, svar="3", motivering="", underlag="", version=0, **extra):
    data = {
        f"k{k.pk}-svar": svar,
        f"k{k.pk}-motivering": motivering,
        f"k{k.pk}-underlag": underlag,
        f"k{k.pk}-version": version,
    }
    data.update(extra)
    return client.post(url("svar_save", s, k.pk), data, **HTMX)


def test_planner_opens_a_round_and_lands_on_the_targets(
    client, planerare, malbild_version, vc_stockholm
):
    client.force_login(planerare)
    response = client.post(
        reverse("vardcentraler:omgang_create"),
        {
            "namn": "2027",
            "malbild_version": malbild_version.pk,
            "period_start": "2027-01-01",
            "period_slut": "2027-12-31",
            "sista_dag": "2027-10-31",
        },
    )
    omgang = Omgang.objects.get(namn="2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("vardcentraler:malniva_update", args=[omgang.pk])
    assert omgang.sjalvskattningar.count() == 1


def test_a_bad_round_form_answers_422_and_creates_nothing(
    client, planerare, malbild_version, omgang
):
    client.force_login(planerare)
    response = client.post(
        reverse("vardcentraler:omgang_create"),
        {
            "namn": "2026",
            "malbild_version": malbild_version.pk,
            "period_start": "2026-01-01",
            "period_slut": "2025-12-31",
            "sista_dag": "2026-10-31",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "redan en omgång som heter" in text and "error-summary" in text
    assert Omgang.objects.count() == 1


def test_targets_are_saved_and_a_bad_level_is_refused(client, planerare, omgang, kriterier):
    client.force_login(planerare)
    adress = reverse("vardcentraler:malniva_update", args=[omgang.pk])
    data = {f"k{k.pk}": "4" for k in kriterier}
    data[f"k{kriterier[0].pk}"] = "9"
    response = client.post(adress, data)
    assert response.status_code == 422
    assert "Målnivån ska vara en nivå mellan 1 och 4" in response.content.decode()
    assert omgang.malnivaer.get(kriterium=kriterier[0]).niva == 4
    data[f"k{kriterier[0].pk}"] = "3"
    assert client.post(adress, data).status_code == 302
    assert omgang.malnivaer.get(kriterium=kriterier[0]).niva == 3


def test_the_round_page_filters_sorts_and_answers_htmx_with_the_table_only(
    client, planerare, omgang, s, kriterier
):
    services.svar_save(
        sjalvskattning=s,
        data=services.SvarData(kriterier[0], "niva", 2, "", "", 0),
        anvandare=planerare,
    )
    client.force_login(planerare)
    adress = reverse("vardcentraler:omgang_detail", args=[omgang.pk])
    page = client.get(adress)
    assert page.status_code == 200 and "1 av 37" in page.content.decode()
    partial = client.get(adress, {"status": "inskickad", "sortera": "-framsteg"}, **HTMX)
    text = partial.content.decode()
    assert "<html" not in text and 'id="omgang-tabell"' in text
    assert "1 vårdcentraler" in text and "Cedervik" in text  # the fixture's inskickad unit
    assert client.get(adress, {"status": "pagar"}, **HTMX).content.decode().count("Åkerby") == 1


def test_the_form_shows_every_criterion_as_a_radio_group(client, chef, s, kriterier):
    client.force_login(chef)
    text = client.get(url("sjalvskattning_detail", s)).content.decode()
    assert text.count("<fieldset") == 37
    assert text.count('value="vet_ej"') == 37 and text.count('value="ej_tillampligt"') == 37
    assert text.count("<h1") == 1


def test_the_form_page_has_a_bounded_number_of_queries(
    client, chef, s, django_assert_max_num_queries
):
    client.force_login(chef)
    with django_assert_max_num_queries(14):
        assert client.get(url("sjalvskattning_detail", s)).status_code == 200


def test_htmx_save_returns_the_status_partial_with_progress(client, chef, s, kriterier):
    client.force_login(chef)
    response = post_svar(client, s, kriterier[0], svar="2", motivering="Vi följer rutinen")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text
    assert "Sparat" in text
    assert f'name="k{kriterier[0].pk}-version" value="1"' in text
    assert 'id="framsteg-totalt" hx-swap-oob="innerHTML">1 av 37' in text
    assert "Under regionens mål (nivå 4)" in text
    svar = s.svar.get()
    assert (svar.niva, svar.motivering, svar.andrad_av) == (2, "Vi följer rutinen", chef)


def test_one_htmx_save_runs_a_fixed_number_of_queries(
    client, chef, s, kriterier, django_assert_num_queries
):
    """Session, user, profile, assessment, the policy's check that the unit is the chef's own,
    criterion+target, the assessment's lock (with the round's status), answer row lock, write,
    history row, time stamp, progress: 12 statements, plus the savepoint pair of the request's
    atomic block
    inside the test transaction. A criterion's first save adds a savepoint pair around the INSERT
    (a concurrent first save must turn into a conflict, not an error)."""
    client.force_login(chef)
    post_svar(client, s, kriterier[0], svar="2")  # the assessment is started
    with django_assert_num_queries(16):
        assert post_svar(client, s, kriterier[1], svar="3").status_code == 200  # first save
    with django_assert_num_queries(14):
        assert post_svar(client, s, kriterier[1], svar="4", version=1).status_code == 200


def test_a_stale_htmx_save_answers_409_with_the_other_persons_value(
    client, chef, planerare, s, kriterier
):
    k = kriterier[0]
    client.force_login(planerare)
    post_svar(client, s, k, svar="3", motivering="Planerarens text")
    client.force_login(chef)
    response = post_svar(client, s, k, svar="1", version=0)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Någon annan" in text and "nivå 3" in text and "Planerarens text" in text
    assert "Behåll mitt svar" in text and "Ta deras svar" in text
    assert s.svar.get().niva == 3
    # keep mine
    response = post_svar(client, s, k, svar="1", version=0, **{f"k{k.pk}-behall": 1})
    assert response.status_code == 200
    assert s.svar.get().niva == 1
    # take theirs: the criterion as stored
    response = client.get(url("svar_detail", s, k.pk), **HTMX)
    assert f'id="kriterium-{k.pk}"' in response.content.decode()


@pytest.mark.parametrize(
    ("falt", "varde", "meddelande"),
    [
        ("svar", "7", "Välj en nivå mellan 1 och 4"),
        ("motivering", "x" * 4001, "högst 4000 tecken"),
        ("underlag", "x" * 2001, "högst 2000 tecken"),
        ("version", "abc", "Ogiltig version"),
    ],
)
def test_bad_input_answers_422_and_changes_nothing(
    client, chef, s, kriterier, falt, varde, meddelande
):
    client.force_login(chef)
    k = kriterier[0]
    data = {"svar": "2", "motivering": "", "underlag": "", "version": 0, falt: varde}
    response = post_svar(client, s, k, **data)
    assert response.status_code == 422
    assert meddelande in response.content.decode()
    assert s.svar.count() == 0


def test_text_is_escaped(client, chef, s, kriterier):
    client.force_login(chef)
    post_svar(client, s, kriterier[0], motivering="<script>alert(1)</script>")
    text = client.get(url("sjalvskattning_detail", s)).content.decode()
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text


def test_a_criterion_of_another_version_or_unknown_id(client, chef, s):
    client.force_login(chef)
    response = client.post(url("svar_save", s, 999999), {}, **HTMX)
    assert response.status_code == 404


def test_no_js_theme_save_saves_the_theme_and_redirects(client, chef, s, kriterier):
    client.force_login(chef)
    tema = [k for k in kriterier if k.tema_id == kriterier[0].tema_id]
    data = {}
    for k in tema:
        data.update(
            {
                f"k{k.pk}-svar": "vet_ej",
                f"k{k.pk}-motivering": "",
                f"k{k.pk}-underlag": "",
                f"k{k.pk}-version": 0,
            }
        )
    response = client.post(url("sjalvskattning_tema_save", s, tema[0].tema_id), data)
    assert response.status_code == 302
    assert s.svar.filter(typ="vet_ej").count() == len(tema)
    # one bad value: nothing of the theme changes, the typed text is shown again
    data[f"k{tema[0].pk}-svar"] = "2"
    data[f"k{tema[0].pk}-version"] = 1
    data[f"k{tema[1].pk}-motivering"] = "Skrivet men inte sparat"
    data[f"k{tema[2].pk}-svar"] = "12"
    response = client.post(url("sjalvskattning_tema_save", s, tema[0].tema_id), data)
    assert response.status_code == 422
    assert "Skrivet men inte sparat" in response.content.decode()
    assert s.svar.filter(typ="vet_ej").count() == len(tema)


def test_a_locked_assessment_refuses_saves(client, chef, s, kriterier):
    Sjalvskattning.objects.filter(pk=s.pk).update(status=Sjalvskattning.Status.GODKAND)
    client.force_login(chef)
    response = post_svar(client, s, kriterier[0])
    assert response.status_code == 422
    assert "låst" in response.content.decode()
    assert s.svar.count() == 0


def test_another_regions_assessment_is_404_for_saves(client, planerare_uppsala, s, kriterier):
    client.force_login(planerare_uppsala)
    assert post_svar(client, s, kriterier[0]).status_code == 404
    assert s.svar.count() == 0


def test_submit_review_and_reopen_through_the_views(client, chef, planerare, s, kriterier):
    client.force_login(chef)
    response = client.post(url("sjalvskattning_submit", s))
    assert response.status_code == 422
    assert "37 kriterier är inte besvarade" in response.content.decode()
    for k in kriterier:
        services.svar_save(
            sjalvskattning=s, data=services.SvarData(k, "niva", 2, "", "", 0), anvandare=chef
        )
    assert client.post(url("sjalvskattning_submit", s)).status_code == 302
    # the chef may not approve
    assert client.post(url("sjalvskattning_approve", s)).status_code == 404
    client.force_login(planerare)
    response = client.post(url("sjalvskattning_return", s), {"kommentar": ""})
    assert response.status_code == 422 and "Skriv en kommentar" in response.content.decode()
    assert client.post(url("sjalvskattning_approve", s)).status_code == 302
    s.refresh_from_db()
    assert s.status == "godkand"
    assert (
        client.post(url("sjalvskattning_reopen", s), {"anledning": "Ny uppgift"}).status_code == 302
    )
    historik = client.get(url("sjalvskattning_history", s)).content.decode()
    assert "Återöppnad: Ny uppgift" in historik and "Godkänd" in historik


def test_actions_with_half_years(client, chef, s, kriterier):
    k = kriterier[0]
    services.svar_save(
        sjalvskattning=s, data=services.SvarData(k, "niva", 2, "", "", 0), anvandare=chef
    )
    client.force_login(chef)
    adress = url("atgard_create", s) + f"?kriterium={k.pk}"
    assert client.get(adress).status_code == 200
    bad = {
        "beskrivning": "Rutin",
        "ansvarig": "VC-chef",
        "start": "2026-2",
        "klar_senast": "2026-1",
        "status": "planerad",
        "mal_niva": "3",
    }
    response = client.post(adress, bad)
    assert response.status_code == 422 and "före start" in response.content.decode()
    response = client.post(adress, {**bad, "mal_niva": "2"})
    assert response.status_code == 422
    response = client.post(adress, {**bad, "start": "2026-1", "klar_senast": "2026-2"})
    assert response.status_code == 302
    atgard = Atgard.objects.get()
    assert (atgard.start, atgard.klar_senast) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
    response = client.post(
        url("atgard_update", s, atgard.pk), {**bad, "start": "2026-1", "status": "pagar"}
    )
    assert response.status_code == 302
    atgard.refresh_from_db()
    assert atgard.status == "pagar" and atgard.klar_senast == datetime.date(2026, 6, 30)


def test_history_has_bounded_queries(client, chef, s, kriterier, django_assert_max_num_queries):
    for k in kriterier[:10]:
        services.svar_save(
            sjalvskattning=s, data=services.SvarData(k, "niva", 2, "", "", 0), anvandare=chef
        )
        services.svar_save(
            sjalvskattning=s, data=services.SvarData(k, "niva", 3, "", "", 1), anvandare=chef
        )
    client.force_login(chef)
    with django_assert_max_num_queries(10):
        assert client.get(url("sjalvskattning_history", s)).status_code == 200
