"""The region dashboard: a heatmap of units × themes, medians, distributions and trends.

Only submitted or approved self-assessments (``RAKNADE``) enter it; comparison figures
follow the small-group rule of ``uppfoljning.statistik``.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from malbild.models import Tema
from malbild.versioner import katalog_get
from uppfoljning.selectors.common import (
    RAKNADE,
    Sammanstallning,
    kategori_antal,
    omgang_aktuell,
    omgangar_for_region,
    rader_fetch,
)
from uppfoljning.statistik import (
    KATEGORIER,
    Fordelning,
    Jamforelse,
    andel_hog,
    median_av_fyra,
    median_fran_antal,
)
from vardcentraler.models import Atgard, Omgang, Region, Sjalvskattning, Svar, Vardcentral


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


@dataclass(kw_only=True)
class RegionOversikt(Sammanstallning):
    """Trends per round of the region (``Omgang``, figure)."""

    region: Region
    omgangar: list[Omgang]
    omgang: Omgang | None
    rader: list[HeatmapRad] = field(default_factory=list)
    status_antal: dict[str, int] = field(default_factory=dict)  # status → units (incl. ej påbörjad)
    forsenade: list[Atgard] = field(default_factory=list)
    nedgangar: list[Nedgang] = field(default_factory=list)

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
    vardcentral_lista = list(
        vardcentraler.filter(region=region).select_related("kommun").order_by("namn", "pk")
    )
    vardcentral_ids = vardcentraler.filter(region=region).values("pk")
    # Counted answers per round × unit × theme and category, counted in the database: one
    # row per (round, unit, theme), ≈ 4 000 for 230 units and three rounds, instead of the
    # ≈ 25 000 answers themselves (measured by ``make bench``).
    tema_kod = {k.tema_id: k.tema.kod for k in katalog.kriterier.values()}
    grupper = rader_fetch(
        Svar.objects.besvarade()
        .filter(
            sjalvskattning__omgang__region=region,
            sjalvskattning__vardcentral__in=vardcentral_ids,
            sjalvskattning__status__in=RAKNADE,
        )
        .values_list(
            "sjalvskattning__omgang_id", "sjalvskattning__vardcentral_id", "kriterium__tema_id"
        )
        .annotate(**kategori_antal())
        .order_by()
    )
    if omgang_id is None:
        # Default: the newest round with a counted answer in the selection (a manager whose
        # unit has not yet submitted this round sees the last one it did), else the newest.
        med_svar = {r[0] for r in grupper}
        omgang_id = next((o.pk for o in reversed(omgangar) if o.pk in med_svar), None)
    omgang = omgang_aktuell(omgangar, omgang_id)
    if omgang is None:
        return RegionOversikt(
            region=region, omgangar=omgangar, omgang=omgang, antal_enheter=len(vardcentral_lista)
        )
    teman = katalog.teman(omgang.malbild_version_id)

    # (round, unit, theme) → answers at levels 1–4; a round's assessments share one målbild
    # version, so a (round, unit, theme id) maps to one theme code (summed should it not).
    per_vardcentral: dict[tuple[int, int, str], tuple[int, int, int, int]] = {}
    per_omgang_tema: dict[tuple[int, str], Counter] = defaultdict(Counter)
    vardcentraler_per_omgang_tema: dict[tuple[int, str], set[int]] = defaultdict(set)
    fordelning_per_tema = {t.kod: Fordelning() for t in teman}
    svarande: dict[str, set[int]] = defaultdict(set)
    for omgang_id_, vardcentral_id, tema_id, n1, n2, n3, n4, n_vet_ej, n_ej in grupper:
        kod = tema_kod[tema_id]
        if omgang_id_ == omgang.pk and kod in fordelning_per_tema:
            antal = fordelning_per_tema[kod].antal
            for kat, n in zip(KATEGORIER, (n1, n2, n3, n4, n_vet_ej, n_ej), strict=True):
                antal[kat] += n
            svarande[kod].add(vardcentral_id)
        if n1 or n2 or n3 or n4:
            nyckel = (omgang_id_, vardcentral_id, kod)
            fore = per_vardcentral.get(nyckel, (0, 0, 0, 0))
            per_vardcentral[nyckel] = (fore[0] + n1, fore[1] + n2, fore[2] + n3, fore[3] + n4)
            vardcentraler_per_omgang_tema[(omgang_id_, kod)].add(vardcentral_id)
    for (omgang_id_, _vc_id, kod), (n1, n2, n3, n4) in per_vardcentral.items():
        c = per_omgang_tema[(omgang_id_, kod)]
        c[1] += n1
        c[2] += n2
        c[3] += n3
        c[4] += n4
    for kod, f in fordelning_per_tema.items():
        f.enheter = len(svarande[kod])

    status_per_vardcentral = dict(
        Sjalvskattning.objects.filter(omgang=omgang, vardcentral__in=vardcentral_ids).values_list(
            "vardcentral_id", "status"
        )
    )
    forra = next((o for o in reversed(omgangar) if o.period_start < omgang.period_start), None)

    rader, nedgangar = [], []

    def vardcentralens(omgang_id_: int, vardcentral_id: int, kod: str) -> float | None:
        antal = per_vardcentral.get((omgang_id_, vardcentral_id, kod))
        return median_av_fyra(antal) if antal else None

    for vardcentral in vardcentral_lista:
        nivaer = {t.kod: vardcentralens(omgang.pk, vardcentral.pk, t.kod) for t in teman}
        tidigare = {
            t.kod: vardcentralens(forra.pk, vardcentral.pk, t.kod) if forra else None for t in teman
        }
        rader.append(
            HeatmapRad(vardcentral, status_per_vardcentral.get(vardcentral.pk), nivaer, tidigare)
        )
        for t in teman:
            if nivaer[t.kod] is not None and tidigare[t.kod] is not None:
                if nivaer[t.kod] < tidigare[t.kod]:
                    nedgangar.append(Nedgang(vardcentral, t, tidigare[t.kod], nivaer[t.kod]))
    nedgangar.sort(key=lambda n: (n.nu - n.fore, n.vardcentral.namn))

    status_antal = Counter(status_per_vardcentral.values())
    status_antal[Sjalvskattning.Status.EJ_PABORJAD.value] += len(vardcentral_lista) - len(
        status_per_vardcentral
    )

    def grupp(omgang_id_: int, kod: str, matt=median_fran_antal) -> Jamforelse:
        return Jamforelse(
            matt(per_omgang_tema.get((omgang_id_, kod), {})),
            len(vardcentraler_per_omgang_tema.get((omgang_id_, kod), ())),
        )

    # The units and criteria are already loaded: hundreds of overdue actions need not each
    # bring their own copies (model instances are the dashboard's largest Python cost).
    vardcentral_for = {vardcentral.pk: vardcentral for vardcentral in vardcentral_lista}
    forsenade = list(
        Atgard.objects.filter(
            vardcentral__in=vardcentral_ids, status__in=Atgard.OPPNA, klar_senast__lt=idag
        ).order_by("klar_senast", "pk")
    )
    for atgard in forsenade:
        atgard.vardcentral = vardcentral_for[atgard.vardcentral_id]
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
        antal_enheter=len(vardcentral_lista),
    )
