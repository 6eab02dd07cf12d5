"""Who may see and change what: the product's one access policy.

Every question "may this user see / change this object?" is answered here, and nowhere
else compares a role: views ask the predicates, selectors start from the scoped
querysets, the context processor hands templates a ``Behorighet`` and the templates
ask its attributes. A new view adds its rule here and its row in tests/test_behorighet.py.

The roles:
- administrator (a superuser; needs no profile): everything, every region;
- regional planner: the own region, its units and rounds, which they manage;
- verksamhetschef: their own units, and the rounds of those units' regions;
- national reader: every region, but as aggregates only (never a single unit).

Lookups outside the user's scope answer 404, never 403, so that another region's
objects are not even confirmed to exist.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Omgang, Profil, Region, Sjalvskattning, Vardcentral


class Roll(StrEnum):
    """A user's role: the profile's roles, and the administrator (a superuser, no profile)."""

    ADMIN = "admin"
    PLANERARE = Profil.Roll.PLANERARE.value
    VERKSAMHETSCHEF = Profil.Roll.VERKSAMHETSCHEF.value
    NATIONELL = Profil.Roll.NATIONELL.value


# Roles that work inside a region (see its units and rounds) and those that read the nation.
REGIONENS_ROLLER = frozenset({Roll.ADMIN, Roll.PLANERARE, Roll.VERKSAMHETSCHEF})
NATIONELLA_ROLLER = frozenset({Roll.ADMIN, Roll.NATIONELL})


def profil_for(user) -> Profil | None:
    """The user's profile, cached on the user object: at most one query per request."""
    if not hasattr(user, "_profil_cache"):
        user._profil_cache = Profil.objects.select_related("region").filter(anvandare=user).first()
    return user._profil_cache


