"""Races in the review flow, with real concurrent transactions (threads, each its own connection).

Each trial starts two writes at a barrier. To make the two overlap every time, not only when
the scheduler happens to interleave them, the tests slow down the moment between a service's
checks and its write (``history_user_set``, called just before every save): without
the row lock both writes pass their checks and both succeed; with it the second waits, sees
the first one's result and refuses with a Swedish message.

PostgreSQL only (SQLite has no row locks and serialises whole writes): CI runs them there.
Figures for the closing note are printed with ``-s``.
"""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections

from malbild.models import Kriterium, MalbildVersion
from tests.factories import ProfilFactory, UserFactory, VardcentralFactory, region
from vardcentraler.models import (
    Atgard,
    Kommun,
    Krav,
    Omgang,
    Profil,
    Region,
    Sjalvskattning,
    Svar,
)
from vardcentraler.omgangar import services, services_atgard, services_granskning
from vardcentraler.referensdata import referensdata_load

pytestmark = [pytest.mark.django_db(transaction=True)]

FORSOK = 10
FORDROJNING = 0.05  # seconds between a service's checks and its write
STATISTIK: dict[str, dict[str, int]] = {}


@pytest.fixture(autouse=True)
def bara_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises whole writes. "
            "CI runs these on PostgreSQL."
        )


@pytest.fixture
def varld(monkeypatch):
    """Reference data (an earlier transactional test may have flushed it), a planner, a chef,
    a unit and an open round; the check-to-write gap slowed down."""
    if not Region.objects.exists():
        referensdata_load(Region, Kommun)
    call_command("load_malbild", verbosity=0)
    stockholm = region("01")
    vc = VardcentralFactory(region=stockholm)
    planerare = ProfilFactory(
        anvandare=UserFactory(username="p-samtidig"), roll=Profil.Roll.PLANERARE, region=stockholm
    ).anvandare
    planerare2 = ProfilFactory(
        anvandare=UserFactory(username="p2-samtidig"),
        roll=Profil.Roll.PLANERARE,
        region=stockholm,
    ).anvandare
    chef_profil = ProfilFactory(
        anvandare=UserFactory(username="chef-samtidig"), roll=Profil.Roll.VERKSAMHETSCHEF
    )
    chef_profil.vardcentraler.set([vc])
    version = MalbildVersion.objects.get(slug="2024-10-9251")
    kriterier = list(
        Kriterium.objects.filter(tema__version=version).order_by("tema__ordning", "ordning")
    )
    original = services.history_user_set

    def langsam(obj, anvandare):
        time.sleep(FORDROJNING)
        original(obj, anvandare)

    # Each service module holds its own reference to the helper.
    for modul in (services, services_atgard, services_granskning):
        monkeypatch.setattr(modul, "history_user_set", langsam)
    return {
        "region": stockholm,
        "vc": vc,
        "planerare": planerare,
        "planerare2": planerare2,
        "chef": chef_profil.anvandare,
        "version": version,
        "kriterier": kriterier,
    }


def _omgang(varld, namn: str) -> Omgang:
    return services.omgang_create(
        region=varld["region"],
        namn=namn,
        malbild_version=varld["version"],
        period_start=datetime.date(2026, 1, 1),
        period_slut=datetime.date(2026, 12, 31),
        sista_dag=datetime.date(2026, 10, 31),
        anvandare=varld["planerare"],
    )


def _sjalvskattning(omgang: Omgang) -> Sjalvskattning:
    """A fresh object per thread, as each request loads its own."""
    return Sjalvskattning.objects.select_related("omgang", "vardcentral").get(omgang=omgang)


def samtidigt(*uppgifter):
    """Run the callables at once, each in its own thread and connection; results or exceptions."""
    start = threading.Barrier(len(uppgifter))
    resultat: list = [None] * len(uppgifter)

    def kor(i, uppgift):
        try:
            start.wait()
            resultat[i] = uppgift()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test asserts
            resultat[i] = exc
        finally:
            connections.close_all()

    tradar = [threading.Thread(target=kor, args=(i, u)) for i, u in enumerate(uppgifter)]
    for t in tradar:
        t.start()
    for t in tradar:
        t.join(timeout=60)
    return resultat


def _rakna(lopp: str, *, forlorade: int = 0) -> None:
    rad = STATISTIK.setdefault(lopp, {"försök": 0, "förlorade uppdateringar": 0})
    rad["försök"] += 1
    rad["förlorade uppdateringar"] += forlorade


