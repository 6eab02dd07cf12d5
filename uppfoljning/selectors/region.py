"""The region dashboard: a heatmap of units × themes, medians, distributions and trends.

Only submitted or approved self-assessments (``RAKNADE``) enter it; comparison figures
follow the small-group rule of ``uppfoljning.statistik``.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

import django
from django.db.models import Count, Max, QuerySet
from django.utils import timezone, translation

from lib.format import tal
from lib.kodhash import filer_hash
from malbild.models import Kriterium, Tema
from malbild.versioner import Katalog, katalog_get
from uppfoljning import gapregel
from uppfoljning.models import Sammanfattningsversion, Temasammanfattning
from uppfoljning.selectors.common import (
    RAKNADE,
    Sammanstallning,
    omgang_valj,
    omgangar_for_region,
    rader_fetch,
)
from uppfoljning.selectors.jamforelse import KATEGORI_FALT
from uppfoljning.statistik import (
    KATEGORIER,
    Fordelning,
    Jamforelse,
    andel_hog,
    median_fran_antal,
)
from vardcentraler.models import (
    Atgard,
    Malniva,
    Omgang,
    Region,
    Sjalvskattning,
    Vardcentral,
)


@dataclass(frozen=True)
class Cell:
    """One heatmap cell, ready for the template: CSS class, text, and what it rests on."""

    klass: str  # heat--1…4 (by level) or gap--0…3 (by gap), heat--tom without a value
    text: str  # the level as shown ("2,5", "–")
    title: str  # the full sentence (hover and screen readers)
    kalla: str = ""  # a value from an earlier approved round: "2025"; or "ej inskickad"
    fore: str = ""  # the previous round's level when it was higher (a drop)


@dataclass
class HeatmapRad:
    vardcentral: Vardcentral
    status: str | None  # self-assessment status in the round
    nivaer: dict[str, float | None]  # theme code → the level shown (this round or a fallback)
    tidigare: dict[str, float | None]  # theme code → level in the previous round
    celler: list[Cell] = field(default_factory=list)
    gap: dict[str, float | None] = field(default_factory=dict)  # theme code → gap to target
    kalla: str = ""  # where the levels come from when not this round ("2025, godkänd")

    @property
    def raknad(self) -> bool:
        return self.status in RAKNADE

    @property
    def gap_summa(self) -> float | None:
        """The total gap over the themes with a level; None without any level."""
        varden = [g for g in self.gap.values() if g is not None]
        return sum(varden) if varden else None

    @property
    def status_namn(self) -> str:
        return Sjalvskattning.Status(self.status).label if self.status else "Ej påbörjad"


@dataclass
class Nedgang:
    vardcentral: Vardcentral
    tema: Tema
    fore: float
    nu: float


# The dashboard lists the longest overdue actions; the region's action list has them all
# (filtered, sortable, exportable). Hundreds of rows here were a third of the page's HTML and
# its rendering time, and more than a planner reads on an overview.
FORSENADE_VISA = 20


@dataclass(kw_only=True)
class RegionOversikt(Sammanstallning):
    """Trends per round of the region (``Omgang``, figure)."""

    region: Region
    omgangar: list[Omgang]
    omgang: Omgang | None
    rader: list[HeatmapRad] = field(default_factory=list)
    status_antal: dict[str, int] = field(default_factory=dict)  # status → units (incl. ej påbörjad)
    forsenade: list[Atgard] = field(default_factory=list)  # the FORSENADE_VISA longest overdue
    antal_forsenade: int = 0  # all overdue open actions in the selection
    nedgangar: list[Nedgang] = field(default_factory=list)
    motivering: str = ""  # which round is shown and why (``common.omgang_valj``)
    malniva_per_tema: dict[str, float] = field(default_factory=dict)  # the theme's target
    antal_med_aldre: int = 0  # units shown with an earlier round's approved levels
    antal_ej_inskickade: int = 0  # units without any counted or earlier approved levels

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
    """Sort by ``gap`` (largest total gap first), ``namn`` or a theme code (weakest first);
    a leading "-" reverses. Rows without a value go last."""
    fallande = sortera.startswith("-")
    nyckel = sortera.lstrip("-")
    if nyckel == "namn":
        return sorted(rader, key=lambda r: r.vardcentral.namn.lower(), reverse=fallande)
    if nyckel in ("", "gap"):
        varde = lambda r: r.gap_summa  # noqa: E731
        fallande = not fallande  # largest gap first
    else:
        varde = lambda r: r.nivaer.get(nyckel)  # noqa: E731
    med = [r for r in rader if varde(r) is not None]
    utan = [r for r in rader if varde(r) is None]
    med.sort(key=lambda r: r.vardcentral.namn.lower())
    med.sort(key=varde, reverse=fallande)
    return med + sorted(utan, key=lambda r: r.vardcentral.namn.lower())


def _cell(
    *, varde: float | None, gap: float | None, fore: float | None, kalla: str, farg: str, mal: float
) -> Cell:
    """One heatmap cell: coloured by gap to the theme's target (or by level), level written."""
    if varde is None:
        text = "–"
        title = "Ingen inskickad självskattning" if kalla == "ej inskickad" else "Inget nivåsvar"
        return Cell("heat--tom", text, title, kalla)
    text = tal(varde)
    if farg == "niva":
        klass = f"heat--{min(max(int(varde), 1), 4)}"
    else:
        klass = (
            "gap--0" if not gap else "gap--1" if gap <= 1 else "gap--2" if gap <= 2 else "gap--3"
        )
    title = f"Nivå {text}, målnivå {tal(mal)}" + (f", gap {tal(gap)}" if gap else ", målnivån nådd")
    if kalla:
        title += f" (från omgång {kalla})"
    fore_text = tal(fore) if fore is not None and not kalla and varde < fore else ""
    # The row says "visar 2025, godkänd"; the cell only the round (its title says it all).
    return Cell(klass, text, title, kalla.removesuffix(", godkänd"), fore_text)


