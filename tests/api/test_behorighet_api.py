"""The API's role × endpoint × own/other-region matrix, generated from the URLconf.

The same shapes as tests/test_behorighet.py: another region's objects are 404 (never 403),
the national reader reads the instrument, regions and aggregates but no unit-level endpoint
(404, as their pages are in the browser), and a missing, revoked or expired token is 401.
Every named URL of the API has a row here (``test_every_api_url_has_a_row``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.urls import get_resolver, reverse

from tests.api.conftest import api_varld_create, tokens_create
from tests.conftest import PERSONER, modul_fixture, personer_create

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def modulvarld(modul_db):
    """The personas, each region's API objects and the tokens, built once per module (see
    ``modul_db``): every test runs in its own savepoint on a fresh copy."""
    from malbild.models import Kriterium, MalbildVersion

    with modul_db.unblock():
        personer = personer_create()
        version = MalbildVersion.objects.get(slug="2024-10-9251")
        kriterier = list(Kriterium.objects.for_version(version).select_related("tema"))
        api_varld = api_varld_create(
            personer["vc_stockholm"], personer["vc_uppsala"], version, kriterier
        )
        tokens = tokens_create(*(personer[p] for p in PERSONAS_FIXTURES))
    return {"api_varld": api_varld, "tokens": tokens, **personer}


PERSONAS_FIXTURES = ["planerare", "planerare_uppsala", "chef", "nationell", "admin_user"]
# The conftest's personas, regions and units, the API world and the tokens: here the module's
# own, a fresh copy per test.
for _namn in [*PERSONER, "api_varld", "tokens"]:
    globals()[_namn] = modul_fixture(_namn)

PERSONAS = ["planerare", "planerare_uppsala", "chef", "nationell", "admin"]
UTAN_GILTIG_TOKEN = ["aterkallad", "utgangen", "ingen"]

ALLA = dict.fromkeys(PERSONAS, 200)
EGEN_LASA = dict(ALLA, planerare_uppsala=404)  # region-level data the national reader reads too
ANNAN_LASA = dict(EGEN_LASA, planerare=404, planerare_uppsala=200, chef=404)
EGEN = dict(EGEN_LASA, nationell=404)  # unit-level data and rounds: not the national reader's
ANNAN = dict(ANNAN_LASA, nationell=404)


@dataclass(frozen=True)
class Rad:
    url: Callable[[SimpleNamespace], str]
    egen: dict
    annan: dict | None = None
    oppen: bool = False  # the schema and its docs: no token needed


def _u(namn: str, *args, **query) -> Callable[[SimpleNamespace], str]:
    """The URL of an API operation; ``args``/``query`` are functions of the side."""

    def bygg(v):
        url = reverse(f"api-v1:{namn}", args=[a(v) for a in args])
        if query:
            url += "?" + "&".join(f"{k}={f(v)}" for k, f in query.items())
        return url

    return bygg


def omgang(v):
    return v.omgang.pk


def region(v):
    return v.region.kod


def hsa(v):
    return v.vc.hsa_id


RADER: dict[str, Rad] = {
    "openapi-json": Rad(_u("openapi-json"), ALLA, oppen=True),
    "openapi-view": Rad(_u("openapi-view"), ALLA, oppen=True),
    "malbild_version_list": Rad(_u("malbild_version_list"), ALLA),
    "malbild_version_detail": Rad(_u("malbild_version_detail", lambda v: v.version.slug), ALLA),
    "region_list": Rad(_u("region_list"), ALLA),
    "region_detail": Rad(_u("region_detail", region), EGEN_LASA, ANNAN_LASA),
    "kommun_list": Rad(_u("kommun_list", region=region), EGEN_LASA, ANNAN_LASA),
    "vardcentral_list": Rad(_u("vardcentral_list", region=region), EGEN, ANNAN),
    "vardcentral_detail": Rad(_u("vardcentral_detail", hsa), EGEN, ANNAN),
    "omgang_list": Rad(_u("omgang_list", region=region), EGEN, ANNAN),
    "omgang_detail": Rad(_u("omgang_detail", omgang), EGEN, ANNAN),
    "sjalvskattning_list": Rad(_u("sjalvskattning_list", omgang=omgang), EGEN, ANNAN),
    "svar_list": Rad(_u("svar_list", omgang=omgang), EGEN, ANNAN),
    "malniva_list": Rad(_u("malniva_list", omgang=omgang), EGEN, ANNAN),
    "krav_list": Rad(_u("krav_list", omgang=omgang), EGEN, ANNAN),
    "atgard_list": Rad(_u("atgard_list", vardcentral=hsa), EGEN, ANNAN),
    # Aggregates: as their pages (the region dashboard, the national overview).
    "region_sammanstallning": Rad(_u("region_sammanstallning", region), EGEN, ANNAN),
    "nationell_sammanstallning": Rad(
        _u("nationell_sammanstallning"),
        dict.fromkeys(PERSONAS, 404) | {"nationell": 200, "admin": 200},
    ),
}
# The API root ("/api/v1/") is ninja's placeholder that answers 404; it has no row.
UTAN_RAD = {"api-root"}


def _api_url_names() -> set[str]:
    for p in get_resolver().url_patterns:
        if getattr(p, "namespace", None) == "api-v1":
            return {q.name for q in p.url_patterns if q.name} - UTAN_RAD
    raise AssertionError("API:t saknas i URLconf")


def test_every_api_url_has_a_row():
    namn = _api_url_names()
    assert not (namn - set(RADER)), f"API-URL:er utan rad: {sorted(namn - set(RADER))}"
    assert not (set(RADER) - namn), "Rader för API-URL:er som inte finns"


FALL = [
    (namn, sida, persona)
    for namn, rad in RADER.items()
    for sida in (("egen", "annan") if rad.annan else ("egen",))
    for persona in PERSONAS + UTAN_GILTIG_TOKEN
]


@pytest.mark.parametrize(("namn", "sida", "persona"), FALL)
def test_matrix(anropa, api_varld, tokens, namn, sida, persona):
    rad = RADER[namn]
    if persona in UTAN_GILTIG_TOKEN:
        forvantat = 200 if rad.oppen else 401
    else:
        forvantat = (rad.egen if sida == "egen" else rad.annan)[persona]
    response = anropa(rad.url(api_varld[sida]), tokens[persona])
    assert response.status_code == forvantat, (namn, sida, persona, response.content[:300])
    if forvantat >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == forvantat
    if forvantat == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("persona", "regioner"),
    [("planerare", {"01"}), ("planerare_uppsala", {"03"}), ("chef", {"01"}), ("nationell", None)],
)
def test_lists_hold_only_what_the_user_sees(anropa, api_varld, tokens, persona, regioner):
    """Unfiltered lists are scoped too: a token never reads more than its user sees."""
    data = anropa(reverse("api-v1:region_list") + "?limit=500", tokens[persona]).json()
    koder = {r["kod"] for r in data["items"]}
    if regioner is None:
        assert len(koder) == 21  # every region (aggregates only)
        assert anropa(reverse("api-v1:svar_list"), tokens[persona]).status_code == 404
        return
    assert koder == regioner
    egna = {
        api_varld[s].vc.hsa_id for s in ("egen", "annan") if api_varld[s].region.kod in regioner
    }
    for namn in ("svar_list", "sjalvskattning_list", "atgard_list", "vardcentral_list"):
        items = anropa(reverse(f"api-v1:{namn}"), tokens[persona]).json()["items"]
        assert items, namn
        assert {i.get("vardcentral_hsa_id", i.get("hsa_id")) for i in items} <= egna, namn
    for namn in ("omgang_list", "malniva_list", "krav_list"):
        items = anropa(reverse(f"api-v1:{namn}"), tokens[persona]).json()["items"]
        omgangar = {
            api_varld[s].omgang.pk for s in ("egen", "annan") if api_varld[s].region.kod in regioner
        }
        assert items and {i.get("omgang_id", i.get("id")) for i in items} <= omgangar, namn


def test_a_chef_sees_only_their_own_units_in_the_region(anropa, api_varld, tokens):
    from tests.factories import SjalvskattningFactory, SvarFactory, VardcentralFactory

    egen = api_varld["egen"]
    granne = SjalvskattningFactory(
        omgang=egen.omgang, vardcentral=VardcentralFactory(region=egen.region)
    )
    SvarFactory(sjalvskattning=granne, kriterium=egen.kriterium)
    url = reverse("api-v1:svar_list") + f"?omgang={egen.omgang.pk}"
    chefens = {i["vardcentral_hsa_id"] for i in anropa(url, tokens["chef"]).json()["items"]}
    planerarens = {
        i["vardcentral_hsa_id"] for i in anropa(url, tokens["planerare"]).json()["items"]
    }
    assert chefens == {egen.vc.hsa_id}
    assert planerarens == {egen.vc.hsa_id, granne.vardcentral.hsa_id}
    detalj = reverse("api-v1:vardcentral_detail", args=[granne.vardcentral.hsa_id])
    assert anropa(detalj, tokens["chef"]).status_code == 404