def _svar(kriterium, niva=2, version=0, motivering=""):
    return services.SvarData(
        kriterium=kriterium,
        typ="niva",
        niva=niva,
        motivering=motivering,
        underlag="",
        version=version,
    )


def test_submit_while_autosaves_are_in_flight(varld):
    """The probe: answers were saved after submission in 13 of 15 trials."""
    k = varld["kriterier"]
    for forsok in range(FORSOK):
        omgang = _omgang(varld, f"S{forsok}")
        s = _sjalvskattning(omgang)
        for kriterium in k:  # every criterion answered: the assessment can be submitted
            services.svar_save(sjalvskattning=s, data=_svar(kriterium), anvandare=varld["chef"])
        resultat = samtidigt(
            lambda omgang=omgang: services.svar_save(
                sjalvskattning=_sjalvskattning(omgang),
                data=_svar(k[0], niva=4, version=1, motivering="sent"),
                anvandare=varld["chef"],
            ),
            lambda omgang=omgang: services_granskning.sjalvskattning_submit(
                sjalvskattning=_sjalvskattning(omgang), anvandare=varld["chef"]
            ),
        )
        s.refresh_from_db()
        assert s.status == Sjalvskattning.Status.INSKICKAD, resultat
        assert resultat[1] is None  # the submit always goes through, before or after the save
        svar = Svar.objects.get(sjalvskattning=s, kriterium=k[0])
        sent = svar.history.filter(history_date__gt=s.inskickad).count()
        _rakna("autosave × skicka in", forlorade=sent)
        assert sent == 0, "an answer changed after the submission"
        if isinstance(resultat[0], ValidationError):  # the save lost: told why
            assert "inskickad och därför låst" in resultat[0].messages[0]
            assert svar.niva == 2
        else:
            assert svar.niva == 4  # the save won and was submitted with the rest


def _inskickad(varld, namn):
    omgang = _omgang(varld, namn)
    Sjalvskattning.objects.filter(omgang=omgang).update(
        status=Sjalvskattning.Status.INSKICKAD, inskickad=datetime.datetime.now(datetime.UTC)
    )
    return omgang


def test_approve_and_return_at_the_same_moment_have_one_winner(varld):
    """The probe: both reported success in 6 of 10 trials with a random final state."""
    for forsok in range(FORSOK):
        omgang = _inskickad(varld, f"G{forsok}")
        resultat = samtidigt(
            lambda omgang=omgang: services_granskning.sjalvskattning_approve(
                sjalvskattning=_sjalvskattning(omgang), anvandare=varld["planerare"]
            ),
            lambda omgang=omgang: services_granskning.sjalvskattning_return(
                sjalvskattning=_sjalvskattning(omgang),
                kommentar="Komplettera tema 2.",
                anvandare=varld["planerare2"],
            ),
        )
        vinnare = [r is None for r in resultat]
        s = _sjalvskattning(omgang)
        forlorade = 0 if vinnare.count(True) == 1 else 1
        _rakna("godkänn × återsänd", forlorade=forlorade)
        assert vinnare.count(True) == 1, resultat
        forlorare = resultat[vinnare.index(False)]
        assert isinstance(forlorare, ValidationError)
        assert "Inget har ändrats" in forlorare.messages[0]
        assert s.status == ("godkand" if vinnare[0] else "atersand")
        assert s.history.filter(history_type="~").count() == 1  # one status change recorded


def test_two_reopens_at_once_reopen_once(varld):
    for forsok in range(FORSOK):
        omgang = _inskickad(varld, f"R{forsok}")
        services_granskning.sjalvskattning_approve(
            sjalvskattning=_sjalvskattning(omgang), anvandare=varld["planerare"]
        )
        resultat = samtidigt(
            *(
                lambda omgang=omgang, p=p: services_granskning.sjalvskattning_reopen(
                    sjalvskattning=_sjalvskattning(omgang), anledning="Fel nivå", anvandare=p
                )
                for p in (varld["planerare"], varld["planerare2"])
            )
        )
        vinnare = [r is None for r in resultat]
        _rakna("öppna igen × öppna igen", forlorade=int(vinnare.count(True) != 1))
        assert vinnare.count(True) == 1, resultat
        assert "kan inte öppnas igen" in resultat[vinnare.index(False)].messages[0]