def region_oversikt_get(
    *,
    region: Region,
    vardcentraler: QuerySet[Vardcentral],
    omgang_id: int | None = None,
    sortera: str = "gap",
    farg: str = "gap",
    under_mal: str = "",
    idag: datetime.date | None = None,
    katalog: Katalog | None = None,
) -> RegionOversikt:
    """The region dashboard over a (scoped, filtered) set of the region's units.

    Seven queries for any number of units: rounds, criteria, the units, the summaries of
    every round per unit × theme (answers per category and level, kept on write; the
    group medians are taken from those counts), the self-assessment statuses of every
    round, the round's targets, and overdue actions.

    The round is ``omgang_id`` or the default of ``common.omgang_valj``. A unit without a
    counted self-assessment in it shows its levels from its latest earlier approved one,
    marked ("2025, godkänd"), or "ej inskickad"; those never enter the round's medians.
    ``under_mal`` (a theme code) keeps only units below the target in that theme.
    A ``katalog`` the caller already read saves the criteria query.
    """
    idag = idag or timezone.localdate()
    omgangar = omgangar_for_region(region)
    katalog = katalog or katalog_get()
    vardcentral_lista = list(
        vardcentraler.filter(region=region).select_related("kommun").order_by("namn", "pk")
    )
    vardcentral_ids = vardcentraler.filter(region=region).values("pk")
    # Per round × unit × theme the counted answers per category and the theme's level, as
    # kept on write (``uppfoljning.sammanfattning``): ≈ 4 000 summary rows for 230 units
    # and three rounds instead of counting their ≈ 25 000 answers (measured by make bench).
    tema_kod = {k.tema_id: k.tema.kod for k in katalog.kriterier.values()}
    grupper = rader_fetch(
        Temasammanfattning.objects.filter(
            omgang_id__in=[o.pk for o in omgangar], vardcentral__in=vardcentral_ids
        ).values_list("omgang_id", "vardcentral_id", "tema_id", *KATEGORI_FALT, "niva", "gap")
    )
    # (round, unit) → status, every round: the default round and the fallbacks need them.
    status_per: dict[tuple[int, int], str] = {
        (o, v): st
        for o, v, st in rader_fetch(
            Sjalvskattning.objects.filter(
                omgang__region=region, vardcentral__in=vardcentral_ids
            ).values_list("omgang_id", "vardcentral_id", "status")
        )
    }
    godkanda: Counter = Counter()
    raknade: Counter = Counter()
    for (o, _v), st in status_per.items():
        if st == Sjalvskattning.Status.GODKAND:
            godkanda[o] += 1
        if st in RAKNADE:
            raknade[o] += 1
    val = omgang_valj(
        omgangar,
        godkanda=godkanda,
        raknade=raknade,
        omgang_id=omgang_id,
        enheter=len(vardcentral_lista),
    )
    omgang = val.omgang
    if omgang is None:
        return RegionOversikt(
            region=region,
            omgangar=omgangar,
            omgang=omgang,
            motivering=val.motivering,
            antal_enheter=len(vardcentral_lista),
        )
    teman = katalog.teman(omgang.malbild_version_id)
    malnivaer = dict(Malniva.objects.filter(omgang=omgang).values_list("kriterium_id", "niva"))
    tema_mal = {
        t.kod: gapregel.tema_mal(
            malnivaer.get(k.pk)
            for k in katalog.for_version(omgang.malbild_version_id)
            if k.tema_id == t.pk
        )
        for t in teman
    }

    # (round, unit, theme code) → the unit's level in the theme (a round's assessments
    # share one målbild version, so a (round, unit, theme id) maps to one theme code).
    per_vardcentral: dict[tuple[int, int, str], float] = {
        (omgang_id_, vardcentral_id, tema_kod[tema_id]): rad[-2]
        for omgang_id_, vardcentral_id, tema_id, *rad in grupper
        if rad[-2] is not None
    }
    # … and its gap to the theme's target in the chosen round, as kept on write.
    gap_i_omgangen: dict[tuple[int, str], float] = {
        (vardcentral_id, tema_kod[tema_id]): rad[-1]
        for omgang_id_, vardcentral_id, tema_id, *rad in grupper
        if omgang_id_ == omgang.pk and rad[-1] is not None
    }

    def vardcentralens(omgang_id_: int, vardcentral_id: int, kod: str) -> float | None:
        return per_vardcentral.get((omgang_id_, vardcentral_id, kod))

    forra = next((o for o in reversed(omgangar) if o.period_start < omgang.period_start), None)
    tidigare_omgangar = [o for o in reversed(omgangar) if o.period_start < omgang.period_start]
    rader, nedgangar = [], []
    for vardcentral in vardcentral_lista:
        status = status_per.get((omgang.pk, vardcentral.pk))
        kalla_omgang, kalla = omgang, ""
        if status not in RAKNADE:
            # The latest earlier approved self-assessment, marked; else "ej inskickad".
            kalla_omgang = next(
                (
                    o
                    for o in tidigare_omgangar
                    if status_per.get((o.pk, vardcentral.pk)) == Sjalvskattning.Status.GODKAND
                ),
                None,
            )
            kalla = f"{kalla_omgang.namn}, godkänd" if kalla_omgang else "ej inskickad"
        nivaer = {
            t.kod: vardcentralens(kalla_omgang.pk, vardcentral.pk, t.kod) if kalla_omgang else None
            for t in teman
        }
        tidigare = {
            t.kod: vardcentralens(forra.pk, vardcentral.pk, t.kod) if forra else None for t in teman
        }
        if kalla_omgang is omgang:
            gap = {t.kod: gap_i_omgangen.get((vardcentral.pk, t.kod)) for t in teman}
        else:  # an earlier round's levels, measured against this round's targets
            gap = {t.kod: gapregel.tema_gap(tema_mal[t.kod], nivaer[t.kod]) for t in teman}
        if under_mal and not gap.get(under_mal):
            continue
        celler = [
            _cell(
                varde=nivaer[t.kod],
                gap=gap[t.kod],
                fore=tidigare[t.kod],
                kalla=kalla,
                farg=farg,
                mal=tema_mal[t.kod],
            )
            for t in teman
        ]
        rader.append(HeatmapRad(vardcentral, status, nivaer, tidigare, celler, gap, kalla))
        if not kalla:
            for t in teman:
                if nivaer[t.kod] is not None and tidigare[t.kod] is not None:
                    if nivaer[t.kod] < tidigare[t.kod]:
                        nedgangar.append(Nedgang(vardcentral, t, tidigare[t.kod], nivaer[t.kod]))
    nedgangar.sort(key=lambda n: (n.nu - n.fore, n.vardcentral.namn))
    med_i_urval = {r.vardcentral.pk for r in rader}

    # The round's aggregates over the units shown (after the "under målnivå" filter).
    per_omgang_tema: dict[tuple[int, str], Counter] = defaultdict(Counter)
    vardcentraler_per_omgang_tema: dict[tuple[int, str], set[int]] = defaultdict(set)
    fordelning_per_tema = {t.kod: Fordelning() for t in teman}
    svarande: dict[str, set[int]] = defaultdict(set)
    for omgang_id_, vardcentral_id, tema_id, n1, n2, n3, n4, n_vet_ej, n_ej, *_niva_gap in grupper:
        if vardcentral_id not in med_i_urval:
            continue
        kod = tema_kod[tema_id]
        if omgang_id_ == omgang.pk and kod in fordelning_per_tema:
            antal = fordelning_per_tema[kod].antal
            for kat, n in zip(KATEGORIER, (n1, n2, n3, n4, n_vet_ej, n_ej), strict=True):
                antal[kat] += n
            svarande[kod].add(vardcentral_id)
        if n1 or n2 or n3 or n4:
            c = per_omgang_tema[(omgang_id_, kod)]
            c[1] += n1
            c[2] += n2
            c[3] += n3
            c[4] += n4
            vardcentraler_per_omgang_tema[(omgang_id_, kod)].add(vardcentral_id)
    for kod, f in fordelning_per_tema.items():
        f.enheter = len(svarande[kod])

    status_antal = Counter(
        st for (o, v), st in status_per.items() if o == omgang.pk and v in med_i_urval
    )
    status_antal[Sjalvskattning.Status.EJ_PABORJAD.value] += len(med_i_urval) - sum(
        status_antal.values()
    )

    def grupp(omgang_id_: int, kod: str, matt=median_fran_antal) -> Jamforelse:
        return Jamforelse(
            matt(per_omgang_tema.get((omgang_id_, kod), {})),
            len(vardcentraler_per_omgang_tema.get((omgang_id_, kod), ())),
        )

    # The units and criteria are already loaded: hundreds of overdue actions need not each
    # bring their own copies (model instances are the dashboard's largest Python cost).
    vardcentral_for = {vardcentral.pk: vardcentral for vardcentral in vardcentral_lista}
    forsenade = [
        a
        for a in Atgard.objects.filter(
            vardcentral__in=vardcentral_ids, status__in=Atgard.OPPNA, klar_senast__lt=idag
        ).order_by("klar_senast", "pk")
        if a.vardcentral_id in med_i_urval
    ]
    antal_forsenade = len(forsenade)
    forsenade = forsenade[:FORSENADE_VISA]
    for atgard in forsenade:
        atgard.vardcentral = vardcentral_for[atgard.vardcentral_id]
        atgard.kriterium = katalog.kriterier[atgard.kriterium_id]
    return RegionOversikt(
        region=region,
        omgangar=omgangar,
        omgang=omgang,
        motivering=val.motivering,
        teman=teman,
        malniva_per_tema=tema_mal,
        rader=_sorterade(rader, sortera),
        median_per_tema={t.kod: grupp(omgang.pk, t.kod) for t in teman},
        fordelning_per_tema=fordelning_per_tema,
        trend={t.kod: [(o, grupp(o.pk, t.kod)) for o in omgangar] for t in teman},
        trend_andel={t.kod: [(o, grupp(o.pk, t.kod, andel_hog)) for o in omgangar] for t in teman},
        status_antal=dict(status_antal),
        forsenade=forsenade,
        antal_forsenade=antal_forsenade,
        nedgangar=nedgangar,
        antal_enheter=len(rader),
        antal_med_aldre=sum(1 for r in rader if r.kalla and r.kalla != "ej inskickad"),
        antal_ej_inskickade=sum(1 for r in rader if r.kalla == "ej inskickad"),
    )