def roll_for(user) -> Roll | None:
    """The user's role, or None (anonymous, inactive or without a profile). No query if cached."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Roll.ADMIN
    profil = profil_for(user)
    return Roll(profil.roll) if profil else None


# --- Scopes: what a user may see ------------------------------------------------------------


def regioner_for(user) -> QuerySet[Region]:
    """Regions whose aggregates the user may read. One query when evaluated."""
    roll = roll_for(user)
    if roll in NATIONELLA_ROLLER:
        return Region.objects.all()
    if roll == Roll.PLANERARE:
        return Region.objects.filter(pk=profil_for(user).region_id)
    if roll == Roll.VERKSAMHETSCHEF:
        return Region.objects.filter(vardcentraler__chefer=profil_for(user)).distinct()
    return Region.objects.none()


def vardcentraler_for(user) -> QuerySet[Vardcentral]:
    """Single units the user may open. National readers see none (aggregates only)."""
    roll = roll_for(user)
    qs = Vardcentral.objects.select_related("region", "kommun")
    if roll == Roll.ADMIN:
        return qs
    if roll == Roll.PLANERARE:
        return qs.filter(region_id=profil_for(user).region_id)
    if roll == Roll.VERKSAMHETSCHEF:
        return qs.filter(chefer=profil_for(user))
    return qs.none()


def omgangar_for(user) -> QuerySet[Omgang]:
    """Rounds of the regions the user works in (not the national reader's)."""
    roll = roll_for(user)
    qs = Omgang.objects.select_related("region", "malbild_version")
    if roll == Roll.ADMIN:
        return qs
    if roll in REGIONENS_ROLLER:
        return qs.filter(region__in=regioner_for(user))
    return qs.none()


def sjalvskattningar_for(user) -> QuerySet[Sjalvskattning]:
    """Self-assessments the user may open (round, region and unit joined). No query until evaluated."""
    roll = roll_for(user)
    qs = Sjalvskattning.objects.select_related(
        "omgang__region", "omgang__malbild_version", "vardcentral"
    )
    if roll == Roll.ADMIN:
        return qs
    if roll == Roll.PLANERARE:
        return qs.filter(vardcentral__region_id=profil_for(user).region_id)
    if roll == Roll.VERKSAMHETSCHEF:
        return qs.filter(vardcentral__chefer=profil_for(user))
    return qs.none()


def egen_region(user) -> Region | None:
    """The region a planner plans for, or the single region of a verksamhetschef's units."""
    roll = roll_for(user)
    if roll == Roll.PLANERARE:
        return profil_for(user).region
    if roll == Roll.VERKSAMHETSCHEF:
        regioner = list(regioner_for(user)[:2])
        return regioner[0] if len(regioner) == 1 else None
    return None


def egen_vardcentral(user) -> Vardcentral | None:
    """The one unit of a verksamhetschef who manages exactly one (their follow-up is that
    unit's own page), else None. One query for a manager, none for anyone else."""
    if roll_for(user) != Roll.VERKSAMHETSCHEF:
        return None
    enheter = list(vardcentraler_for(user)[:2])
    return enheter[0] if len(enheter) == 1 else None


# --- Predicates: what a user may do ---------------------------------------------------------


def ar_admin(user) -> bool:
    return roll_for(user) == Roll.ADMIN


def ser_regionen(user) -> bool:
    """May the user work inside a region: its unit list, rounds and region dashboard?"""
    return roll_for(user) in REGIONENS_ROLLER


def ser_nationellt(user) -> bool:
    """May the user read the national overview (every region, aggregates only)?"""
    return roll_for(user) in NATIONELLA_ROLLER


def ser_enheter(user) -> bool:
    """May the user see single units at all (everyone but the national reader)?"""
    return roll_for(user) in REGIONENS_ROLLER


def ar_verksamhetschef(user) -> bool:
    """Does the user see only their own units (the start page and dashboard say "dina")?"""
    return roll_for(user) == Roll.VERKSAMHETSCHEF


def planerar_region(user, region: Region) -> bool:
    """May the user manage (write) this region's units, rounds, targets and requirements?"""
    roll = roll_for(user)
    if roll == Roll.ADMIN:
        return True
    return roll == Roll.PLANERARE and profil_for(user).region_id == region.pk


def kan_anvanda_api(user) -> bool:
    """May the user create API tokens? Anyone with a role: a token reads only what its user
    may see (the API asks the scopes above about the token's user)."""
    return roll_for(user) is not None


def kan_skapa_omgang(user) -> bool:
    """May the user open a round: a planner for their region, the administrator for any."""
    roll = roll_for(user)
    return roll == Roll.ADMIN or (roll == Roll.PLANERARE and egen_region(user) is not None)


def kan_valja_region(user) -> bool:
    """Does the user choose the region of what they create (the administrator), or is it theirs?"""
    return roll_for(user) == Roll.ADMIN


def kan_importera(user) -> bool:
    """May the user import units? A planner, into their own region (the admin uses Django admin)."""
    return roll_for(user) == Roll.PLANERARE


def kan_skriva(user, sjalvskattning: Sjalvskattning) -> bool:
    """May the user change answers and actions of this self-assessment?

    The unit's own verksamhetschef (one query), the region's planner and the administrator.
    Whether the self-assessment is still open is the services' rule (``Sjalvskattning.ar_last``):
    they refuse a locked one with a message rather than a 404.
    """
    if roll_for(user) == Roll.VERKSAMHETSCHEF:
        return Profil.vardcentraler.through.objects.filter(
            profil_id=profil_for(user).pk, vardcentral_id=sjalvskattning.vardcentral_id
        ).exists()
    return planerar_region(user, sjalvskattning.omgang.region)


def kan_granska(user, sjalvskattning: Sjalvskattning) -> bool:
    """May the user approve, return or reopen? The region's planner and the administrator."""
    return planerar_region(user, sjalvskattning.omgang.region)


def leder_teambedomning(user, sjalvskattning: Sjalvskattning) -> bool:
    """May the user run the unit's team assessment (issue 15): invite members, see each
    member's name and rating, record the consensus? The unit's own verksamhetschef (one
    query) and the administrator. The planner sees the spread only, without names."""
    roll = roll_for(user)
    if roll == Roll.ADMIN:
        return True
    return roll == Roll.VERKSAMHETSCHEF and kan_skriva(user, sjalvskattning)


def kan_andra_teambedomning(user, omgang: Omgang) -> bool:
    """May the user switch a round's "teambedömning" on or off? Its region's planner, the admin."""
    return planerar_region(user, omgang.region)


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


def kan_lagga_till_exempel(user) -> bool:
    """May the user add a practice example ("Så har andra gjort") for their own region?

    A planner, for the region they plan for. The administrator has no region of its own
    (and manages examples in Django admin).
    """
    return roll_for(user) == Roll.PLANERARE and egen_region(user) is not None


def exempel_region_id(user) -> int | None:
    """The region whose own practice examples the user sees besides the library's.

    A planner's region or a verksamhetschef's single region; None for everyone else, who
    see the library's examples only. At most one query (the profile is cached).
    """
    region = egen_region(user)
    return region.pk if region else None


# --- Lookups: one object, or 404 ------------------------------------------------------------


def region_get_for_user(user, kod: str) -> Region:
    return get_object_or_404(regioner_for(user), kod=kod)


def region_managed_get_for_user(user, kod: str) -> Region:
    """A region the user plans for; 404 otherwise (also for readers of that region)."""
    region = get_object_or_404(Region, kod=kod)
    if not planerar_region(user, region):
        raise Http404
    return region


def vardcentral_get_for_user(user, hsa_id: str) -> Vardcentral:
    return get_object_or_404(vardcentraler_for(user), hsa_id=hsa_id)


def omgang_get_for_user(user, pk: int) -> Omgang:
    return get_object_or_404(omgangar_for(user), pk=pk)


def omgang_managed_get_for_user(user, pk: int) -> Omgang:
    """A round the user plans for (its targets, requirements, review); 404 otherwise."""
    omgang = omgang_get_for_user(user, pk)
    if not planerar_region(user, omgang.region):
        raise Http404
    return omgang


def sjalvskattning_get_for_user(user, omgang_pk: int, hsa_id: str) -> Sjalvskattning:
    """One unit's assessment in one round, or 404. One query (plus the cached profile)."""
    return get_object_or_404(
        sjalvskattningar_for(user), omgang_id=omgang_pk, vardcentral__hsa_id=hsa_id
    )


def sjalvskattning_team_get_for_user(user, omgang_pk: int, hsa_id: str) -> Sjalvskattning:
    """A self-assessment whose team assessment the user runs, in a round with
    "teambedömning"; 404 otherwise (also for the region's planner)."""
    sjalvskattning = sjalvskattning_get_for_user(user, omgang_pk, hsa_id)
    if not sjalvskattning.omgang.teambedomning or not leder_teambedomning(user, sjalvskattning):
        raise Http404
    return sjalvskattning


def sjalvskattning_write_get_for_user(user, omgang_pk: int, hsa_id: str) -> Sjalvskattning:
    """A self-assessment the user may change (``kan_skriva``); 404 otherwise."""
    sjalvskattning = sjalvskattning_get_for_user(user, omgang_pk, hsa_id)
    if not kan_skriva(user, sjalvskattning):
        raise Http404
    return sjalvskattning


# --- For templates --------------------------------------------------------------------------


class Behorighet:
    """The policy as templates ask it (``{% if behorighet.ser_regionen %}``).

    Lazy: nothing is computed (and no query made) until a template reads an attribute.
    """

    def __init__(self, user):
        self._user = user

    @cached_property
    def roll(self) -> Roll | None:
        return roll_for(self._user)

    @cached_property
    def rollnamn(self) -> str:
        if self.roll == Roll.ADMIN:
            return "Administratör"
        return Profil.Roll(self.roll.value).label if self.roll else ""

    @cached_property
    def ar_admin(self) -> bool:
        return ar_admin(self._user)

    @cached_property
    def ar_verksamhetschef(self) -> bool:
        return ar_verksamhetschef(self._user)

    @cached_property
    def ar_planerare(self) -> bool:
        return self.roll == Roll.PLANERARE

    @cached_property
    def ar_nationell(self) -> bool:
        return self.roll == Roll.NATIONELL

    @cached_property
    def ser_regionen(self) -> bool:
        return ser_regionen(self._user)

    @cached_property
    def ser_nationellt(self) -> bool:
        return ser_nationellt(self._user)

    @cached_property
    def ser_enheter(self) -> bool:
        return ser_enheter(self._user)

    @cached_property
    def tvasteg_erbjuds(self) -> bool:
        return tvasteg_erbjuds(self._user)

    @cached_property
    def kan_anvanda_api(self) -> bool:
        return kan_anvanda_api(self._user)

    @cached_property
    def ser_uppfoljning(self) -> bool:
        return self.roll is not None

    @cached_property
    def far_hantera_anvandare(self) -> bool:
        return far_hantera_anvandare(self._user)


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
