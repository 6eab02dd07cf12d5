"""Which demo units exist: a pure plan from the reference data and the seed."""

import math
import random
from dataclasses import dataclass

from vardcentraler.models import Kommun, Region, Vardcentral
from vardcentraler.referensdata import kommun_rows

from .tabeller import ANTAL_NATIONELLT, DEMO_HSA_MARKOR, DEMO_REGION_KOD, FORLEDER, KOMMUN_INVANARE


def hsa_id_demo(region_kod: str, nummer: int) -> str:
    return f"SE23210000{region_kod}{DEMO_HSA_MARKOR}{nummer:04d}"


def listade_patienter_slump(rng: random.Random, *, kommun_tusental: float = 10) -> int:
    """Listed patients: skewed like the real spread, from under 1,000 to over 30,000.

    Units in small kommuner are smaller; the median is about 8,000 in towns.
    """
    if kommun_tusental <= 10 and rng.random() < 0.05:
        return rng.randint(650, 2200)  # a small unit in a sparsely populated kommun
    mu = 8.55 + 0.12 * math.log(max(kommun_tusental, 2))
    return int(min(max(rng.lognormvariate(mu, 0.62), 600), 34000))


def antal_per_region(scale: str) -> dict[str, int]:
    """Units per region: national ≈ 1 200; demo 25 in Stockholm and 6–10 elsewhere."""
    if scale == "national":
        return dict(ANTAL_NATIONELLT)
    if scale == "demo":
        return {
            kod: 25 if kod == DEMO_REGION_KOD else min(max(round(n / 15), 6), 10)
            for kod, n in ANTAL_NATIONELLT.items()
        }
    raise ValueError(f"Okänd skala: {scale}")


@dataclass(frozen=True)
class VardcentralPlan:
    hsa_id: str
    namn: str
    region_kod: str
    kommun_kod: str
    driftsform: str
    listade_patienter: int


def _vikt(namn: str) -> float:
    return KOMMUN_INVANARE.get(namn, 10)


def _privat_andel(region_kod: str, kommun_tusental: float) -> float:
    bas = {"01": 0.55, "12": 0.45, "14": 0.42}.get(region_kod)
    if bas is None:
        bas = 0.15 if region_kod in ("22", "23", "24", "25") else 0.3
    # Private units cluster in the larger towns.
    return min(bas + 0.06 * math.log10(max(kommun_tusental, 1) / 10), 0.85)


def vardcentraler_plan(*, scale: str, seed: int) -> list[VardcentralPlan]:
    """The demo units to exist, in HSA-id order. Pure: reads only the reference CSV."""
    kommuner: dict[str, list[tuple[str, str]]] = {}
    for row in kommun_rows():
        kommuner.setdefault(row["county_code"], []).append(
            (row["municipality_code"], row["municipality_name_short"])
        )
    planer = []
    for region_kod, antal in sorted(antal_per_region(scale).items()):
        rng = random.Random(f"vardcentral-{seed}-{region_kod}")
        region_kommuner = sorted(kommuner[region_kod])
        vikter = [_vikt(namn) for _, namn in region_kommuner]
        if antal >= len(region_kommuner):
            # Every kommun has a vårdcentral; the rest go where people live.
            val = list(region_kommuner)
            val += rng.choices(region_kommuner, weights=vikter, k=antal - len(val))
        else:
            val = rng.choices(region_kommuner, weights=vikter, k=antal)
        rng.shuffle(val)
        anvanda: dict[str, int] = {}
        for nummer, (kommun_kod, kommun_namn) in enumerate(val, start=1):
            i = anvanda.get(kommun_kod, 0)
            anvanda[kommun_kod] = i + 1
            forled = FORLEDER[(i * 7 + int(kommun_kod)) % len(FORLEDER)]
            varv = i // len(FORLEDER)
            namn = f"Demo vårdcentral {forled}{f' {varv + 1}' if varv else ''} {kommun_namn}"
            tusental = _vikt(kommun_namn)
            privat = rng.random() < _privat_andel(region_kod, tusental)
            listade = listade_patienter_slump(rng, kommun_tusental=tusental)
            if privat:
                listade = int(listade * 0.85)
            planer.append(
                VardcentralPlan(
                    hsa_id=hsa_id_demo(region_kod, nummer),
                    namn=namn,
                    region_kod=region_kod,
                    kommun_kod=kommun_kod,
                    driftsform=(
                        Vardcentral.Driftsform.PRIVAT if privat else Vardcentral.Driftsform.REGIONAL
                    ),
                    listade_patienter=max(listade, 600),
                )
            )
    return planer


def vardcentraler_demo_create(*, per_region: int, seed: int = 2024) -> list[Vardcentral]:
    """Only units, ``per_region`` in every region, without rounds (for tests that need few).

    The full demo (rounds, answers, actions) is ``demodata_create``.
    """
    rng = random.Random(seed)
    skapade = []
    kommuner_per_region: dict[int, list[Kommun]] = {}
    for kommun in Kommun.objects.order_by("kod"):
        kommuner_per_region.setdefault(kommun.region_id, []).append(kommun)
    befintliga = set(Vardcentral.objects.values_list("hsa_id", flat=True))
    nya = []
    for region in Region.objects.order_by("kod"):
        kommuner = kommuner_per_region[region.pk]
        for nummer in range(1, per_region + 1):
            # The first kommun (often the largest town) gets more units, as in reality.
            kommun = kommuner[0] if rng.random() < 0.3 else rng.choice(kommuner)
            forled = FORLEDER[(nummer - 1) % len(FORLEDER)]
            omgang = (nummer - 1) // len(FORLEDER)
            namn = (
                f"Demo vårdcentral {forled}{' ' + str(omgang + 1) if omgang else ''} {kommun.namn}"
            )
            driftsform = (
                Vardcentral.Driftsform.PRIVAT
                if rng.random() < (0.55 if region.kod in ("01", "12", "14") else 0.3)
                else Vardcentral.Driftsform.REGIONAL
            )
            listade = listade_patienter_slump(rng)
            hsa_id = hsa_id_demo(region.kod, nummer)
            if hsa_id in befintliga:
                continue
            nya.append(
                Vardcentral(
                    hsa_id=hsa_id,
                    namn=namn,
                    region=region,
                    kommun=kommun,
                    driftsform=driftsform,
                    listade_patienter=listade,
                )
            )
    skapade = Vardcentral.objects.bulk_create(nya, batch_size=500)
    return skapade
