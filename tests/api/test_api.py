"""The API's behaviour: cursor pages, ETags, changed-since, problem details, tokens, rate
limit and query counts."""

import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from lib.tokens import token_hash
from tests.api.conftest import token_for
from tests.factories import SjalvskattningFactory, SvarFactory, VardcentralFactory
from vardcentraler.models import Svar

pytestmark = pytest.mark.django_db


def _alla_sidor(anropa, url, token):
    """Follow ``next`` to the end, as the README's example does."""
    items, sidor = [], 0
    while url:
        data = anropa(url, token).json()
        items += data["items"]
        url = data["next"]
        sidor += 1
    return items, sidor


def test_cursor_pages_give_every_row_once_in_a_stable_order(anropa, api_varld, tokens, kriterier):
    s = api_varld["egen"].s
    for k in kriterier[3:10]:
        SvarFactory(sjalvskattning=s, kriterium=k, typ="vet_ej", niva=None)
    url = reverse("api-v1:svar_list") + f"?omgang={s.omgang_id}&limit=3"
    items, sidor = _alla_sidor(anropa, url, tokens["planerare"])
    ids = [i["id"] for i in items]
    assert (
        ids
        == sorted(ids)
        == sorted(Svar.objects.filter(sjalvskattning=s).values_list("pk", flat=True))
    )
    assert sidor == 4  # 10 answers, 3 a page
    assert {i["typ"] for i in items} == {"niva", "vet_ej"}
    assert items[0]["kriterium_kod"] == kriterier[0].kod
    assert items[0]["tema_kod"] == kriterier[0].tema.kod
    assert items[0]["vardcentral_hsa_id"] == api_varld["egen"].vc.hsa_id


def test_a_row_added_while_paging_does_not_move_the_cursor(anropa, api_varld, tokens, kriterier):
    s = api_varld["egen"].s
    url = reverse("api-v1:svar_list") + f"?omgang={s.omgang_id}&limit=2"
    forsta = anropa(url, tokens["planerare"]).json()
    ny = SvarFactory(sjalvskattning=s, kriterium=kriterier[5])
    andra = anropa(forsta["next"], tokens["planerare"]).json()
    assert [i["id"] for i in andra["items"]] == [
        Svar.objects.filter(sjalvskattning=s).order_by("pk")[2].pk,
        ny.pk,
    ]


@pytest.mark.parametrize(
    ("query", "falt"),
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=tio", "limit"),
        ("cursor=inte-var", "cursor"),
        ("omgang=-1", "omgang"),
        ("omgang=99999999999999999999999", "omgang"),
        ("region=1%00", "region"),
        ("vardcentral=%00", "vardcentral"),
        ("andrad_efter=igar", "andrad_efter"),
    ],
)
def test_bad_input_is_a_swedish_problem_with_the_field(anropa, tokens, query, falt):
    response = anropa(reverse("api-v1:svar_list") + "?" + query, tokens["planerare"])
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Ogiltig förfrågan"
    assert problem["status"] == 400
    assert problem["instance"] == reverse("api-v1:svar_list")
    assert [e["falt"] for e in problem["errors"]] == [falt]
    assert problem["errors"][0]["plats"] == "query"
    assert (
        "Invalid" not in response.content.decode()
        and "Input should" not in response.content.decode()
    )


def test_etag_answers_304_until_the_data_changes(anropa, api_varld, tokens, kriterier):
    url = reverse("api-v1:svar_list") + f"?omgang={api_varld['egen'].omgang.pk}"
    forsta = anropa(url, tokens["planerare"])
    etag = forsta["ETag"]
    assert etag.startswith('"') and forsta["Cache-Control"] == "private, no-cache"
    igen = anropa(url, tokens["planerare"], HTTP_IF_NONE_MATCH=etag)
    assert igen.status_code == 304 and igen.content == b""
    SvarFactory(sjalvskattning=api_varld["egen"].s, kriterium=kriterier[7])
    andrad = anropa(url, tokens["planerare"], HTTP_IF_NONE_MATCH=etag)
    assert andrad.status_code == 200 and andrad["ETag"] != etag


def test_changed_since_returns_only_later_changes(anropa, api_varld, tokens, kriterier):
    s = api_varld["egen"].s
    Svar.objects.filter(sjalvskattning=s).update(andrad=timezone.now() - datetime.timedelta(days=2))
    grans = timezone.now() - datetime.timedelta(days=1)
    nytt = SvarFactory(sjalvskattning=s, kriterium=kriterier[6])
    url = reverse("api-v1:svar_list")
    # Incremental load: an aware ISO time, and a naive one read as Swedish time.
    for tid in (grans.isoformat(), timezone.localtime(grans).replace(tzinfo=None).isoformat()):
        response = anropa(url, tokens["planerare"], QUERY_STRING=urlencode({"andrad_efter": tid}))
        assert [i["id"] for i in response.json()["items"]] == [nytt.pk], tid


