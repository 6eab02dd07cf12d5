"""Personas shared by the whole suite, and the loaded national målbild."""

import pytest
from django.core.management import call_command

from tests.factories import ProfilFactory, UserFactory, VardcentralFactory, region
from vardcentraler.models import Profil

LOSENORD = "losenord-test"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the målbild once per test database; tests roll back around it."""
    with django_db_blocker.unblock():
        call_command("load_malbild", verbosity=0)


@pytest.fixture
def malbild_version(db):
    from malbild.models import MalbildVersion

    return MalbildVersion.objects.get(slug="2024-10-9251")


@pytest.fixture
def kriterier(malbild_version):
    """Every criterion of the målbild in theme and criterion order, with its theme."""
    from malbild.models import Kriterium

    return list(Kriterium.objects.for_version(malbild_version).select_related("tema"))


@pytest.fixture
def stockholm(db):
    return region("01")


@pytest.fixture
def uppsala(db):
    return region("03")


@pytest.fixture
def vc_stockholm(stockholm):
    return VardcentralFactory(region=stockholm, namn="Vårdcentralen Åkerby")


@pytest.fixture
def vc_uppsala(uppsala):
    return VardcentralFactory(region=uppsala, namn="Vårdcentralen Östra Ärlinge")


@pytest.fixture
def planerare(stockholm):
    return ProfilFactory(
        anvandare=UserFactory(username="p-sthlm"), roll=Profil.Roll.PLANERARE, region=stockholm
    ).anvandare


@pytest.fixture
def planerare_uppsala(uppsala):
    return ProfilFactory(
        anvandare=UserFactory(username="p-upps"), roll=Profil.Roll.PLANERARE, region=uppsala
    ).anvandare


@pytest.fixture
def chef(vc_stockholm):
    profil = ProfilFactory(
        anvandare=UserFactory(username="chef-sthlm"),
        roll=Profil.Roll.VERKSAMHETSCHEF,
        region=None,
    )
    profil.vardcentraler.set([vc_stockholm])
    return profil.anvandare


@pytest.fixture
def nationell(db):
    return ProfilFactory(
        anvandare=UserFactory(username="nationell-l"), roll=Profil.Roll.NATIONELL, region=None
    ).anvandare


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="admin-test")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def persona(request, planerare, planerare_uppsala, chef, nationell, admin_user):
    """Parametrise a test over personas by name: ``@pytest.mark.parametrize("persona", [...], indirect=True)``."""
    return {
        "planerare": planerare,
        "planerare_uppsala": planerare_uppsala,
        "chef": chef,
        "nationell": nationell,
        "admin": admin_user,
        "anonym": None,
    }[request.param]
