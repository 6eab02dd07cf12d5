"""Personas shared by the whole suite, the loaded national målbild, and one round."""

import copy
import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.factories import (
    ProfilFactory,
    SvarFactory,
    UserFactory,
    VardcentralFactory,
    region,
)
from vardcentraler.models import Profil, Sjalvskattning, Svar

# The test OpenID Connect provider (tests/oidc_provider), started only by tests that use it.
pytest_plugins = ["tests.oidc_provider.server"]

LOSENORD = "losenord-test"


@pytest.fixture(autouse=True)
def _tomma_minnescacher():
    """Every test starts with empty in-process caches: counters of failed look-ups (team
    links, logins) and cached pages must not leak from one test into the next — a browser
    test run after the form fuzzer was answered 429 from the fuzzer's misses. Database caches
    roll back with each test's transaction and are left alone here."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    def tom():
        for c in caches.all(initialized_only=True):
            if isinstance(c, LocMemCache):
                c.clear()

    tom()
    yield
    tom()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the målbild once per test database; tests roll back around it."""
    with django_db_blocker.unblock():
        call_command("load_malbild", verbosity=0)


@pytest.fixture(scope="module")
def modul_db(django_db_setup, django_db_blocker):
    """A transaction around a whole test module, rolled back after its last test.

    For a world that is expensive to build and that every test of a module starts from (the
    role × view matrices): the module's fixture ``modulvarld`` (module-scoped) asks for this
    one and builds its rows once, inside ``with modul_db.unblock():``. Every test still runs
    in its own savepoint (pytest-django's ``db`` wraps tests in a higher-scoped transaction on
    purpose), so whatever a test writes is gone before the next one starts. Model instances
    live on between tests, so tests get a ``copy.deepcopy`` of them (``modul_fixture``): an
    in-memory change stays in its test.

    Only for non-transactional tests (``transactional_db`` and ``live_server`` tests commit and
    flush, which cannot happen inside a transaction): ``modul_data`` refuses them.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.in_atomic_block:
            raise pytest.UsageError("modul_db must be set up before the test's own transaction")
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield django_db_blocker
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def modul_data(request, data):
    """A test's own copy of module-scoped ``data`` (built under ``modul_db``)."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        raise pytest.UsageError(f"{request.node.nodeid}: modul_db is for non-transactional tests")
    request.getfixturevalue("db")
    return copy.deepcopy(data)


def modul_fixture(namn: str):
    """The fixture ``namn``, overridden in a module by a copy of ``modulvarld[namn]`` (the
    module's world, see ``modul_db``): ``planerare = modul_fixture("planerare")``."""

    @pytest.fixture(name=namn)
    def _fixture(request, modulvarld):
        return modul_data(request, modulvarld[namn])

    return _fixture


def personer_create() -> dict:
    """The regions, units and personas of the fixtures below, in one go (for ``modul_db``)."""
    stockholm, uppsala = region("01"), region("03")
    vc_stockholm = VardcentralFactory(region=stockholm, namn="Vårdcentralen Åkerby")
    vc_uppsala = VardcentralFactory(region=uppsala, namn="Vårdcentralen Östra Ärlinge")
    return {
        "stockholm": stockholm,
        "uppsala": uppsala,
        "vc_stockholm": vc_stockholm,
        "vc_uppsala": vc_uppsala,
        "planerare": planerare_create(stockholm),
        "planerare_uppsala": planerare_create(uppsala, "p-upps"),
        "chef": chef_create(vc_stockholm),
        "nationell": nationell_create(),
        "admin_user": admin_user_create(),
    }


# Every fixture that personer_create() builds, to override in a module with modul_fixture.
PERSONER = ["stockholm", "uppsala", "vc_stockholm", "vc_uppsala"] + [
    "planerare",
    "planerare_uppsala",
    "chef",
    "nationell",
    "admin_user",
]


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


def planerare_create(region, username: str = "p-sthlm"):
    return ProfilFactory(
        anvandare=UserFactory(username=username), roll=Profil.Roll.PLANERARE, region=region
    ).anvandare


def chef_create(vc, username: str = "chef-sthlm"):
    profil = ProfilFactory(
        anvandare=UserFactory(username=username), roll=Profil.Roll.VERKSAMHETSCHEF, region=None
    )
    profil.vardcentraler.set([vc])
    return profil.anvandare


def nationell_create():
    return ProfilFactory(
        anvandare=UserFactory(username="nationell-l"), roll=Profil.Roll.NATIONELL, region=None
    ).anvandare


def admin_user_create():
    user = UserFactory(username="admin-test")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def planerare(stockholm):
    return planerare_create(stockholm)


@pytest.fixture
def planerare_uppsala(uppsala):
    return planerare_create(uppsala, "p-upps")


@pytest.fixture
def chef(vc_stockholm):
    return chef_create(vc_stockholm)


@pytest.fixture
def nationell(db):
    return nationell_create()


@pytest.fixture
def admin_user(db):
    return admin_user_create()


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


@pytest.fixture
def omgang(stockholm, malbild_version, vc_stockholm, kriterier):
    """Stockholm's open round "2026", opened by the service (a target of 4 for every criterion,
    one self-assessment per active unit, the version frozen).

    ``vc_stockholm``'s self-assessment is untouched (ej påbörjad, no answers), so a test can
    fill it in. Three more units of the region stand in the other statuses: Björkby pågår
    (a third answered), Cedervik inskickad and Dalby godkänd (every criterion answered, some
    "vet ej" and "ej tillämpligt"). Tests that count answers count those of their own
    self-assessment (``sjalvskattning.svar``).
    """
    from vardcentraler.omgangar import services

    andra = {
        namn: VardcentralFactory(region=stockholm, namn=f"Vårdcentralen {namn}")
        for namn in ("Björkby", "Cedervik", "Dalby")
    }
    omgang = services.omgang_create(
        region=stockholm,
        namn="2026",
        malbild_version=malbild_version,
        period_start=datetime.date(2026, 1, 1),
        period_slut=datetime.date(2026, 12, 31),
        sista_dag=datetime.date(2026, 10, 31),
        anvandare=None,
    )
    S = Sjalvskattning.Status
    for (namn, status), andel in zip(
        (("Björkby", S.PAGAR), ("Cedervik", S.INSKICKAD), ("Dalby", S.GODKAND)),
        (3, 1, 1),
        strict=True,
    ):
        sjalvskattning = omgang.sjalvskattningar.get(vardcentral=andra[namn])
        for i, kriterium in enumerate(kriterier[::andel]):
            typ = (Svar.Typ.VET_EJ, Svar.Typ.EJ_TILLAMPLIGT, Svar.Typ.NIVA)[min(i % 9, 2)]
            SvarFactory(
                sjalvskattning=sjalvskattning,
                kriterium=kriterium,
                typ=typ,
                niva=1 + i % 4 if typ == Svar.Typ.NIVA else None,
            )
        Sjalvskattning.objects.filter(pk=sjalvskattning.pk).update(status=status)
    # The answers and statuses above went past the services that keep the summaries.
    from uppfoljning.sammanfattning import sammanfattning_rebuild

    sammanfattning_rebuild()
    return omgang
