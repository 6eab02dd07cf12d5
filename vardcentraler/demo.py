"""Clearly fictional demo data: users for every role and vårdcentraler in every region.

Nothing here resembles a real unit: names are "Demo …", HSA-ids carry the
organisation-number prefix SE23210000<region code> and the suffix DEMO.
Deterministic from ``seed`` and idempotent: running it twice changes nothing.
"""

import random

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Kommun, Profil, Region, Vardcentral

DEMO_LOSENORD = "malbild-demo"
DEMO_REGION_KOD = "01"  # Region Stockholm

FORLEDER = [
    "Lärkan",
    "Linden",
    "Eken",
    "Björken",
    "Rönnen",
    "Tranan",
    "Svalan",
    "Hägern",
    "Vitsippan",
    "Blåklockan",
    "Kastanjen",
    "Måsen",
    "Ugglan",
    "Enen",
    "Tallen",
    "Aspen",
    "Näktergalen",
    "Sjöstjärnan",
    "Fyren",
    "Bryggan",
    "Ängen",
    "Kvarnen",
    "Torget",
    "Hamnen",
    "Källan",
    "Dalen",
    "Backen",
    "Udden",
    "Holmen",
    "Strand",
]


def hsa_id_demo(region_kod: str, nummer: int) -> str:
    return f"SE23210000{region_kod}-DEMO{nummer:04d}"


def listade_patienter_slump(rng: random.Random) -> int:
    """Listed patients: skewed like the real spread (under 1,000 to over 30,000, median ~8,000)."""
    return int(min(max(rng.lognormvariate(9.0, 0.55), 800), 32000))


def vardcentraler_demo_create(*, per_region: int, seed: int = 2024) -> list[Vardcentral]:
    """Create ``per_region`` fictional units in every region, spread over its kommuner."""
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
    forsta = Vardcentral.objects.filter(region=stockholm).order_by("hsa_id").first()
    if forsta:
        profil.vardcentraler.set([forsta])
