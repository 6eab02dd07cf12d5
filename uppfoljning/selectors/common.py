"""What the follow-up selectors share: counted statuses, rounds, filters and level counts.

Only self-assessments that are submitted or approved (``RAKNADE``) enter the aggregates.
Nothing here checks permissions: callers pass objects and querysets already scoped by
``vardcentraler.behorighet``. Every function states its query cost.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q, QuerySet

from malbild.models import Tema
from uppfoljning.statistik import (
    EJ_TILLAMPLIGT,
    NIVA,
    STORLEKSKLASSER,
    VET_EJ,
    Fordelning,
    Jamforelse,
)
from vardcentraler.models import Kommun, Omgang, Region, Sjalvskattning, Svar, Vardcentral

RAKNADE = (Sjalvskattning.Status.INSKICKAD, Sjalvskattning.Status.GODKAND)


@dataclass(kw_only=True)
class Sammanstallning:
    """What the region and national views share: per theme a median, a distribution and
    trends (per round or per year), over ``antal_enheter`` vårdcentraler."""

    teman: list[Tema] = field(default_factory=list)
    median_per_tema: dict[str, Jamforelse] = field(default_factory=dict)
    fordelning_per_tema: dict[str, Fordelning] = field(default_factory=dict)
    trend: dict[str, list[tuple]] = field(default_factory=dict)  # theme code → (period, figure)
    trend_andel: dict[str, list[tuple]] = field(default_factory=dict)  # share at levels 3–4
    antal_enheter: int = 0


def kategori_antal() -> dict[str, Count]:
    """Annotations counting answers per category: n1–n4 (levels), n_vet_ej, n_ej, in
    ``KATEGORIER``'s order. For ``.annotate(**kategori_antal())``; no query by itself."""
    return {
        **{f"n{n}": Count("pk", filter=Q(typ=NIVA, niva=n)) for n in (1, 2, 3, 4)},
        "n_vet_ej": Count("pk", filter=Q(typ=VET_EJ)),
        "n_ej": Count("pk", filter=Q(typ=EJ_TILLAMPLIGT)),
    }


def rader_fetch(qs: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` queryset through a plain cursor: integers and strings as
    the database driver gives them, without the ORM's converter per value (≈ 20 000 counts
    on the dashboard, ≈ 5 ms). Only for columns that need no conversion. One query."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class Urval:
    """Dashboard filters. Empty strings mean "all"."""

    driftsform: str = ""
    storleksklass: str = ""
    kommun: str = ""  # kommun code

    def tillampa(self, qs: QuerySet[Vardcentral]) -> QuerySet[Vardcentral]:
        """Narrow a unit queryset. No query until evaluated."""
        if self.driftsform:
            qs = qs.filter(driftsform=self.driftsform)
        if self.kommun:
            qs = qs.filter(kommun__kod=self.kommun)
        if self.storleksklass:
            for nyckel, _namn, fran, till in STORLEKSKLASSER:
                if nyckel == self.storleksklass:
                    qs = qs.filter(listade_patienter__gte=fran)
                    if till is not None:
                        qs = qs.filter(listade_patienter__lt=till)
        return qs

    @property
    def aktivt(self) -> bool:
        return bool(self.driftsform or self.storleksklass or self.kommun)


def omgangar_for_region(region: Region) -> list[Omgang]:
    """The region's rounds, oldest first. One query."""
    return list(
        Omgang.objects.filter(region=region)
        .select_related("malbild_version")
        .order_by("period_start", "pk")
    )


def omgang_aktuell(omgangar: list[Omgang], omgang_id: int | None = None) -> Omgang | None:
    """The chosen round (if it is in the list), else the newest. No query."""
    if omgang_id is not None:
        for omgang in omgangar:
            if omgang.pk == omgang_id:
                return omgang
    return omgangar[-1] if omgangar else None


def senaste_omgangar_per_region() -> dict[int, int]:
    """region id → id of its newest round with at least one counted self-assessment. One query."""
    rader = (
        Omgang.objects.filter(sjalvskattningar__status__in=RAKNADE)
        .values_list("pk", "region_id", "period_start")
        .distinct()
    )
    senaste: dict[int, tuple[datetime.date, int]] = {}
    for pk, region_id, start in rader:
        if region_id not in senaste or (start, pk) > senaste[region_id]:
            senaste[region_id] = (start, pk)
    return {region_id: pk for region_id, (_start, pk) in senaste.items()}


def raknade_i_senaste_omgangar() -> list[int]:
    """Ids of the counted self-assessments in each region's newest round with any. One query.

    The same rounds as ``senaste_omgangar_per_region``, read from the counted assessments
    themselves (≈ 2 800 small rows at national scale) so that their ids come along.
    """
    senaste: dict[int, tuple[datetime.date, int]] = {}
    per_omgang: dict[int, list[int]] = defaultdict(list)
    for pk, omgang_id, region_id, start in Sjalvskattning.objects.filter(
        status__in=RAKNADE
    ).values_list("pk", "omgang_id", "omgang__region_id", "omgang__period_start"):
        per_omgang[omgang_id].append(pk)
        if region_id not in senaste or (start, omgang_id) > senaste[region_id]:
            senaste[region_id] = (start, omgang_id)
    return [pk for _start, omgang_id in senaste.values() for pk in per_omgang[omgang_id]]


def nivaantal_per_kriterium(
    omgang_ids: Iterable[int] = (), *, sjalvskattning_ids: list[int] | None = None
) -> dict[int, Counter]:
    """criterion id → Counter(level → answers) over counted assessments. One query.

    The assessments are those of the rounds, or ``sjalvskattning_ids`` when given. The
    rounds' assessments are an ``IN (subquery)`` rather than a join: SQLite then looks the
    answers up by assessment instead of scanning all of them (150 ms → 11 ms at national
    scale, measured by ``make bench``). Given as a list of ids, PostgreSQL too looks them
    up through the index instead of scanning all 118 000 answers (23 → 14 ms).
    """
    antal: dict[int, Counter] = defaultdict(Counter)
    if sjalvskattning_ids is not None:
        raknade = sjalvskattning_ids
    else:
        raknade = Sjalvskattning.objects.filter(
            omgang_id__in=list(omgang_ids), status__in=RAKNADE
        ).values("pk")
    rader = (
        Svar.objects.besvarade()
        .filter(sjalvskattning__in=raknade, typ=NIVA)
        .values_list("kriterium_id", "niva")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for kriterium_id, niva, n in rader:
        antal[kriterium_id][niva] += n
    return antal


def kommuner_for(vardcentraler: QuerySet[Vardcentral]) -> list[Kommun]:
    """The municipalities of the given vårdcentraler (the dashboard's filter). One query."""
    return list(Kommun.objects.filter(vardcentraler__in=vardcentraler.values("pk")).distinct())
