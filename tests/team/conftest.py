import datetime

import pytest

from team import services as team_services
from vardcentraler.models import Sjalvskattning
from vardcentraler.omgangar import services


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _omgang(vc, namn="2026", start=datetime.date(2026, 1, 1), team=True):
    omgang = services.omgang_create(
        region=vc.region,
        namn=namn,
        malbild_version=__import__("malbild.models").models.MalbildVersion.objects.get(
            slug="2024-10-9251"
        ),
        period_start=start,
        period_slut=start.replace(month=12, day=31),
        sista_dag=start.replace(month=10, day=31),
        anvandare=None,
    )
    omgang.teambedomning = team
    omgang.save(update_fields=["teambedomning"])
    return omgang


@pytest.fixture
def omgang(vc_stockholm, malbild_version):
    return _omgang(vc_stockholm)


@pytest.fixture
def s(omgang, vc_stockholm):
    return Sjalvskattning.objects.select_related("omgang", "vardcentral").get(
        omgang=omgang, vardcentral=vc_stockholm
    )


@pytest.fixture
def bjud_in(s, chef):
    def _bjud_in(namn="Ada", yrke="lakare", sjalvskattning=None):
        return team_services.teammedlem_create(
            sjalvskattning=sjalvskattning or s, namn=namn, yrke=yrke, anvandare=chef
        )

    return _bjud_in
