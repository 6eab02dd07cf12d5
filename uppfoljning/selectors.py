"""Follow-up reads: levels, gaps, medians, distributions and trends.

Levels are ordinal, so every comparison is a median (or a distribution), never a
mean. "Vet ej" and "ej tillämpligt" are categories of their own: counted and shown,
never part of a median or a gap. A theme's level, for one unit or a group, is the
median of the level answers to the theme's criteria.

Only self-assessments that are submitted or approved (``RAKNADE``) enter the
aggregates; the unit's own gap report shows its answers whatever their status.

Small-group rule: a comparison figure (median, distribution) resting on fewer than
``MIN_GRUPP`` vårdcentraler is suppressed (``Jamforelse.undertryckt``).

Results stay comparable across målbild versions through ``Kriterium.ersatter``:
each criterion has a ``rot`` (the oldest criterion in its chain), and themes are
matched across versions by ``Tema.kod``.

Nothing here checks permissions: callers pass objects and querysets already scoped
by ``vardcentraler.selectors``. Every function states its query cost, which never
depends on the number of units.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from malbild.models import Kriterium, Tema
from vardcentraler.models import (
    Atgard,
    Malniva,
    Omgang,
    Region,
    Sjalvskattning,
    Svar,
    Vardcentral,
)

MIN_GRUPP = 5
RAKNADE = (Sjalvskattning.Status.INSKICKAD, Sjalvskattning.Status.GODKAND)
VET_EJ = Svar.Typ.VET_EJ.value
EJ_TILLAMPLIGT = Svar.Typ.EJ_TILLAMPLIGT.value
NIVA = Svar.Typ.NIVA.value
# Distribution categories in display order: the four levels, then the two non-levels.
KATEGORIER: tuple[str, ...] = ("1", "2", "3", "4", VET_EJ, EJ_TILLAMPLIGT)
KATEGORI_NAMN = {
    "1": "Nivå 1",
    "2": "Nivå 2",
    "3": "Nivå 3",
    "4": "Nivå 4",
    VET_EJ: "Vet ej",
    EJ_TILLAMPLIGT: "Ej tillämpligt",
}

# Size classes by listed patients: (key, label, lower bound inclusive, upper bound exclusive).
STORLEKSKLASSER: tuple[tuple[str, str, int, int | None], ...] = (
    ("under-5000", "Under 5 000 listade", 0, 5000),
    ("5000-9999", "5 000–9 999 listade", 5000, 10000),
    ("10000-19999", "10 000–19 999 listade", 10000, 20000),
    ("minst-20000", "20 000 listade eller fler", 20000, None),
)


# ---------------------------------------------------------------------------
# Small building blocks (pure)
# ---------------------------------------------------------------------------


def kategori(typ: str, niva: int | None) -> str:
    """The distribution category of one answer: "1"–"4", "vet_ej" or "ej_tillampligt"."""
    return str(niva) if typ == NIVA else typ


def median(varden: Iterable[int | float]) -> float | None:
    """The median, or None for no values. With an even count, halfway between the middle two."""
    lista = sorted(varden)
    return float(statistics.median(lista)) if lista else None


def median_fran_antal(antal: dict[int, int]) -> float | None:
    """The median of a level → count table (as from a GROUP BY), without expanding it."""
    total = sum(antal.values())
    if not total:
        return None
    nivaer = sorted(antal)

    def nte(k: int) -> int:  # the k-th value (0-based) in sorted order
        for niva in nivaer:
            if k < antal[niva]:
                return niva
            k -= antal[niva]
        raise IndexError(k)

    if total % 2:
        return float(nte(total // 2))
    return (nte(total // 2 - 1) + nte(total // 2)) / 2


def _median_av_fyra(antal: tuple[int, int, int, int]) -> float | None:
    """``median_fran_antal`` for the answers at levels 1–4 given as a tuple (the heatmap's
    2 × 1 380 cells; a dict per cell cost ≈ 5 ms)."""
    total = antal[0] + antal[1] + antal[2] + antal[3]
    if not total:
        return None

    def nte(k: int) -> int:
        for niva in (1, 2, 3, 4):
            if k < antal[niva - 1]:
                return niva
            k -= antal[niva - 1]
        raise IndexError(k)

    if total % 2:
        return float(nte(total // 2))
    return (nte(total // 2 - 1) + nte(total // 2)) / 2


def _rader(qs: QuerySet) -> list[tuple]:
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


def andel_hog(antal: dict[int, int]) -> float | None:
    """Share of level answers at level 3 or 4 (None without level answers)."""
    total = sum(antal.values())
    return (antal.get(3, 0) + antal.get(4, 0)) / total if total else None


def gap(malniva: int | float | None, niva: int | float | None) -> float | None:
    """max(target − level, 0); None when either is missing (no target, or not a level answer)."""
    if malniva is None or niva is None:
        return None
    return max(malniva - niva, 0)


@dataclass(frozen=True)
class Jamforelse:
    """A comparison figure and the number of vårdcentraler behind it (small-group rule)."""

    varde: float | None
    antal: int

    @property
    def undertryckt(self) -> bool:
        return self.antal < MIN_GRUPP

    @property
    def visat(self) -> float | None:
        """The value to show: None when suppressed or missing."""
        return None if self.undertryckt else self.varde


@dataclass
class Fordelning:
    """Answers per category (levels 1–4, vet ej, ej tillämpligt) over ``enheter`` units."""

    antal: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KATEGORIER, 0))
    enheter: int = 0

    @property
    def total(self) -> int:
        return sum(self.antal.values())

    @property
    def undertryckt(self) -> bool:
        return self.enheter < MIN_GRUPP

    def andel(self, kat: str) -> float:
        return self.antal[kat] / self.total if self.total else 0.0

    def rader(self) -> list[tuple[str, str, int, float]]:
        """(category, label, count, share) in display order."""
        return [(k, KATEGORI_NAMN[k], self.antal[k], self.andel(k)) for k in KATEGORIER]


def storleksklass_for(listade: int) -> str:
    for nyckel, _namn, fran, till in STORLEKSKLASSER:
        if listade >= fran and (till is None or listade < till):
            return nyckel
    return STORLEKSKLASSER[-1][0]


def storleksklass_namn(nyckel: str) -> str:
    return next((namn for k, namn, _f, _t in STORLEKSKLASSER if k == nyckel), nyckel)


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


# ---------------------------------------------------------------------------
# The instrument across versions
# ---------------------------------------------------------------------------


@dataclass
class Katalog:
    """Every criterion of every målbild version, with its theme and comparison root."""

    kriterier: dict[int, Kriterium]
    rot: dict[int, int]  # criterion id → root criterion id (through ``ersatter``)

    def for_version(self, version_id: int) -> list[Kriterium]:
        return [k for k in self.kriterier.values() if k.tema.version_id == version_id]

    def teman(self, version_id: int) -> list[Tema]:
        sett: dict[int, Tema] = {}
        for k in self.for_version(version_id):
            sett.setdefault(k.tema_id, k.tema)
        return sorted(sett.values(), key=lambda t: t.ordning)

    def tema_kod(self, kriterium_id: int) -> str:
        return self.kriterier[kriterium_id].tema.kod


def katalog_get() -> Katalog:
    """All criteria with their themes (a few dozen per version). One query."""
    kriterier = {
        k.pk: k
        for k in Kriterium.objects.select_related("tema").order_by(
            "tema__version_id", "tema__ordning", "ordning"
        )
    }
    rot: dict[int, int] = {}
    for pk in kriterier:
        nu, sett = pk, set()
        while kriterier[nu].ersatter_id and kriterier[nu].ersatter_id in kriterier:
            if nu in sett:  # a cycle would be a data error; stop rather than loop
                break
            sett.add(nu)
            nu = kriterier[nu].ersatter_id
        rot[pk] = nu
    return Katalog(kriterier=kriterier, rot=rot)


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


def _senaste_omgangar_per_region() -> dict[int, int]:
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


def _raknade_i_senaste_omgangar() -> list[int]:
    """Ids of the counted self-assessments in each region's newest round with any. One query.

    The same rounds as ``_senaste_omgangar_per_region``, read from the counted assessments
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


