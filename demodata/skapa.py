"""Writes the demo: removes old demo rows, bulk-creates the new ones, adds the demo logins."""

import contextlib
import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from malbild.selectors import malbild_version_foregaende, malbild_version_senaste
from malbild.services import malbild_version_lock
from uppfoljning.models import (
    Kriteriesammanfattning,
    Sammanfattningsversion,
    Temasammanfattning,
)
from uppfoljning.sammanfattning import sammanfattning_rebuild
from vardcentraler.models import (
    Atgard,
    Kommun,
    Krav,
    Malniva,
    Omgang,
    Profil,
    Region,
    Sjalvskattning,
    Svar,
    Vardcentral,
)

from .bygge import Bygge
from .plan import VardcentralPlan, vardcentraler_plan
from .tabeller import DEMO_HSA_MARKOR, DEMO_LOSENORD, DEMO_REGION_KOD, OMGANG_NAMN, OMGANGAR


@contextlib.contextmanager
def _egna_tidsstamplar(*modell_falt: tuple[type[models.Model], str]):
    """Let bulk_create keep the timestamps we set instead of auto_now/auto_now_add."""
    sparade = []
    for modell, namn in modell_falt:
        f = modell._meta.get_field(namn)
        sparade.append((f, f.auto_now, f.auto_now_add))
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in sparade:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@dataclass
class Resultat:
    vardcentraler: int = 0
    omgangar: int = 0
    sjalvskattningar: int = 0
    svar: int = 0
    atgarder: int = 0
    krav: int = 0
    malnivaer: int = 0
    borttagna_vardcentraler: int = 0
    oforandrat: bool = False
    antal: dict = field(default_factory=dict)


def _demo_vardcentraler() -> models.QuerySet:
    return Vardcentral.objects.filter(hsa_id__contains=DEMO_HSA_MARKOR)


def _raw_delete(qs: models.QuerySet) -> int:
    """Delete without loading rows or sending signals (no history rows for generated data)."""
    return qs._raw_delete(qs.db)


def demodata_delete() -> int:
    """Remove demo units and everything generated for them; never touches other data.

    A demo round ("2024"–"2026") that holds assessments or actions of a non-demo unit is
    kept, and so are its targets and requirements. Returns the number of units removed.
    """
    demo_vardcentraler = _demo_vardcentraler()
    sjalv = Sjalvskattning.objects.filter(vardcentral__in=demo_vardcentraler)
    # The summaries go with the rows they sum up (demodata_create rebuilds them after).
    _raw_delete(Temasammanfattning.objects.filter(vardcentral__in=demo_vardcentraler))
    _raw_delete(Svar.objects.filter(sjalvskattning__in=sjalv))
    _raw_delete(Atgard.objects.filter(vardcentral__in=demo_vardcentraler))
    _raw_delete(sjalv)
    tomma = (
        Omgang.objects.filter(namn__in=OMGANG_NAMN)
        .exclude(pk__in=Sjalvskattning.objects.values("omgang"))
        .exclude(pk__in=Atgard.objects.values("omgang"))
    )
    _raw_delete(Malniva.objects.filter(omgang__in=tomma))
    _raw_delete(Krav.objects.filter(omgang__in=tomma))
    _raw_delete(Kriteriesammanfattning.objects.filter(omgang__in=tomma))
    _raw_delete(Sammanfattningsversion.objects.filter(omgang__in=tomma))
    _raw_delete(tomma)
    _raw_delete(Profil.vardcentraler.through.objects.filter(vardcentral__in=demo_vardcentraler))
    return _raw_delete(demo_vardcentraler)


def _is_unchanged(planer: list[VardcentralPlan]) -> bool:
    """True when the planned units (same seed and scale) and their rounds are all there."""
    befintliga = set(
        _demo_vardcentraler().values_list(
            "hsa_id", "namn", "kommun__kod", "driftsform", "listade_patienter"
        )
    )
    planerade = {
        (p.hsa_id, p.namn, p.kommun_kod, p.driftsform, p.listade_patienter) for p in planer
    }
    if befintliga != planerade:
        return False
    regioner = {p.region_kod for p in planer}
    omgangar = set(
        Omgang.objects.filter(namn__in=OMGANG_NAMN, region__kod__in=regioner).values_list(
            "region__kod", "namn"
        )
    )
    return omgangar == {(r, n) for r in regioner for n in OMGANG_NAMN}


def _statistik_update() -> None:
    """Refresh the query planner's statistics of the tables just bulk-loaded.

    Without it PostgreSQL plans the first queries after a seed from empty-table
    estimates, e.g. a sequential scan of all 120 000 answers for one unit (34 ms instead
    of 0.1 ms), until autovacuum gets round to it.
    """
    with connection.cursor() as cursor:
        for modell in (
            Vardcentral,
            Omgang,
            Malniva,
            Krav,
            Sjalvskattning,
            Svar,
            Atgard,
            Temasammanfattning,
            Kriteriesammanfattning,
        ):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(modell._meta.db_table)}")


