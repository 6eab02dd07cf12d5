"""Accounts and sign-in: who manages which users, who must use a second factor, and who
hears about what (the recipients of notifications). Part of the one access policy."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from ..models import Profil, Region
from . import (
    Roll,
    planerar_region,
    profil_for,
    roll_for,
)

# --- Sign-in: the second factor (inloggning, issue 18) ---------------------------------------


def tvasteg_erbjuds(user) -> bool:
    """May the user turn on a second factor (TOTP)? Planners and administrators with a local
    password; accounts that sign in through the region's identity provider (no usable
    password) get theirs there. At most one query (the profile)."""
    return (
        user.is_authenticated
        and user.has_usable_password()
        and roll_for(user) in (Roll.ADMIN, Roll.PLANERARE)
    )


def tvasteg_kravs(user) -> bool:
    """Must the user give a second factor? An administrator with a local password; under
    DEBUG only with OTP_REQUIRED_FOR_ADMINS=1 (settings.TVASTEG_KRAVS_FOR_ADMIN). No query:
    only a superuser is asked for a role, and a superuser's needs no profile."""
    return bool(
        settings.TVASTEG_KRAVS_FOR_ADMIN
        and user.is_authenticated
        and user.is_superuser
        and roll_for(user) == Roll.ADMIN
        and user.has_usable_password()
    )


# --- Accounts (konton, issue 18): who may manage which users --------------------------------

# Roles a planner may give within the own region; national readers and administrators are
# given (and changed) by administrators only.
REGIONALA_KONTOROLLER = (Roll.PLANERARE, Roll.VERKSAMHETSCHEF)
NATIONELLA_KONTOROLLER = (Roll.NATIONELL, Roll.ADMIN)
ROLLNAMN = {**{Roll(v): namn for v, namn in Profil.Roll.choices}, Roll.ADMIN: "Administratör"}


def far_hantera_anvandare(user) -> bool:
    """May the user open the "Användare" page at all (planners and administrators)?"""
    return roll_for(user) in (Roll.ADMIN, Roll.PLANERARE)


def far_hantera_nationella_anvandare(user) -> bool:
    """May the user invite and change national readers and administrators? Admins only."""
    return roll_for(user) == Roll.ADMIN


def anvandarregion(user) -> Region | None:
    """The region whose users a planner manages; None for administrators (all regions)."""
    if roll_for(user) == Roll.PLANERARE:
        return profil_for(user).region
    return None


def far_hantera_anvandare_i_region(user, region: Region) -> bool:
    """May the user invite and change planners and verksamhetschefer of this region?"""
    return far_hantera_anvandare(user) and planerar_region(user, region)


def roller_att_tilldela(user, region: Region | None) -> list[tuple[str, str]]:
    """The roles the user may give: regional roles with a region, national ones without."""
    if region is None:
        roller = NATIONELLA_KONTOROLLER if far_hantera_nationella_anvandare(user) else ()
    else:
        roller = REGIONALA_KONTOROLLER if far_hantera_anvandare_i_region(user, region) else ()
    return [(r.value, ROLLNAMN[r]) for r in roller]


def roll_kraver_vardcentraler(roll: str) -> bool:
    """A verksamhetschef is tied to one or more vårdcentraler."""
    return roll == Roll.VERKSAMHETSCHEF


def roll_ar_admin(roll: str) -> bool:
    return roll == Roll.ADMIN


def roll_namn(user) -> str:
    """The Swedish name of the user's role; "Ingen roll" without one (or when inactive)."""
    roll = roll_for(user)
    if roll is None and user.is_superuser:
        return ROLLNAMN[Roll.ADMIN]
    if roll is None and profil_for(user) is not None:
        return ROLLNAMN[Roll(profil_for(user).roll)]
    return ROLLNAMN.get(roll, "Ingen roll")


def anvandare_for(user) -> QuerySet:
    """Users the actor may manage. Planners: the own region's planners and verksamhetschefer
    (by profile region or by a unit in the region), active or not; administrators: everyone.
    No query until evaluated."""
    from django.db.models import Q

    qs = get_user_model().objects.all()
    roll = roll_for(user)
    if roll == Roll.ADMIN:
        return qs
    if roll == Roll.PLANERARE:
        region_id = profil_for(user).region_id
        return qs.filter(
            Q(profil__region_id=region_id) | Q(profil__vardcentraler__region_id=region_id),
            profil__roll__in=[r.value for r in REGIONALA_KONTOROLLER],
        ).distinct()
    return qs.none()


# --- Who hears about what (the recipients of notifications) ---------------------------------


def planerare_for_region(region_id: int) -> QuerySet:
    """Active users who plan for the region (not administrators): they review what units send."""
    return get_user_model().objects.filter(
        is_active=True, profil__roll=Roll.PLANERARE, profil__region_id=region_id
    )


def chefer_for_vardcentral(vardcentral_id: int) -> QuerySet:
    """Active verksamhetschefer of the unit: they hear about their self-assessment."""
    return get_user_model().objects.filter(
        is_active=True,
        profil__roll=Roll.VERKSAMHETSCHEF,
        profil__vardcentraler__id=vardcentral_id,
    )


def anvandare_med_enheter() -> QuerySet:
    """Active users who follow units' actions (planners and verksamhetschefer), profile joined."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profil__roll__in=[Roll.PLANERARE, Roll.VERKSAMHETSCHEF])
        .select_related("profil__region")
    )


def chefsprofiler_for_vardcentraler(vardcentral_ids) -> QuerySet[Profil]:
    """The active verksamhetschefer of these units (their contacts), user joined, units prefetched."""
    return (
        Profil.objects.filter(
            roll=Roll.VERKSAMHETSCHEF,
            anvandare__is_active=True,
            vardcentraler__in=vardcentral_ids,
        )
        .select_related("anvandare")
        .prefetch_related("vardcentraler")
        .distinct()
    )