def _nivaantal_per_kriterium(
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


# ---------------------------------------------------------------------------
# Gap report for one vårdcentral
# ---------------------------------------------------------------------------


@dataclass
class KriteriumRad:
    kriterium: Kriterium
    typ: str | None  # None: not answered
    niva: int | None
    motivering: str
    malniva: int | None
    gap: float | None
    tidigare: list[tuple[Omgang, str]]  # earlier rounds: (round, "2" / "Vet ej" / "–")
    region_median: Jamforelse
    nationell_median: Jamforelse
    atgarder: list[Atgard]

    @property
    def visning(self) -> str:
        if self.typ is None:
            return "Ej besvarat"
        return str(self.niva) if self.typ == NIVA else KATEGORI_NAMN[self.typ]

    @property
    def styrka(self) -> bool:
        """At or above target (or at the top level without a target)."""
        if self.typ != NIVA:
            return False
        return (self.malniva is not None and self.niva >= self.malniva) or self.niva == 4


@dataclass
class TemaRad:
    tema: Tema
    kriterier: list[KriteriumRad]
    niva: float | None  # median of the unit's level answers in the theme
    malniva: float | None  # median of the theme's targets
    region_median: Jamforelse
    historik: list[tuple[Omgang, float | None]]  # the unit's theme level per round, oldest first

    @property
    def gap(self) -> float | None:
        return gap(self.malniva, self.niva)

    @property
    def gap_summa(self) -> float:
        return sum(r.gap or 0 for r in self.kriterier)

    @property
    def antal_under_mal(self) -> int:
        return sum(1 for r in self.kriterier if r.gap)

    @property
    def antal_vet_ej(self) -> int:
        return sum(1 for r in self.kriterier if r.typ == VET_EJ)

    @property
    def antal_ej_tillampligt(self) -> int:
        return sum(1 for r in self.kriterier if r.typ == EJ_TILLAMPLIGT)


@dataclass
class Gaprapport:
    vardcentral: Vardcentral
    omgang: Omgang | None
    omgangar: list[Omgang]
    status: str | None  # the unit's self-assessment status in the round (None: none exists)
    teman: list[TemaRad]  # ordered by gap, largest first

    @property
    def styrkor(self) -> list[KriteriumRad]:
        return [r for t in self.teman for r in t.kriterier if r.styrka]

    @property
    def fordelning(self) -> Fordelning:
        """The unit's own answers per category (one unit: shown, not a comparison)."""
        f = Fordelning(enheter=1)
        for t in self.teman:
            for r in t.kriterier:
                if r.typ is not None:
                    f.antal[kategori(r.typ, r.niva)] += 1
        return f

    @property
    def status_namn(self) -> str:
        if self.status is None:
            return "Ingen självskattning"
        return Sjalvskattning.Status(self.status).label


def gaprapport_get(*, vardcentral: Vardcentral, omgang_id: int | None = None) -> Gaprapport:
    """The unit's gap report for a round (default: the region's newest).

    Nine queries whatever the size of the region or the country: rounds, criteria,
    the unit's assessment statuses, its answers, targets, actions, the region's level
    counts, the counted assessments in each region's newest round, and the national
    level counts.
    """
    omgangar = omgangar_for_region(vardcentral.region)
    omgang = omgang_aktuell(omgangar, omgang_id)
    if omgang is None:
        return Gaprapport(vardcentral, None, [], None, [])
    katalog = katalog_get()

    status_per_omgang = dict(
        Sjalvskattning.objects.filter(vardcentral=vardcentral).values_list("omgang_id", "status")
    )
    # The unit's answers in every round, keyed by (round, root criterion).
    svar: dict[tuple[int, int], tuple[str, int | None, str]] = {}
    for omgang_id, kriterium_id, typ, niva, motivering in (
        Svar.objects.besvarade()
        .filter(sjalvskattning__vardcentral=vardcentral)
        .values_list("sjalvskattning__omgang_id", "kriterium_id", "typ", "niva", "motivering")
    ):
        svar[(omgang_id, katalog.rot[kriterium_id])] = (typ, niva, motivering)

    malnivaer = dict(Malniva.objects.filter(omgang=omgang).values_list("kriterium_id", "niva"))
    atgarder_per_rot: dict[int, list[Atgard]] = defaultdict(list)
    for atgard in Atgard.objects.filter(vardcentral=vardcentral).order_by("klar_senast", "pk"):
        atgarder_per_rot[katalog.rot[atgard.kriterium_id]].append(atgard)

    region_antal = _nivaantal_per_kriterium([omgang.pk])
    nationellt: dict[int, Counter] = defaultdict(Counter)
    raknade = _raknade_i_senaste_omgangar()
    for kriterium_id, antal in _nivaantal_per_kriterium(sjalvskattning_ids=raknade).items():
        nationellt[katalog.rot[kriterium_id]].update(antal)

    tidigare_omgangar = [o for o in omgangar if o.period_start < omgang.period_start]
    teman: list[TemaRad] = []
    for tema in katalog.teman(omgang.malbild_version_id):
        rader = []
        tema_region: Counter = Counter()
        for kriterium in katalog.for_version(omgang.malbild_version_id):
            if kriterium.tema_id != tema.pk:
                continue
            rot = katalog.rot[kriterium.pk]
            typ, niva, motivering = svar.get((omgang.pk, rot), (None, None, ""))
            malniva = malnivaer.get(kriterium.pk)
            tidigare = []
            for o in tidigare_omgangar:
                t = svar.get((o.pk, rot))
                tidigare.append((o, "–" if t is None else kategori_visning(t[0], t[1])))
            i_region = region_antal.get(kriterium.pk, Counter())
            tema_region.update(i_region)
            rader.append(
                KriteriumRad(
                    kriterium=kriterium,
                    typ=typ,
                    niva=niva,
                    motivering=motivering,
                    malniva=malniva,
                    gap=gap(malniva, niva) if typ == NIVA else None,
                    tidigare=tidigare,
                    region_median=Jamforelse(median_fran_antal(i_region), sum(i_region.values())),
                    nationell_median=Jamforelse(
                        median_fran_antal(nationellt.get(rot, {})),
                        sum(nationellt.get(rot, Counter()).values()),
                    ),
                    atgarder=atgarder_per_rot.get(rot, []),
                )
            )
        historik = []
        for o in [*tidigare_omgangar, omgang]:
            nivaer = [
                svar[(o.pk, katalog.rot[r.kriterium.pk])][1]
                for r in rader
                if svar.get((o.pk, katalog.rot[r.kriterium.pk]), (None,))[0] == NIVA
            ]
            historik.append((o, median(nivaer)))
        # The region's theme figure rests on as many units as answered its busiest criterion.
        tema_enheter = max(
            (sum(region_antal.get(r.kriterium.pk, {}).values()) for r in rader), default=0
        )
        teman.append(
            TemaRad(
                tema=tema,
                kriterier=rader,
                niva=median(r.niva for r in rader if r.typ == NIVA),
                malniva=median(r.malniva for r in rader if r.malniva is not None),
                region_median=Jamforelse(median_fran_antal(tema_region), tema_enheter),
                historik=historik,
            )
        )
    teman.sort(key=lambda t: (-(t.gap or 0), -t.gap_summa, t.tema.ordning))
    return Gaprapport(
        vardcentral=vardcentral,
        omgang=omgang,
        omgangar=omgangar,
        status=status_per_omgang.get(omgang.pk),
        teman=teman,
    )


def kategori_visning(typ: str, niva: int | None) -> str:
    return str(niva) if typ == NIVA else KATEGORI_NAMN[typ]


# ---------------------------------------------------------------------------
# Region dashboard
# ---------------------------------------------------------------------------


@dataclass
class HeatmapRad:
    vardcentral: Vardcentral
    status: str | None  # self-assessment status in the round
    nivaer: dict[str, float | None]  # theme code → the unit's theme level (counted only)
    tidigare: dict[str, float | None]  # theme code → level in the previous round

    @property
    def raknad(self) -> bool:
        return self.status in RAKNADE

    @property
    def celler(self) -> list[tuple[str, float | None, float | None]]:
        """(theme code, level, previous round's level) in theme order."""
        return [(kod, v, self.tidigare.get(kod)) for kod, v in self.nivaer.items()]

    @property
    def status_namn(self) -> str:
        return Sjalvskattning.Status(self.status).label if self.status else "Ej påbörjad"


@dataclass
class Nedgang:
    vardcentral: Vardcentral
    tema: Tema
    fore: float
    nu: float


@dataclass
class RegionOversikt:
    region: Region
    omgangar: list[Omgang]
    omgang: Omgang | None
    teman: list[Tema]
    rader: list[HeatmapRad]
    median_per_tema: dict[str, Jamforelse]
    fordelning_per_tema: dict[str, Fordelning]
    trend: dict[str, list[tuple[Omgang, Jamforelse]]]  # theme code → per round, oldest first
    trend_andel: dict[str, list[tuple[Omgang, Jamforelse]]]  # share of level answers at 3–4
    status_antal: dict[str, int]  # self-assessment status → units (incl. "ej_paborjad")
    forsenade: list[Atgard]
    nedgangar: list[Nedgang]
    antal_enheter: int

    @property
    def antal_inskickade(self) -> int:
        return sum(self.status_antal.get(s, 0) for s in RAKNADE)

    @property
    def antal_godkanda(self) -> int:
        return self.status_antal.get(Sjalvskattning.Status.GODKAND, 0)

    def status_rader(self) -> list[tuple[str, str, int]]:
        return [
            (s.value, s.label, self.status_antal.get(s.value, 0)) for s in Sjalvskattning.Status
        ]


def _sorterade(rader: list[HeatmapRad], sortera: str) -> list[HeatmapRad]:
    """Sort by ``namn`` or a theme code; a leading "-" sorts descending. Missing values last."""
    fallande = sortera.startswith("-")
    nyckel = sortera.lstrip("-")
    if nyckel in ("", "namn"):
        return sorted(rader, key=lambda r: r.vardcentral.namn.lower(), reverse=fallande)
    med = [r for r in rader if r.nivaer.get(nyckel) is not None]
    utan = [r for r in rader if r.nivaer.get(nyckel) is None]
    med.sort(key=lambda r: r.vardcentral.namn.lower())
    med.sort(key=lambda r: r.nivaer[nyckel], reverse=fallande)
    return med + sorted(utan, key=lambda r: r.vardcentral.namn.lower())


def region_oversikt_get(
    *,
    region: Region,
    vardcentraler: QuerySet[Vardcentral],
    omgang_id: int | None = None,
    sortera: str = "namn",
    idag: datetime.date | None = None,
) -> RegionOversikt:
    """The region dashboard over a (scoped, filtered) set of the region's units.

    Six queries for any number of units: rounds, criteria, the units, the counted
    answers of every round counted per round × unit × theme and category (in SQL; the
    medians are taken from those counts), the round's self-assessment statuses, and
    overdue actions.
    """
    idag = idag or timezone.localdate()
    omgangar = omgangar_for_region(region)
    katalog = katalog_get()
    enheter = list(
        vardcentraler.filter(region=region).select_related("kommun").order_by("namn", "pk")
    )
    enhet_ids = vardcentraler.filter(region=region).values("pk")
    # Counted answers per round × unit × theme and category, counted in the database: one
    # row per (round, unit, theme), ≈ 4 000 for 230 units and three rounds, instead of the
    # ≈ 25 000 answers themselves (measured by ``make bench``).
    tema_kod = {k.tema_id: k.tema.kod for k in katalog.kriterier.values()}
    rakna = {
        **{f"n{n}": Count("pk", filter=Q(typ=NIVA, niva=n)) for n in (1, 2, 3, 4)},
        "n_vet_ej": Count("pk", filter=Q(typ=VET_EJ)),
        "n_ej_tillampligt": Count("pk", filter=Q(typ=EJ_TILLAMPLIGT)),
    }
    grupper = _rader(
        Svar.objects.besvarade()
        .filter(
            sjalvskattning__omgang__region=region,
            sjalvskattning__vardcentral__in=enhet_ids,
            sjalvskattning__status__in=RAKNADE,
        )
        .values_list(
            "sjalvskattning__omgang_id", "sjalvskattning__vardcentral_id", "kriterium__tema_id"
        )
        .annotate(**rakna)
        .order_by()
    )
    if omgang_id is None:
        # Default: the newest round with a counted answer in the selection (a manager whose
        # unit has not yet submitted this round sees the last one it did), else the newest.
        med_svar = {r[0] for r in grupper}
        omgang_id = next((o.pk for o in reversed(omgangar) if o.pk in med_svar), None)
    omgang = omgang_aktuell(omgangar, omgang_id)
    tom = RegionOversikt(region, omgangar, omgang, [], [], {}, {}, {}, {}, {}, [], [], len(enheter))
    if omgang is None:
        return tom
    teman = katalog.teman(omgang.malbild_version_id)

    # (round, unit, theme) → answers at levels 1–4; a round's assessments share one målbild
    # version, so a (round, unit, theme id) maps to one theme code (summed should it not).
    per_enhet: dict[tuple[int, int, str], tuple[int, int, int, int]] = {}
    per_omgang_tema: dict[tuple[int, str], Counter] = defaultdict(Counter)
    enheter_per_omgang_tema: dict[tuple[int, str], set[int]] = defaultdict(set)
    fordelning_per_tema = {t.kod: Fordelning() for t in teman}
    svarande: dict[str, set[int]] = defaultdict(set)
    for omgang_id_, vc_id, tema_id, n1, n2, n3, n4, n_vet_ej, n_ej in grupper:
        kod = tema_kod[tema_id]
        if omgang_id_ == omgang.pk and kod in fordelning_per_tema:
            antal = fordelning_per_tema[kod].antal
            for kat, n in zip(KATEGORIER, (n1, n2, n3, n4, n_vet_ej, n_ej), strict=True):
                antal[kat] += n
            svarande[kod].add(vc_id)
        if n1 or n2 or n3 or n4:
            nyckel = (omgang_id_, vc_id, kod)
            fore = per_enhet.get(nyckel, (0, 0, 0, 0))
            per_enhet[nyckel] = (fore[0] + n1, fore[1] + n2, fore[2] + n3, fore[3] + n4)
            enheter_per_omgang_tema[(omgang_id_, kod)].add(vc_id)
    for (omgang_id_, _vc_id, kod), (n1, n2, n3, n4) in per_enhet.items():
        c = per_omgang_tema[(omgang_id_, kod)]
        c[1] += n1
        c[2] += n2
        c[3] += n3
        c[4] += n4
    for kod, f in fordelning_per_tema.items():
        f.enheter = len(svarande[kod])

    status_per_enhet = dict(
        Sjalvskattning.objects.filter(omgang=omgang, vardcentral__in=enhet_ids).values_list(
            "vardcentral_id", "status"
        )
    )
    forra = next((o for o in reversed(omgangar) if o.period_start < omgang.period_start), None)

    rader, nedgangar = [], []

    def enhetens(omgang_id_: int, vc_id: int, kod: str) -> float | None:
        antal = per_enhet.get((omgang_id_, vc_id, kod))
        return _median_av_fyra(antal) if antal else None

    for vc in enheter:
        nivaer = {t.kod: enhetens(omgang.pk, vc.pk, t.kod) for t in teman}
        tidigare = {t.kod: enhetens(forra.pk, vc.pk, t.kod) if forra else None for t in teman}
        rader.append(HeatmapRad(vc, status_per_enhet.get(vc.pk), nivaer, tidigare))
        for t in teman:
            if nivaer[t.kod] is not None and tidigare[t.kod] is not None:
                if nivaer[t.kod] < tidigare[t.kod]:
                    nedgangar.append(Nedgang(vc, t, tidigare[t.kod], nivaer[t.kod]))
    nedgangar.sort(key=lambda n: (n.nu - n.fore, n.vardcentral.namn))

    status_antal = Counter(status_per_enhet.values())
    status_antal[Sjalvskattning.Status.EJ_PABORJAD.value] += len(enheter) - len(status_per_enhet)

    def grupp(omgang_id_: int, kod: str, matt=median_fran_antal) -> Jamforelse:
        return Jamforelse(
            matt(per_omgang_tema.get((omgang_id_, kod), {})),
            len(enheter_per_omgang_tema.get((omgang_id_, kod), ())),
        )

    # The units and criteria are already loaded: hundreds of overdue actions need not each
    # bring their own copies (model instances are the dashboard's largest Python cost).
    enhet_for = {vc.pk: vc for vc in enheter}
    forsenade = list(
        Atgard.objects.filter(
            vardcentral__in=enhet_ids, status__in=Atgard.OPPNA, klar_senast__lt=idag
        ).order_by("klar_senast", "pk")
    )
    for atgard in forsenade:
        atgard.vardcentral = enhet_for[atgard.vardcentral_id]
        atgard.kriterium = katalog.kriterier[atgard.kriterium_id]
    return RegionOversikt(
        region=region,
        omgangar=omgangar,
        omgang=omgang,
        teman=teman,
        rader=_sorterade(rader, sortera),
        median_per_tema={t.kod: grupp(omgang.pk, t.kod) for t in teman},
        fordelning_per_tema=fordelning_per_tema,
        trend={t.kod: [(o, grupp(o.pk, t.kod)) for o in omgangar] for t in teman},
        trend_andel={t.kod: [(o, grupp(o.pk, t.kod, andel_hog)) for o in omgangar] for t in teman},
        status_antal=dict(status_antal),
        forsenade=forsenade,
        nedgangar=nedgangar,
        antal_enheter=len(enheter),
    )


# ---------------------------------------------------------------------------
# National view: regions × themes, aggregates only
# ---------------------------------------------------------------------------


@dataclass
class RegionRad:
    region: Region
    omgang_namn: str | None  # the newest counted round
    enheter: int  # units with a counted self-assessment in it
    nivaer: dict[str, Jamforelse]  # theme code → median over the region's level answers


@dataclass
class NationellOversikt:
    teman: list[Tema]
    rader: list[RegionRad]
    median_per_tema: dict[str, Jamforelse]
    fordelning_per_tema: dict[str, Fordelning]
    trend: dict[str, list[tuple[int, Jamforelse]]]  # theme code → per year, oldest first
    trend_andel: dict[str, list[tuple[int, Jamforelse]]]  # share of level answers at 3–4
    antal_enheter: int


def _antal_per_omgang_tema(omgang_ids: list[int], kod_for: dict[int, str]) -> list[tuple]:
    """Counted answers per round × theme code. One query, whatever the number of answers.

    Each row: round id, theme code, answers at levels 1–4, vet ej, ej tillämpligt, and the
    number of self-assessments with at least one level / vet ej / ej tillämpligt answer in
    the theme. Counted in two steps in the database, per self-assessment and then per round,
    in one statement (the ORM builds the inner one): ≈ 90 ms over 118 000 answers on
    PostgreSQL, where a ``COUNT(DISTINCT …)`` per round × theme × kind beside a separate
    count per criterion took ≈ 190 ms (make bench).
    """
    if not omgang_ids:
        return []
    inre = (
        Svar.objects.besvarade()
        .filter(sjalvskattning__omgang_id__in=omgang_ids, sjalvskattning__status__in=RAKNADE)
        .values("sjalvskattning_id", "sjalvskattning__omgang_id", "kriterium__tema_id")
        .annotate(
            **{f"n{n}": Count("pk", filter=Q(typ=NIVA, niva=n)) for n in (1, 2, 3, 4)},
            n_vet_ej=Count("pk", filter=Q(typ=VET_EJ)),
            n_ej=Count("pk", filter=Q(typ=EJ_TILLAMPLIGT)),
        )
        .order_by()
    )
    sql, params = inre.query.sql_with_params()
    q = connection.ops.quote_name
    omgang, kod = q("sjalvskattning__omgang_id"), q("kriterium__tema_id")
    n1, n2, n3, n4, n_vet_ej, n_ej = (q(n) for n in ("n1", "n2", "n3", "n4", "n_vet_ej", "n_ej"))
    # Only quoted aliases around the ORM's own SQL; every value is a parameter.
    yttre = (
        f"SELECT {omgang}, {kod}, SUM({n1}), SUM({n2}), SUM({n3}), SUM({n4}), "  # noqa: S608
        f"SUM({n_vet_ej}), SUM({n_ej}), "
        f"SUM(CASE WHEN {n1} + {n2} + {n3} + {n4} > 0 THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {n_vet_ej} > 0 THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {n_ej} > 0 THEN 1 ELSE 0 END) "
        f"FROM ({sql}) AS per_sjalvskattning GROUP BY {omgang}, {kod}"
    )
    with connection.cursor() as cursor:
        cursor.execute(yttre, params)
        rader = cursor.fetchall()
    # Theme id → code (``kod_for``). A round's assessments share one målbild version, so
    # within a round each code has one theme id and the counts per code are those per id.
    per_kod: dict[tuple[int, str], list[int]] = {}
    for omgang_id, tema_id, *varden in rader:
        nyckel = (omgang_id, kod_for[tema_id])
        fore = per_kod.get(nyckel, [0] * len(varden))
        per_kod[nyckel] = [a + int(b) for a, b in zip(fore, varden, strict=True)]
    return [(*nyckel, *varden) for nyckel, varden in per_kod.items()]


def nationell_oversikt_get(*, regioner: QuerySet[Region]) -> NationellOversikt:
    """Regions × themes from the newest counted round of each region, plus trends by year.

    Five queries for any number of units: regions, criteria, rounds, the newest round
    per region, and answer and unit counts per round × theme (``_antal_per_omgang_tema``).
    Nothing per unit leaves the database.
    """
    regionlista = list(regioner.order_by("kod"))
    katalog = katalog_get()
    omgangar = {
        o.pk: o
        for o in Omgang.objects.filter(region__in=regionlista).select_related("malbild_version")
    }
    senaste = {r: pk for r, pk in _senaste_omgangar_per_region().items() if pk in omgangar}

    antal: dict[tuple[int, str], Counter] = defaultdict(Counter)  # (round, theme) → category
    enheter: dict[tuple[int, str], int] = {}  # (round, theme) → units with a level answer
    # (round, theme) → the most units answering with any one kind (level, vet ej, ej tillämpligt)
    svarande: dict[tuple[int, str], int] = {}
    for omgang_id, tema_kod, *kategorier, med_niva, med_vet_ej, med_ej in _antal_per_omgang_tema(
        list(omgangar), {k.tema_id: k.tema.kod for k in katalog.kriterier.values()}
    ):
        antal[(omgang_id, tema_kod)].update(dict(zip(KATEGORIER, kategorier, strict=True)))
        enheter[(omgang_id, tema_kod)] = med_niva
        svarande[(omgang_id, tema_kod)] = max(med_niva, med_vet_ej, med_ej)

    def nivaantal(omgang_ids: Iterable[int], kod: str) -> Counter:
        c: Counter = Counter()
        for oid in omgang_ids:
            for kat, n in antal.get((oid, kod), {}).items():
                if kat in ("1", "2", "3", "4"):
                    c[int(kat)] += n
        return c

    ny_version = max(
        (omgangar[pk].malbild_version for pk in senaste.values()),
        key=lambda v: (v.nummer, v.pk),
        default=None,
    )
    teman = katalog.teman(ny_version.pk) if ny_version else []

    rader = []
    for region in regionlista:
        pk = senaste.get(region.pk)
        nivaer = {
            t.kod: Jamforelse(
                median_fran_antal(nivaantal([pk], t.kod)) if pk else None,
                enheter.get((pk, t.kod), 0) if pk else 0,
            )
            for t in teman
        }
        antal_svarande = max((svarande.get((pk, t.kod), 0) for t in teman), default=0)
        rader.append(
            RegionRad(
                region, omgangar[pk].namn if pk else None, antal_svarande if pk else 0, nivaer
            )
        )

    fordelning_per_tema = {}
    median_per_tema = {}
    for t in teman:
        f = Fordelning()
        for pk in senaste.values():
            for kat, n in antal.get((pk, t.kod), {}).items():
                f.antal[kat] += n
            f.enheter += svarande.get((pk, t.kod), 0)
        fordelning_per_tema[t.kod] = f
        median_per_tema[t.kod] = Jamforelse(
            median_fran_antal(nivaantal(senaste.values(), t.kod)),
            sum(enheter.get((pk, t.kod), 0) for pk in senaste.values()),
        )

    # Trend by year of the round's start: every region's round of that year pooled.
    per_ar: dict[int, list[int]] = defaultdict(list)
    for pk, o in omgangar.items():
        per_ar[o.period_start.year].append(pk)

    def per_ar_trend(matt) -> dict[str, list[tuple[int, Jamforelse]]]:
        return {
            t.kod: [
                (
                    ar,
                    Jamforelse(
                        matt(nivaantal(per_ar[ar], t.kod)),
                        sum(enheter.get((pk, t.kod), 0) for pk in per_ar[ar]),
                    ),
                )
                for ar in sorted(per_ar)
            ]
            for t in teman
        }

    return NationellOversikt(
        teman=teman,
        rader=rader,
        median_per_tema=median_per_tema,
        fordelning_per_tema=fordelning_per_tema,
        trend=per_ar_trend(median_fran_antal),
        trend_andel=per_ar_trend(andel_hog),
        antal_enheter=sum(r.enheter for r in rader),
    )