def test_a_reopen_racing_the_round_close_never_lands_in_a_closed_round(varld, monkeypatch):
    """Issue 14 left this out: the close locked only the round, so a reopen that had read
    "open" went through after the close. The reopen is made slower than the close, so that
    without the lock on the round's row it saves after the close in every trial."""
    original = services.history_user_set

    def langsammare(obj, anvandare):
        time.sleep(FORDROJNING * 4)
        original(obj, anvandare)

    monkeypatch.setattr(services_granskning, "history_user_set", langsammare)
    for forsok in range(FORSOK):
        omgang = _inskickad(varld, f"C{forsok}")
        services_granskning.sjalvskattning_approve(
            sjalvskattning=_sjalvskattning(omgang), anvandare=varld["planerare"]
        )
        resultat = samtidigt(
            lambda omgang=omgang: services_granskning.sjalvskattning_reopen(
                sjalvskattning=_sjalvskattning(omgang),
                anledning="Fel nivå",
                anvandare=varld["planerare"],
            ),
            lambda omgang=omgang: services.omgang_close(
                omgang=Omgang.objects.get(pk=omgang.pk), anvandare=varld["planerare2"]
            ),
        )
        assert resultat[1] is None, resultat  # the close always goes through
        s = _sjalvskattning(omgang)
        stangd = omgang.history.filter(status=Omgang.Status.STANGD).earliest("history_date")
        if resultat[0] is None:  # the reopen went first: the close came after it
            oppnad = s.history.filter(status=Sjalvskattning.Status.PAGAR).latest("history_date")
            fel = int(oppnad.history_date > stangd.history_date)
        else:
            assert "stängd" in resultat[0].messages[0]
            fel = int(s.status != Sjalvskattning.Status.GODKAND)
        _rakna("öppna igen × stäng omgången", forlorade=fel)
        assert not fel, "a self-assessment was reopened after its round was closed"


def test_a_double_clicked_action_creates_one_action(varld):
    k = varld["kriterier"][0]
    for forsok in range(FORSOK):
        omgang = _omgang(varld, f"A{forsok}")
        data = services_atgard.AtgardData(
            kriterium=k,
            beskrivning=f"Rutin för screening {forsok}",
            ansvarig="Verksamhetschef",
            start=datetime.date(2026, 1, 1),
            klar_senast=datetime.date(2026, 12, 31),
            status="planerad",
            mal_niva=3,
        )
        resultat = samtidigt(
            *(
                lambda omgang=omgang, data=data: services_atgard.atgard_create(
                    sjalvskattning=_sjalvskattning(omgang), data=data, anvandare=varld["chef"]
                )
                for _ in range(2)
            )
        )
        antal = Atgard.objects.filter(omgang=omgang).count()
        _rakna("dubbelklick på ny åtgärd", forlorade=antal - 1)
        assert antal == 1, resultat
        assert resultat[0].pk == resultat[1].pk  # both posts answer with the same action


def test_two_planners_open_the_same_round_at_once(varld):
    for forsok in range(FORSOK // 2):
        resultat = samtidigt(
            lambda forsok=forsok: _omgang(varld, f"Vår {forsok}"),
            lambda forsok=forsok: _omgang(varld, f"VÅR {forsok}"),
        )
        skapade = [r for r in resultat if isinstance(r, Omgang)]
        _rakna("öppna samma omgång", forlorade=int(len(skapade) != 1))
        assert len(skapade) == 1, resultat
        fel = next(r for r in resultat if not isinstance(r, Omgang))
        assert isinstance(fel, ValidationError) and "redan en omgång" in str(fel)


def test_two_planners_save_the_requirements_at_once(varld):
    from vardcentraler.omgangar.services_krav import KravRad, krav_save

    for forsok in range(FORSOK // 2):
        omgang = _omgang(varld, f"K{forsok}")
        rader = [
            KravRad(kriterium_id=k.pk, kravniva="ej", formulering="", dokument="", avsnitt="")
            for k in varld["kriterier"]
        ]
        resultat = samtidigt(
            *(lambda omgang=omgang, rader=rader: krav_save(omgang=omgang, rader=rader),) * 2
        )
        _rakna(
            "spara krav × spara krav", forlorade=int(not all(isinstance(r, int) for r in resultat))
        )
        assert all(isinstance(r, int) for r in resultat), resultat
        assert Krav.objects.filter(omgang=omgang).count() == len(varld["kriterier"])


def test_zz_report():
    """Prints trials and lost updates per race (run with -s for the closing note)."""
    for lopp, rad in STATISTIK.items():
        print(f"\n{lopp}: {rad}")
