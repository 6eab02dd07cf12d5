"""The national view: regions × themes and trends by year, aggregates only.

Nothing per vårdcentral leaves the database; comparison figures follow the small-group
rule of ``uppfoljning.statistik``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from lib.format import STRECK, procent, tal
from malbild.versioner import katalog_get
from uppfoljning.selectors.common import RAKNADE, Sammanstallning
from uppfoljning.selectors.jamforelse import (
    tema_antal_per_omgang,
    versioner_annotera,
    versioner_av,
)
from uppfoljning.statistik import (
    KATEGORIER,
    Fordelning,
    Jamforelse,
    andel_hog,
    median_av_fyra,
    median_fran_antal,
)
from uppfoljning.templatetags.uppfoljning_extras import niva_klass
from vardcentraler.models import Omgang, Region, Sjalvskattning


@dataclass(frozen=True)
class Cell:
    """One heatmap cell as shown: the region's median in a theme and its change."""

    klass: str  # heat--1…4, heat--tom without a value (``niva_klass``)
    text: str  # the median, "–" when suppressed or missing
    undertryckt: bool  # suppressed by the small-group rule (the region has the round)
    andring: str  # "+0,5 sedan 2025" / "−1 sedan 2025", "" without a change


@dataclass
class RegionRad:
    region: Region
    omgang_namn: str | None  # the region's round of the chosen name (None: it has none)
    enheter: int  # units with a counted self-assessment in it (the n of its figures)
    nivaer: dict[str, Jamforelse]  # theme code → median over the region's level answers
    forandring: dict[str, float | None] = field(default_factory=dict)  # since the previous round
    fordelning: dict[str, Fordelning] = field(default_factory=dict)  # theme code → answers
    totalt: int = 0  # the region's self-assessments in the round (any status)
    stangd: bool = False  # the round is closed
    celler: list[Cell] = field(default_factory=list)  # per theme, in the themes' order


@dataclass(kw_only=True)
class NationellOversikt(Sammanstallning):
    """Trends per year of the rounds' start (year, figure); ``rader`` one per region."""

    rader: list[RegionRad] = field(default_factory=list)
    omgang_namn: str | None = None  # the chosen round name (each region's round of that name)
    forra_namn: str | None = None  # the round name before it (for the change)
    omgang_namn_lista: list[str] = field(default_factory=list)  # newest first
    motivering: str = ""


@dataclass(frozen=True)
class RegionLage:
    """The national reader's start page: a region's latest closed round and what changed."""

    region: Region
    omgang_namn: str | None
    enheter: int
    upp: list[str]  # theme labels whose median rose since the region's previous round
    ned: list[str]  # … fell
    jamfort: bool  # both rounds had enough units to compare


def _antal_per_omgang_tema(
    omgang_ids: list[int], kod_for: dict[int, str], versioner: dict[int, str | int] | None = None
) -> list[tuple]:
    """Counted answers per round × theme code, from the summaries kept on write, cached
    per round (``jamforelse.tema_antal_per_omgang``): two queries when cached, four when not;
    one less with the rounds' ``versioner`` read by the caller.

    Each row: round id, theme code, answers at levels 1–4, vet ej, ej tillämpligt, and the
    number of self-assessments with at least one level / vet ej / ej tillämpligt answer in
    the theme. Counting the 118 000 answers themselves took ≈ 90 ms per request (make bench).
    """
    # Theme id → code (``kod_for``). A round's assessments share one målbild version, so
    # within a round each code has one theme id and the counts per code are those per id.
    per_kod: dict[tuple[int, str], list[int]] = {}
    for omgang_id, rader in tema_antal_per_omgang(omgang_ids, versioner=versioner).items():
        for tema_id, *varden in rader:
            nyckel = (omgang_id, kod_for[tema_id])
            fore = per_kod.get(nyckel, [0] * len(varden))
            per_kod[nyckel] = [a + b for a, b in zip(fore, varden, strict=True)]
    return [(*nyckel, *varden) for nyckel, varden in per_kod.items()]


def _namn_ordning(omgangar: dict[int, Omgang]) -> list[str]:
    """Round names, newest first (by their earliest start in any region). No query."""
    forsta: dict[str, tuple] = {}
    for o in omgangar.values():
        if o.namn not in forsta or o.period_start < forsta[o.namn]:
            forsta[o.namn] = o.period_start
    return sorted(forsta, key=lambda n: (forsta[n], n), reverse=True)


