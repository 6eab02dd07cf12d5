"""Reads scoped to what a user may see.

Every view that looks up a region, a vårdcentral or a round goes through the
``*_get_for_user`` helpers here: anything outside the user's scope answers 404,
so another region's objects cannot even be confirmed to exist.

Scope by role:
- administrator (superuser): everything;
- regional planner: the own region, its units and rounds;
- verksamhetschef: the own units, and the rounds of their regions;
- national reader: all regions, but as aggregates only (no single unit).
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Omgang, Profil, Region, Vardcentral

Roll = Profil.Roll


def roll_for(user) -> str | None:
    """The user's role: ``"admin"``, a ``Profil.Roll`` value, or None. No query if cached."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return "admin"
    profil = profil_for(user)
    return profil.roll if profil else None


def profil_for(user) -> Profil | None:
    """The user's profile, cached on the user object: at most one query per request."""
    if not hasattr(user, "_profil_cache"):
        user._profil_cache = Profil.objects.select_related("region").filter(anvandare=user).first()
    return user._profil_cache


def ser_allt(user) -> bool:
    return roll_for(user) == "admin"


def regioner_for(user) -> QuerySet[Region]:
    """Regions whose aggregates the user may read. One query when evaluated."""
    roll = roll_for(user)
    if roll in ("admin", Roll.NATIONELL):
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
    if roll == "admin":
        return qs
    if roll == Roll.PLANERARE:
        return qs.filter(region_id=profil_for(user).region_id)
    if roll == Roll.VERKSAMHETSCHEF:
        return qs.filter(chefer=profil_for(user))
    return qs.none()


def omgangar_for(user) -> QuerySet[Omgang]:
    """Rounds of the regions the user belongs to (not the national reader's)."""
    roll = roll_for(user)
    qs = Omgang.objects.select_related("region", "malbild_version")
    if roll == "admin":
        return qs
    if roll in (Roll.PLANERARE, Roll.VERKSAMHETSCHEF):
        return qs.filter(region__in=regioner_for(user))
    return qs.none()


def planerar_region(user, region: Region) -> bool:
    """May the user manage (write) this region's units, rounds, targets and requirements?"""
    roll = roll_for(user)
    if roll == "admin":
        return True
    return roll == Roll.PLANERARE and profil_for(user).region_id == region.pk


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


def egen_region(user) -> Region | None:
    """The region a planner plans for, or the single region of a verksamhetschef's units."""
    roll = roll_for(user)
    if roll == Roll.PLANERARE:
        return profil_for(user).region
    if roll == Roll.VERKSAMHETSCHEF:
        regioner = list(regioner_for(user)[:2])
        return regioner[0] if len(regioner) == 1 else None
    return None