# What the dashboard's content is made of besides the data: a change to any of these files
# (a deploy) gives every cached rendering a new key.
KOD_FILER = [
    "uppfoljning/*.py",
    "uppfoljning/selectors/*.py",
    "uppfoljning/templatetags/*.py",
    "malbild/templatetags/*.py",
    "malbild/versioner.py",
    "lib/*.py",
    "lib/templatetags/*.py",
    "templates/uppfoljning/*.html",
    "templates/malbild/_versionsnot.html",
]


@cache
def kod_version() -> str:
    """Hash of the dashboard's code and templates and Django's version (once per process)."""
    return filer_hash(KOD_FILER, grund=f"django {django.get_version()}")


def _falt(objekt) -> tuple:
    """Every stored field of a model instance: any change to its row changes the tuple."""
    return tuple(getattr(objekt, f.attname) for f in objekt._meta.concrete_fields)


def _kolumner(model, *relaterade: str) -> list[str]:
    """Every stored column of ``model`` and of the related models named (``"kommun"``)."""
    namn = [f.attname for f in model._meta.concrete_fields]
    for relation in relaterade:
        rel = model._meta.get_field(relation).related_model
        namn += [f"{relation}__{f.attname}" for f in rel._meta.concrete_fields]
    return namn


# What the dashboard reads of a criterion and its theme (``Katalog`` in the selector): their
# long texts and sources are not shown, and reading them made the key cost more than the rest.
KATALOG_KOLUMNER = (
    "pk",
    "kod",
    "ordning",
    "ersatter_id",
    "tema_id",
    "tema__version_id",
    "tema__ordning",
    "tema__kod",
    "tema__kortnamn",
)


