"""Who may see and change what: the one access-policy module."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .models import Profil, Region
from .selectors import profil_for, roll_for

# --- Accounts (konton, issue 18): who may manage which users -------------------------

ADMIN = "admin"
# Roles a planner may give within the own region; the rest (national reader, admin)
# are given by administrators only.
REGIONALA_ROLLER = (Profil.Roll.PLANERARE, Profil.Roll.VERKSAMHETSCHEF)
NATIONELLA_ROLLER = (Profil.Roll.NATIONELL, ADMIN)
ROLL_NAMN = {**dict(Profil.Roll.choices), ADMIN: "Administratör"}


def far_hantera_anvandare(user) -> bool:
    """May the user open the "Användare" page at all (planners and administrators)?"""
    return roll_for(user) in (ADMIN, Profil.Roll.PLANERARE)


def far_hantera_nationella_anvandare(user) -> bool:
    """May the user invite and change national readers and administrators? Admins only."""
    return roll_for(user) == ADMIN


def anvandarregion(user) -> Region | None:
    """The region whose users a planner manages; None for administrators and everyone else."""
    if roll_for(user) == Profil.Roll.PLANERARE:
        return profil_for(user).region
    return None


def far_hantera_anvandare_i_region(user, region: Region) -> bool:
    """May the user invite and change planners and verksamhetschefer of this region?"""
    roll = roll_for(user)
    if roll == ADMIN:
        return True
    return roll == Profil.Roll.PLANERARE and profil_for(user).region_id == region.pk


def roller_att_tilldela(user, region: Region | None) -> list[tuple[str, str]]:
    """The roles the user may give: regional roles with a region, national ones without."""
    if region is None:
        roller = NATIONELLA_ROLLER if far_hantera_nationella_anvandare(user) else ()
    else:
        roller = REGIONALA_ROLLER if far_hantera_anvandare_i_region(user, region) else ()
    return [(str(r), ROLL_NAMN[r]) for r in roller]


def roll_ar_regional(roll: str) -> bool:
    return roll in REGIONALA_ROLLER


def roll_kraver_vardcentraler(roll: str) -> bool:
    """A verksamhetschef is tied to one or more vårdcentraler."""
    return roll == Profil.Roll.VERKSAMHETSCHEF


def roll_ar_admin(roll: str) -> bool:
    return roll == ADMIN


def roll_namn(user) -> str:
    """The Swedish name of the user's role, "Ingen roll" without one."""
    return ROLL_NAMN.get(roll_for(user), "Ingen roll")


def anvandare_for(user) -> QuerySet:
    """Users the actor may manage. Planners: the own region's planners and
    verksamhetschefer (by profile region or by a unit in the region); administrators:
    everyone. No query until evaluated."""
    qs = get_user_model().objects.all()
    roll = roll_for(user)
    if roll == ADMIN:
        return qs
    if roll == Profil.Roll.PLANERARE:
        region_id = profil_for(user).region_id
        return qs.filter(
            Q(profil__region_id=region_id) | Q(profil__vardcentraler__region_id=region_id),
            profil__roll__in=REGIONALA_ROLLER,
        ).distinct()
    return qs.none()