def test_an_answer_saved_through_the_service_is_in_the_next_incremental_load(
    anropa, api_varld, tokens, kriterier, planerare
):
    from vardcentraler.omgangar.services import SvarData, svar_save

    s = api_varld["egen"].s
    grans = timezone.now()
    befintligt = Svar.objects.get(sjalvskattning=s, kriterium=kriterier[0])
    data = SvarData(
        kriterium=kriterier[0],
        typ="niva",
        niva=4,
        motivering="Ny rutin",
        underlag="",
        version=befintligt.version,
    )
    svar_save(sjalvskattning=s, data=data, anvandare=planerare)
    url = reverse("api-v1:svar_list") + "?" + urlencode({"andrad_efter": grans.isoformat()})
    items = anropa(url, tokens["planerare"]).json()["items"]
    assert [(i["id"], i["niva"], i["motivering"]) for i in items] == [
        (befintligt.pk, 4, "Ny rutin")
    ]


def test_instrument_is_the_yaml_as_json(anropa, tokens, malbild_version, kriterier):
    data = anropa(
        reverse("api-v1:malbild_version_detail", args=[malbild_version.slug]), tokens["nationell"]
    ).json()
    assert data["slug"] == malbild_version.slug
    assert [k["kod"] for t in data["teman"] for k in t["kriterier"]] == [k.kod for k in kriterier]
    assert all(len(k["nivaer"]) == 4 for t in data["teman"] for k in t["kriterier"])
    assert data["teman"][0]["kortnamn"] == kriterier[0].tema.kortnamn


# --- Tokens --------------------------------------------------------------------------------------


def test_a_token_is_stored_hashed_and_records_its_last_use(anropa, planerare):
    token = token_for(planerare)
    rad = ApiToken.objects.get(anvandare=planerare)
    assert rad.nyckel_hash == token_hash(token) and token not in rad.nyckel_hash
    assert rad.senast_anvand is None
    assert anropa(reverse("api-v1:region_list"), token).status_code == 200
    rad.refresh_from_db()
    assert rad.senast_anvand is not None


@pytest.mark.parametrize("token", ["", "mb_fel", "Bearer", "x" * 5000])
def test_a_wrong_token_is_401(anropa, token):
    response = anropa(reverse("api-v1:region_list"), token or None)
    assert response.status_code == 401
    assert response.json()["title"] == "Inloggning krävs"


def test_an_inactive_user_token_is_401(anropa, planerare):
    token = token_for(planerare)
    planerare.is_active = False
    planerare.save()
    assert anropa(reverse("api-v1:region_list"), token).status_code == 401


def test_rate_limit_answers_429_with_retry_after(anropa, planerare, settings):
    settings.API_ANROP_PER_MINUT = 2
    token, annan = token_for(planerare), token_for(planerare)
    url = reverse("api-v1:region_list")
    assert [anropa(url, token).status_code for _ in range(2)] == [200, 200]
    response = anropa(url, token)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Retry-After" in response.json()["detail"]
    assert anropa(url, annan).status_code == 200  # per token


# --- Query counts -------------------------------------------------------------------------------


def _antal_fragor(anropa, url, token) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert anropa(url, token).status_code == 200
    return len(ctx.captured_queries)


LISTOR = [
    "svar_list",
    "sjalvskattning_list",
    "atgard_list",
    "malniva_list",
    "krav_list",
    "vardcentral_list",
    "omgang_list",
    "kommun_list",
    "region_list",
    "malbild_version_list",
]


@pytest.mark.parametrize("namn", LISTOR)
def test_query_count_is_constant_in_page_size_and_data(anropa, api_varld, tokens, kriterier, namn):
    token = tokens["planerare"]
    url = reverse(f"api-v1:{namn}")
    anropa(url, token)  # the token's last use is written at most once a minute: not counted below
    liten = _antal_fragor(anropa, url + "?limit=1", token)
    stor = _antal_fragor(anropa, url + "?limit=500", token)
    # More data: ten more units with an answer to every criterion.
    omgang = api_varld["egen"].omgang
    for _ in range(10):
        s = SjalvskattningFactory(omgang=omgang, vardcentral=VardcentralFactory())
        Svar.objects.bulk_create(
            Svar(sjalvskattning=s, kriterium=k, typ="niva", niva=3) for k in kriterier
        )
    mer_data = _antal_fragor(anropa, url + "?limit=500", token)
    nasta_sida = anropa(url + "?limit=2", token).json()["next"]
    assert liten == stor == mer_data, (liten, stor, mer_data)
    if nasta_sida:
        assert _antal_fragor(anropa, nasta_sida, token) == liten
    # The token (1), the profile (1), the page (1), and the rate counter: the DatabaseCache's
    # read, its size check for culling, and its write (select and update in a savepoint: 5).
    assert liten <= 9
