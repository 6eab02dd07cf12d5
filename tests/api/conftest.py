"""A world for the API: each region's unit, round, answers, target, requirement and action,
and a way to call the API with a persona's token."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from api import services
from tests.factories import AtgardFactory, SvarFactory


@pytest.fixture
def api_varld(vc_stockholm, vc_uppsala, malbild_version, kriterier):
    return api_varld_create(vc_stockholm, vc_uppsala, malbild_version, kriterier)


def api_varld_create(vc_stockholm, vc_uppsala, malbild_version, kriterier) -> dict:
    from vardcentraler.models import Krav, Sjalvskattning
    from vardcentraler.omgangar import services as vc_services

    sidor = {}
    for sida, vc in (("egen", vc_stockholm), ("annan", vc_uppsala)):
        omgang = vc_services.omgang_create(
            region=vc.region,
            namn="2026",
            malbild_version=malbild_version,
            period_start=datetime.date(2026, 1, 1),
            period_slut=datetime.date(2026, 12, 31),
            sista_dag=datetime.date(2026, 10, 31),
            anvandare=None,
        )
        s = Sjalvskattning.objects.get(omgang=omgang, vardcentral=vc)
        for k in kriterier[:3]:
            SvarFactory(sjalvskattning=s, kriterium=k, typ="niva", niva=2)
        Krav.objects.create(omgang=omgang, kriterium=kriterier[0], kravniva="ska", formulering="X")
        sidor[sida] = SimpleNamespace(
            region=vc.region,
            vc=vc,
            omgang=omgang,
            s=s,
            version=malbild_version,
            tema=kriterier[0].tema,
            kriterium=kriterier[0],
            atgard=AtgardFactory(vardcentral=vc, omgang=omgang, kriterium=kriterier[0]),
        )
    return sidor


def token_for(user, *, dagar: int = 30) -> str:
    return services.apitoken_create(anvandare=user, namn="test", giltig_dagar=dagar)[1]


@pytest.fixture
def tokens(planerare, planerare_uppsala, chef, nationell, admin_user):
    return tokens_create(planerare, planerare_uppsala, chef, nationell, admin_user)


def tokens_create(planerare, planerare_uppsala, chef, nationell, admin_user) -> dict:
    """A valid token per persona, plus the planner's revoked and expired ones."""
    from api.models import ApiToken

    aterkallad, t_aterkallad = services.apitoken_create(
        anvandare=planerare, namn="a", giltig_dagar=30
    )
    services.apitoken_revoke(anvandare=planerare, token_id=aterkallad.pk)
    utgangen, t_utgangen = services.apitoken_create(anvandare=planerare, namn="u", giltig_dagar=30)
    ApiToken.objects.filter(pk=utgangen.pk).update(
        giltig_till=timezone.now() - datetime.timedelta(seconds=1)
    )
    return {
        "planerare": token_for(planerare),
        "planerare_uppsala": token_for(planerare_uppsala),
        "chef": token_for(chef),
        "nationell": token_for(nationell),
        "admin": token_for(admin_user),
        "aterkallad": t_aterkallad,
        "utgangen": t_utgangen,
        "ingen": None,
    }


@pytest.fixture
def anropa(client):
    """GET an API URL with a token (or none)."""

    def _get(url: str, token: str | None, **headers):
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client.get(url, **headers)

    return _get
