"""What the follow-up selectors share: counted statuses, rounds, filters and level counts.

Only self-assessments that are submitted or approved (``RAKNADE``) enter the aggregates.
Nothing here checks permissions: callers pass objects and querysets already scoped by
``vardcentraler.behorighet``. Every function states its query cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q, QuerySet

from malbild.models import Tema
from uppfoljning.statistik import (
    EJ_TILLAMPLIGT,
    MIN_GRUPP,
    NIVA,
    STORLEKSKLASSER,
    VET_EJ,
    Fordelning,
    Jamforelse,
    liten_grupp,
)
from vardcentraler.models import Kommun, Omgang, Region, Sjalvskattning, Vardcentral

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


def kommuner_for(vardcentraler: QuerySet[Vardcentral]) -> list[Kommun]:
    """The municipalities of the given vårdcentraler (the dashboard's filter). One query."""
    return list(Kommun.objects.filter(vardcentraler__in=vardcentraler.values("pk")).distinct())


@dataclass(frozen=True)
class Omgangsval:
    """The round a follow-up page shows and, in a sentence, why (shown on the page)."""

    omgang: Omgang | None
    motivering: str
    vald: bool = False  # chosen by the user rather than by default


def omgang_valj(
    omgangar: list[Omgang],
    *,
    godkanda: dict[int, int],
    raknade: dict[int, int],
    omgang_id: int | None = None,
    enheter: int = 0,
) -> Omgangsval:
    """The round to show: the user's choice, else the default. No query.

    The default is the newest round with enough approved data to compare: at least
    ``MIN_GRUPP`` approved self-assessments (``godkanda``: round id → approved units).
    A selection too small ever to reach that (a manager's own unit, a narrow filter)
    gets the newest round with any counted self-assessment (``raknade``), else the
    newest round. ``enheter`` is the number of units in the selection (for the sentence).
    """
    if omgang_id is not None:
        for omgang in omgangar:
            if omgang.pk == omgang_id:
                return Omgangsval(omgang, f"Visar omgång {omgang.namn}, som du valt.", vald=True)
    if not omgangar:
        return Omgangsval(None, "Det finns ännu ingen bedömningsomgång.")
    nyast = omgangar[-1]
    for omgang in reversed(omgangar):
        if not liten_grupp(godkanda.get(omgang.pk, 0)):
            if omgang is nyast:
                skal = (
                    f"den senaste omgången; {godkanda[omgang.pk]} av {enheter} vårdcentraler "
                    "har en godkänd självskattning, nog för jämförelser"
                )
            else:
                skal = (
                    f"omgång {nyast.namn} har ännu för få godkända självskattningar "
                    f"({godkanda.get(nyast.pk, 0)}; minst {MIN_GRUPP} behövs för jämförelser), "
                    f"så den senaste omgången med nog många visas ({godkanda[omgang.pk]} av "
                    f"{enheter})"
                )
            return Omgangsval(omgang, f"Visar omgång {omgang.namn}: {skal}.")
    for omgang in reversed(omgangar):
        if raknade.get(omgang.pk):
            skal = (
                "den senaste omgången med inskickade svar"
                if omgang is nyast
                else f"omgång {nyast.namn} har inga inskickade svar ännu"
            )
            return Omgangsval(omgang, f"Visar omgång {omgang.namn}: {skal}.")
    return Omgangsval(nyast, f"Visar omgång {nyast.namn}: ingen omgång har inskickade svar ännu.")