def _sorterade(rader: list[RegionRad], sortera: str) -> list[RegionRad]:
    """By region code (default), ``n`` (most units first) or a theme code (lowest first);
    a leading "-" reverses. Suppressed values go last."""
    fallande = sortera.startswith("-")
    nyckel = sortera.lstrip("-")
    if nyckel in ("", "region"):
        return sorted(rader, key=lambda r: r.region.kod, reverse=fallande)
    if nyckel == "n":
        return sorted(rader, key=lambda r: (-r.enheter, r.region.kod), reverse=fallande)
    med = [r for r in rader if nyckel in r.nivaer and r.nivaer[nyckel].visat is not None]
    utan = [r for r in rader if r not in med]
    med.sort(key=lambda r: r.region.kod)
    med.sort(key=lambda r: r.nivaer[nyckel].visat, reverse=fallande)
    return med + sorted(utan, key=lambda r: r.region.kod)


def nationell_oversikt_get(
    *, regioner: QuerySet[Region], omgang_namn: str | None = None, sortera: str = ""
) -> NationellOversikt:
    """Regions × themes for one round name (each region's round of that name), plus
    trends by year.

    The default round is the newest closed one (a round is closed per region; the name
    counts as closed when any region has closed it), else the newest with any counted
    self-assessment. Each region's figures state their n; the small-group rule holds.
    The change is per region and theme since its round of the previous name.

    Five queries for any number of units: regions, criteria, the rounds with their summary
    versions (``jamforelse.versioner_annotera``), self-assessments per round and status,
    and the cache's read of the answer and unit counts per round × theme (``_antal_per_omgang_tema``; with a
    local-memory cache the read is no query, and a round not cached yet costs its count and
    the cache's writes once). Nothing per unit leaves the database. Each row carries its
    heatmap cells ready to show (``RegionRad.celler``).
    """
    regionlista = list(regioner.order_by("kod"))
    katalog = katalog_get()
    omgangar = {
        o.pk: o
        for o in Omgang.objects.filter(region__in=regionlista)
        .select_related("malbild_version")
        .annotate(**versioner_annotera())
    }
    totalt: Counter = Counter()
    raknade: Counter = Counter()
    for omgang_id, status, n in (
        Sjalvskattning.objects.filter(omgang__in=list(omgangar))
        .values_list("omgang_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        totalt[omgang_id] += n
        if status in RAKNADE:
            raknade[omgang_id] += n
    namn_lista = _namn_ordning(omgangar)
    stangda = {o.namn for o in omgangar.values() if o.status == Omgang.Status.STANGD}
    med_svar = {omgangar[pk].namn for pk, n in raknade.items() if n}
    if omgang_namn in namn_lista:
        motivering = f"Visar omgång {omgang_namn}, som du valt."
    else:
        omgang_namn = next((n for n in namn_lista if n in stangda), None)
        if omgang_namn is not None:
            motivering = f"Visar omgång {omgang_namn}: den senaste stängda omgången" + (
                f" (omgång {namn_lista[0]} pågår ännu, och dess jämförelser vore ofullständiga)."
                if namn_lista[0] != omgang_namn
                else "."
            )
        else:
            omgang_namn = next((n for n in namn_lista if n in med_svar), None)
            if omgang_namn is None and namn_lista:
                omgang_namn = namn_lista[0]
            motivering = (
                f"Visar omgång {omgang_namn}: ingen omgång är stängd ännu, så siffrorna kan ändras."
                if omgang_namn
                else "Ingen region har någon bedömningsomgång ännu."
            )
    i = namn_lista.index(omgang_namn) if omgang_namn in namn_lista else -1
    forra_namn = namn_lista[i + 1] if 0 <= i < len(namn_lista) - 1 else None
    per_region_namn = {(o.region_id, o.namn): o.pk for o in omgangar.values()}
    valda = {
        r.pk: per_region_namn[(r.pk, omgang_namn)]
        for r in regionlista
        if (r.pk, omgang_namn) in per_region_namn
    }
    forra = {
        r.pk: per_region_namn[(r.pk, forra_namn)]
        for r in regionlista
        if (r.pk, forra_namn) in per_region_namn
    }

    # (round, theme) → answers per category in KATEGORIER's order (levels 1–4 first)
    antal: dict[tuple[int, str], tuple[int, ...]] = {}
    med_niva_per: dict[tuple[int, str], int] = {}  # (round, theme) → units with a level answer
    # (round, theme) → the most units answering with any one kind (level, vet ej, ej tillämpligt)
    svarande: dict[tuple[int, str], int] = {}
    for omgang_id, tema_kod, *kategorier, med_niva, med_vet_ej, med_ej in _antal_per_omgang_tema(
        list(omgangar),
        {k.tema_id: k.tema.kod for k in katalog.kriterier.values()},
        versioner_av(omgangar.values()),
    ):
        antal[(omgang_id, tema_kod)] = tuple(kategorier)
        med_niva_per[(omgang_id, tema_kod)] = med_niva
        svarande[(omgang_id, tema_kod)] = max(med_niva, med_vet_ej, med_ej)
    tom = (0,) * len(KATEGORIER)

    def summa(omgang_ids: Iterable[int], kod: str) -> tuple[int, ...]:
        """Answers per category over several rounds (the nation's, a year's)."""
        rader = [antal.get((oid, kod), tom) for oid in omgang_ids]
        return tuple(map(sum, zip(*rader, strict=True))) if rader else tom

    def jamforelse(pk: int | None, kod: str) -> Jamforelse:
        if pk is None:
            return Jamforelse(None, 0)
        return Jamforelse(
            median_av_fyra(antal.get((pk, kod), tom)[:4]), med_niva_per.get((pk, kod), 0)
        )

    ny_version = max(
        (omgangar[pk].malbild_version for pk in valda.values()),
        key=lambda v: (v.nummer, v.pk),
        default=None,
    )
    teman = katalog.teman(ny_version.pk) if ny_version else []
    koder = [t.kod for t in teman]

    rader = []
    for region in regionlista:
        pk = valda.get(region.pk)
        fore_pk = forra.get(region.pk)
        nivaer, forandring, fordelning, celler = {}, {}, {}, []
        for kod in koder:
            nu, fore = jamforelse(pk, kod), jamforelse(fore_pk, kod)
            d = nu.visat - fore.visat if nu.visat is not None and fore.visat is not None else None
            nivaer[kod], forandring[kod] = nu, d
            fordelning[kod] = Fordelning(
                antal=dict(zip(KATEGORIER, antal.get((pk, kod), tom), strict=True)),
                enheter=svarande.get((pk, kod), 0) if pk else 0,
            )
            celler.append(
                Cell(
                    niva_klass(nu.visat),
                    tal(nu.visat),
                    bool(pk) and nu.undertryckt,
                    f"{'+' if d > 0 else '−'}{tal(abs(d))} sedan {forra_namn}" if d else "",
                )
            )
        antal_svarande = max((svarande.get((pk, kod), 0) for kod in koder), default=0)
        rader.append(
            RegionRad(
                region,
                omgangar[pk].namn if pk else None,
                antal_svarande if pk else 0,
                nivaer,
                forandring,
                fordelning,
                totalt.get(pk, 0) if pk else 0,
                bool(pk) and omgangar[pk].status == Omgang.Status.STANGD,
                celler,
            )
        )

    fordelning_per_tema = {}
    median_per_tema = {}
    for kod in koder:
        alla = summa(valda.values(), kod)
        fordelning_per_tema[kod] = Fordelning(
            antal=dict(zip(KATEGORIER, alla, strict=True)),
            enheter=sum(svarande.get((pk, kod), 0) for pk in valda.values()),
        )
        median_per_tema[kod] = Jamforelse(
            median_av_fyra(alla[:4]), sum(med_niva_per.get((pk, kod), 0) for pk in valda.values())
        )

    # Trend by year of the round's start: every region's round of that year pooled.
    per_ar: dict[int, list[int]] = defaultdict(list)
    for pk, o in omgangar.items():
        per_ar[o.period_start.year].append(pk)
    trend: dict[str, list[tuple[int, Jamforelse]]] = {kod: [] for kod in koder}
    trend_andel: dict[str, list[tuple[int, Jamforelse]]] = {kod: [] for kod in koder}
    for kod in koder:
        for ar in sorted(per_ar):
            nivaantal = summa(per_ar[ar], kod)[:4]
            n = sum(med_niva_per.get((pk, kod), 0) for pk in per_ar[ar])
            trend[kod].append((ar, Jamforelse(median_av_fyra(nivaantal), n)))
            trend_andel[kod].append(
                (ar, Jamforelse(andel_hog(dict(enumerate(nivaantal, start=1))), n))
            )

    return NationellOversikt(
        teman=teman,
        rader=_sorterade(rader, sortera),
        median_per_tema=median_per_tema,
        fordelning_per_tema=fordelning_per_tema,
        trend=trend,
        trend_andel=trend_andel,
        antal_enheter=sum(r.enheter for r in rader),
        omgang_namn=omgang_namn,
        forra_namn=forra_namn,
        omgang_namn_lista=namn_lista,
        motivering=motivering,
    )


def tema_tabell(oversikt: NationellOversikt, kod: str) -> list[tuple]:
    """The distribution table of one theme, one row per region as shown: (region name, the
    share per category or "–" under the small-group rule, units, median, change). No query."""
    rader = []
    for rad in oversikt.rader:
        f, d = rad.fordelning[kod], rad.forandring[kod]
        andelar = (
            [STRECK] * len(KATEGORIER)
            if f.undertryckt
            else [procent(andel) for _k, _n, _a, andel in f.rader()]
        )
        if d is None:
            andring = STRECK
        elif d > 0:
            andring = f"+{tal(d)}"
        elif d < 0:
            andring = f"−{tal(abs(d))}"
        else:
            andring = "0"
        rader.append((rad.region.namn, andelar, f.enheter, tal(rad.nivaer[kod].visat), andring))
    return rader


def nationell_lage_list(*, regioner: QuerySet[Region]) -> list[RegionLage]:
    """Per region: its latest closed round, its n, and which themes' medians rose or fell
    since its previous round (small-group rule on both). For the national reader's start
    page. Five queries: regions, criteria, rounds, and the counts per round × theme
    (``_antal_per_omgang_tema``, cached).
    """
    regionlista = list(regioner.order_by("kod"))
    katalog = katalog_get()
    omgangar = list(
        Omgang.objects.filter(region__in=regionlista).order_by("region_id", "period_start", "pk")
    )
    per_region: dict[int, list[Omgang]] = defaultdict(list)
    for o in omgangar:
        per_region[o.region_id].append(o)
    niva_antal: dict[tuple[int, str], Counter] = defaultdict(Counter)
    med_niva: dict[tuple[int, str], int] = {}
    svarande: dict[int, int] = defaultdict(int)
    for omgang_id, kod, n1, n2, n3, n4, _v, _e, med, _mv, _me in _antal_per_omgang_tema(
        [o.pk for o in omgangar], {k.tema_id: k.tema.kod for k in katalog.kriterier.values()}
    ):
        niva_antal[(omgang_id, kod)].update({1: n1, 2: n2, 3: n3, 4: n4})
        med_niva[(omgang_id, kod)] = med
        svarande[omgang_id] = max(svarande[omgang_id], med)

    def visat(pk: int, kod: str) -> float | None:
        return Jamforelse(
            median_fran_antal(niva_antal.get((pk, kod), {})), med_niva.get((pk, kod), 0)
        ).visat

    lage = []
    for region in regionlista:
        lista = per_region.get(region.pk, [])
        stangda = [o for o in lista if o.status == Omgang.Status.STANGD]
        if not stangda:
            lage.append(RegionLage(region, None, 0, [], [], False))
            continue
        senaste = stangda[-1]
        fore = next((o for o in reversed(lista) if o.period_start < senaste.period_start), None)
        upp, ned, jamfort = [], [], False
        for t in katalog.teman(senaste.malbild_version_id):
            nu = visat(senaste.pk, t.kod)
            da = visat(fore.pk, t.kod) if fore else None
            if nu is None or da is None:
                continue
            jamfort = True
            if nu > da:
                upp.append(f"{t.ordning}. {t.kortnamn}")
            elif nu < da:
                ned.append(f"{t.ordning}. {t.kortnamn}")
        lage.append(RegionLage(region, senaste.namn, svarande[senaste.pk], upp, ned, jamfort))
    return lage


EXPORT_RUBRIKER = [
    "Regionkod",
    "Region",
    "Omgång",
    "Vårdcentraler med svar",
    "Tema",
    "Median",
    "Vårdcentraler med nivåsvar",
    "Förändring sedan förra omgången",
]
EXPORT_BREDDER = [10, 24, 10, 12, 40, 8, 12, 14]


def nationell_export_rader(oversikt: NationellOversikt):
    """The national table as rows (region × theme), suppressed figures left empty. No query."""
    for rad in oversikt.rader:
        for t in oversikt.teman:
            j = rad.nivaer[t.kod]
            yield [
                rad.region.kod,
                rad.region.namn,
                rad.omgang_namn or "",
                rad.enheter,
                f"{t.ordning}. {t.kortnamn}",
                j.visat,
                j.antal,
                rad.forandring.get(t.kod),
            ]
