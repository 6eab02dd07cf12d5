"""Bulk test data for the follow-up views: units, rounds, targets and answers in a few queries."""

import datetime
import random

from malbild.models import Kriterium, MalbildVersion
from uppfoljning.sammanfattning import sammanfattning_rebuild
from vardcentraler.models import (
    Kommun,
    Malniva,
    Omgang,
    Region,
    Sjalvskattning,
    Svar,
    Vardcentral,
)

_raknare = 0


def enheter_skapa(region: Region, antal: int, *, prefix: str = "Uppf") -> list[Vardcentral]:
    """``antal`` units in the region, alternating driftsform, sizes across all size classes."""
    global _raknare
    kommuner = list(Kommun.objects.filter(region=region).order_by("kod")[:3])
    nya = []
    for i in range(antal):
        _raknare += 1
        nya.append(
            Vardcentral(
                hsa_id=f"SE23210000{region.kod}-U{_raknare:06d}",
                namn=f"{prefix} vårdcentral {_raknare:04d}",
                region=region,
                kommun=kommuner[i % len(kommuner)],
                driftsform=("regional", "privat")[i % 2],
                listade_patienter=(3000, 7000, 12000, 25000)[i % 4],
            )
        )
    return Vardcentral.objects.bulk_create(nya)


def omgang_skapa(
    region: Region,
    ar: int,
    version: MalbildVersion | None = None,
    *,
    namn: str | None = None,
    status: str = Omgang.Status.OPPEN,
) -> Omgang:
    """A round; ``namn`` defaults to "<region code>-<year>" (give the year alone to make
    rounds of the same name in several regions, as the national view pools them)."""
    version = version or MalbildVersion.objects.get(slug="2024-10-9251")
    return Omgang.objects.create(
        region=region,
        status=status,
        namn=namn or f"{region.kod}-{ar}",
        malbild_version=version,
        period_start=datetime.date(ar, 1, 1),
        period_slut=datetime.date(ar, 12, 31),
        sista_dag=datetime.date(ar, 10, 31),
    )


def malnivaer_skapa(omgang: Omgang, niva: int = 3) -> None:
    kriterier = Kriterium.objects.for_version(omgang.malbild_version)
    Malniva.objects.bulk_create(Malniva(omgang=omgang, kriterium=k, niva=niva) for k in kriterier)


def svar_skapa(
    omgang: Omgang,
    enheter: list[Vardcentral],
    *,
    niva=None,
    status: str = Sjalvskattning.Status.INSKICKAD,
    seed: int = 1,
) -> None:
    """One self-assessment per unit, one answer per criterion.

    ``niva`` may be a fixed level, a callable ``(unit_index, criterion) -> (typ, niva)``, or
    None for a seeded random mix of levels, "vet ej" and "ej tillämpligt".
    """
    rng = random.Random(seed)
    kriterier = list(Kriterium.objects.for_version(omgang.malbild_version).select_related("tema"))
    skattningar = Sjalvskattning.objects.bulk_create(
        Sjalvskattning(omgang=omgang, vardcentral=vc, status=status) for vc in enheter
    )
    svar = []
    for i, sk in enumerate(skattningar):
        for k in kriterier:
            if callable(niva):
                typ, n = niva(i, k)
            elif niva is not None:
                typ, n = "niva", niva
            else:
                r = rng.random()
                typ, n = (
                    ("vet_ej", None)
                    if r < 0.06
                    else ("ej_tillampligt", None)
                    if r < 0.08
                    else ("niva", rng.randint(1, 4))
                )
            svar.append(Svar(sjalvskattning=sk, kriterium=k, typ=typ, niva=n))
    Svar.objects.bulk_create(svar, batch_size=2000)
    # In bulk, past the services that keep the summaries: summarise as seed_demo does.
    sammanfattning_rebuild()
