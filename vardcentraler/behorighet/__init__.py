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

One package, one import (``from vardcentraler import behorighet``): this module holds the
roles, scopes, predicates and lookups; ``anvandare`` who manages which accounts, who must
use a second factor and who hears about what; ``mallar`` the ``Behorighet`` that templates ask.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Omgang, Profil, Region, Sjalvskattning, Vardcentral


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


# The rest of the policy, re-exported so that every rule is asked through this one name.
from .anvandare import (  # noqa: E402
    NATIONELLA_KONTOROLLER,
    REGIONALA_KONTOROLLER,
    ROLLNAMN,
    anvandare_for,
    anvandare_med_enheter,
    anvandarregion,
    chefer_for_vardcentral,
    chefsprofiler_for_vardcentraler,
    far_hantera_anvandare,
    far_hantera_anvandare_i_region,
    far_hantera_nationella_anvandare,
    planerare_for_region,
    roll_ar_admin,
    roll_kraver_vardcentraler,
    roll_namn,
    roller_att_tilldela,
    tvasteg_erbjuds,
    tvasteg_kravs,
)
from .mallar import Behorighet  # noqa: E402

__all__ = [
    "Behorighet",
    "NATIONELLA_KONTOROLLER",
    "NATIONELLA_ROLLER",
    "REGIONALA_KONTOROLLER",
    "REGIONENS_ROLLER",
    "ROLLNAMN",
    "Roll",
    "anvandare_for",
    "anvandare_med_enheter",
    "anvandarregion",
    "ar_admin",
    "ar_verksamhetschef",
    "chefer_for_vardcentral",
    "chefsprofiler_for_vardcentraler",
    "egen_region",
    "egen_vardcentral",
    "exempel_region_id",
    "far_hantera_anvandare",
    "far_hantera_anvandare_i_region",
    "far_hantera_nationella_anvandare",
    "kan_andra_teambedomning",
    "kan_anvanda_api",
    "kan_granska",
    "kan_importera",
    "kan_lagga_till_exempel",
    "kan_skapa_omgang",
    "kan_skriva",
    "kan_valja_region",
    "leder_teambedomning",
    "omgang_get_for_user",
    "omgang_managed_get_for_user",
    "omgangar_for",
    "planerar_region",
    "planerare_for_region",
    "profil_for",
    "region_get_for_user",
    "region_managed_get_for_user",
    "regioner_for",
    "roll_ar_admin",
    "roll_for",
    "roll_kraver_vardcentraler",
    "roll_namn",
    "roller_att_tilldela",
    "ser_enheter",
    "ser_nationellt",
    "ser_regionen",
    "sjalvskattning_get_for_user",
    "sjalvskattning_team_get_for_user",
    "sjalvskattning_write_get_for_user",
    "sjalvskattningar_for",
    "tvasteg_erbjuds",
    "tvasteg_kravs",
    "vardcentral_get_for_user",
    "vardcentraler_for",
]