def region_oversikt_nyckel(
    *,
    region: Region,
    vardcentraler: QuerySet[Vardcentral],
    omgangar: list[Omgang],
    formular: object,
    parametrar: list[tuple[str, list[str]]],
    idag: datetime.date,
) -> str:
    """The fingerprint of everything the dashboard below its filter form shows, for a cache key.

    Made of the data itself rather than of timestamps, because the models it shows have
    none (a unit, a round, a target) or one that some writes skip: every stored column of
    the (scoped, filtered) units and their municipalities, every self-assessment's status
    in the region's rounds, the rounds with their målbild versions, the criteria and themes
    (``katalog``), the rounds' targets, the rounds' summary versions (the summaries are
    written only by ``uppfoljning.sammanfattning``, which raises the version in the same
    transaction), the count and latest change of the units' actions (``andrad`` is
    ``auto_now`` and no code path writes actions with ``QuerySet.update``), today's date
    (what is overdue), the request's parameters (sorting, colour, filters, round, and the
    links that keep them), the language, and the code (``kod_version``). The units are the
    user's scope, so two users share a rendering only when they see the same units.

    Five queries for any number of units: the units, the statuses, the targets, the
    summary versions, and the actions' count and latest change.
    """
    vardcentral_ids = vardcentraler.filter(region=region).values("pk")
    enheter = list(
        vardcentraler.filter(region=region)
        .order_by("pk")
        .values_list(*_kolumner(Vardcentral, "kommun"))
    )
    statusar = list(
        Sjalvskattning.objects.filter(omgang__region=region, vardcentral__in=vardcentral_ids)
        .order_by("omgang_id", "vardcentral_id")
        .values_list("omgang_id", "vardcentral_id", "status")
    )
    katalog = list(Kriterium.objects.order_by("pk").values_list(*KATALOG_KOLUMNER))
    omgang_ids = [o.pk for o in omgangar]
    malnivaer = list(
        Malniva.objects.filter(omgang_id__in=omgang_ids)
        .order_by("omgang_id", "kriterium_id")
        .values_list("omgang_id", "kriterium_id", "niva")
    )
    versioner = list(
        Sammanfattningsversion.objects.filter(omgang_id__in=omgang_ids)
        .order_by("omgang_id")
        .values_list("omgang_id", "version", "nyckel")
    )
    atgarder = Atgard.objects.filter(vardcentral__in=vardcentral_ids).aggregate(
        antal=Count("pk"), andrad=Max("andrad")
    )
    underlag = (
        kod_version(),
        translation.get_language(),
        idag,
        _falt(region),
        parametrar,
        enheter,
        statusar,
        [(_falt(o), _falt(o.malbild_version)) for o in omgangar],
        katalog,
        formular,
        malnivaer,
        versioner,
        atgarder,
    )
    return hashlib.sha256(repr(underlag).encode()).hexdigest()