def demodata_create(
    *, scale: str = "demo", seed: int = 2024, nu=None, bygg_om: bool = False
) -> Resultat:
    """Create (or rebuild) the demo units, rounds, answers, actions and requirements."""
    nu = nu or timezone.now()
    planer = vardcentraler_plan(scale=scale, seed=seed)
    version = malbild_version_senaste()
    if version is None:
        raise ValueError("Ingen målbild är inläst; kör load_malbild först.")
    # The closed rounds 2024–2025 use the previous version when there is one, the open
    # round 2026 the newest: a revised instrument applies to new rounds, and rounds
    # already held keep the version they were answered on.
    foregaende = malbild_version_foregaende(version) or version
    resultat = Resultat()
    with transaction.atomic():
        if not bygg_om and _is_unchanged(planer):
            resultat.oforandrat = True
            demo_users_create()
            return resultat
        resultat.borttagna_vardcentraler = demodata_delete()
        regioner = {r.kod: r for r in Region.objects.all()}
        kommuner = {k.kod: k for k in Kommun.objects.all()}
        upptagna = set(Vardcentral.objects.values_list("hsa_id", flat=True))
        vardcentraler = Vardcentral.objects.bulk_create(
            [
                Vardcentral(
                    hsa_id=p.hsa_id,
                    namn=p.namn,
                    region=regioner[p.region_kod],
                    kommun=kommuner[p.kommun_kod],
                    driftsform=p.driftsform,
                    listade_patienter=p.listade_patienter,
                )
                for p in planer
                if p.hsa_id not in upptagna
            ],
            batch_size=Bygge.BATCH,
        )
        resultat.vardcentraler = len(vardcentraler)
        per_region: dict[int, list[Vardcentral]] = {}
        for vardcentral in vardcentraler:
            per_region.setdefault(vardcentral.region_id, []).append(vardcentral)

        befintliga_omgangar = set(
            Omgang.objects.filter(namn__in=OMGANG_NAMN).values_list("region_id", "namn")
        )
        if befintliga_omgangar & {(r, n) for r in per_region for n in OMGANG_NAMN}:
            raise ValueError(
                "Demoomgångarna 2024–2026 finns redan med data för andra vårdcentraler "
                "än demoenheterna; demodata rörs inte."
            )
        nya_omgangar = [
            Omgang(
                region_id=region_id,
                namn=namn,
                malbild_version=version if status == "oppen" else foregaende,
                period_start=start,
                period_slut=slut,
                sista_dag=sista,
                status=status,
                skapad=timezone.make_aware(dt.datetime.combine(start, dt.time(9))),
            )
            for region_id in sorted(per_region)
            for namn, start, slut, sista, status in OMGANGAR
        ]
        with _egna_tidsstamplar(
            (Omgang, "skapad"), (Svar, "andrad"), (Atgard, "skapad"), (Atgard, "andrad")
        ):
            Omgang.objects.bulk_create(nya_omgangar, batch_size=Bygge.BATCH)
            omgangar_per_region: dict[int, list[Omgang]] = {}
            for o in nya_omgangar:
                omgangar_per_region.setdefault(o.region_id, []).append(o)
            bygge = Bygge(seed=seed, versioner=list(dict.fromkeys([foregaende, version])), nu=nu)
            alla_mal, alla_krav, alla_sjalv, alla_atgarder = [], [], [], []
            for region_id, region_vardcentraler in sorted(per_region.items()):
                region = next(r for r in regioner.values() if r.pk == region_id)
                region_vardcentraler.sort(key=lambda v: v.hsa_id)
                m, k, s, a = bygge.region_rader(
                    region, region_vardcentraler, omgangar_per_region[region_id]
                )
                alla_mal += m
                alla_krav += k
                alla_sjalv += s
                alla_atgarder += a
            Malniva.objects.bulk_create(alla_mal, batch_size=Bygge.BATCH)
            Krav.objects.bulk_create(alla_krav, batch_size=Bygge.BATCH)
            Sjalvskattning.objects.bulk_create([s for s, _ in alla_sjalv], batch_size=Bygge.BATCH)
            alla_svar = []
            for sjalv, svar in alla_sjalv:
                for s in svar:
                    s.sjalvskattning = sjalv
                alla_svar += svar
            Svar.objects.bulk_create(alla_svar, batch_size=Bygge.BATCH)
            Atgard.objects.bulk_create(alla_atgarder, batch_size=Bygge.BATCH)
        # The answers came in bulk, past the services that keep the summaries.
        sammanfattning_rebuild()
        for v in {foregaende, version}:
            malbild_version_lock(version=v)
        demo_users_create()
    _statistik_update()
    resultat.omgangar = len(nya_omgangar)
    resultat.malnivaer = len(alla_mal)
    resultat.krav = len(alla_krav)
    resultat.sjalvskattningar = len(alla_sjalv)
    resultat.svar = len(alla_svar)
    resultat.atgarder = len(alla_atgarder)
    return resultat


def _user(username: str, *, first: str, last: str, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.invalid"},
    )
    if created or not user.check_password(DEMO_LOSENORD):
        user.set_password(DEMO_LOSENORD)
    user.is_superuser = user.is_staff = superuser
    user.save()
    return user


@transaction.atomic
def demo_users_create() -> None:
    """The four demo logins, all with password ``malbild-demo``."""
    stockholm = Region.objects.get(kod=DEMO_REGION_KOD)
    _user("admin", first="Ada", last="Administratör", superuser=True)

    planerare = _user("planerare", first="Petra", last="Planerare")
    Profil.objects.update_or_create(
        anvandare=planerare, defaults={"roll": Profil.Roll.PLANERARE, "region": stockholm}
    )
    nationell = _user("nationell", first="Nils", last="Nationell")
    Profil.objects.update_or_create(
        anvandare=nationell, defaults={"roll": Profil.Roll.NATIONELL, "region": None}
    )
    chef = _user("chef", first="Cecilia", last="Chef")
    profil, _ = Profil.objects.update_or_create(
        anvandare=chef, defaults={"roll": Profil.Roll.VERKSAMHETSCHEF, "region": None}
    )
    i_stockholm = Vardcentral.objects.filter(region=stockholm).order_by("hsa_id")
    forsta = i_stockholm.filter(hsa_id__contains=DEMO_HSA_MARKOR).first() or i_stockholm.first()
    if forsta:
        profil.vardcentraler.set([forsta])
