"""The region-wide list of actions (åtgärder): every unit's färdplan in one table.

Filters: status (or "öppna"), theme, overdue, responsible (text). Nothing here checks
permissions: callers pass units already scoped by ``vardcentraler.behorighet``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from malbild.models import Tema
from malbild.versioner import Katalog, katalog_get
from vardcentraler.models import Atgard, Vardcentral

OPPNA = "oppna"  # the status filter's "planerad or pågår"


@dataclass(frozen=True)
class AtgardUrval:
    """The list's filters. Empty strings mean "all"."""

    status: str = ""  # an Atgard.Status value or OPPNA
    tema: str = ""  # theme code
    forsenad: bool = False
    ansvarig: str = ""  # case-insensitive substring

    @property
    def aktivt(self) -> bool:
        return bool(self.status or self.tema or self.forsenad or self.ansvarig)


@dataclass(frozen=True)
class AtgardRad:
    """One action as the list and the exports show it (plain values, no model instance)."""

    pk: int
    vardcentral_namn: str
    hsa_id: str
    tema: str  # "3. Kortnamn"
    tema_namn: str  # the theme's full name
    kriterium_kod: str
    kriterium_pk: int
    beskrivning: str
    ansvarig: str
    start: datetime.date
    klar_senast: datetime.date
    status: str
    status_namn: str
    forsenad: bool
    omgang: str  # the round the action was added in


@dataclass
class AtgardLista:
    rader: list[AtgardRad] = field(default_factory=list)
    teman: list[Tema] = field(default_factory=list)
    antal_totalt: int = 0  # actions of the units before the filters
    antal_forsenade: int = 0  # overdue among them, before the filters


def atgard_list(
    *,
    vardcentraler: QuerySet[Vardcentral],
    urval: AtgardUrval = AtgardUrval(),  # noqa: B008 - frozen, immutable
    idag: datetime.date | None = None,
    katalog: Katalog | None = None,
) -> AtgardLista:
    """The units' actions, overdue first then by due date, filtered. Two queries (one with a
    ``katalog`` given): criteria and the actions with their unit and round, whatever the size.

    The counts before filtering let the page say "3 av 41". Filtering is done in Python over
    the region's actions (a few thousand at most at national scale).
    """
    idag = idag or timezone.localdate()
    katalog = katalog or katalog_get()
    alla = (
        Atgard.objects.filter(vardcentral__in=vardcentraler.values("pk"))
        .values_list(
            "pk",
            "vardcentral__namn",
            "vardcentral__hsa_id",
            "kriterium_id",
            "beskrivning",
            "ansvarig",
            "start",
            "klar_senast",
            "status",
            "omgang__namn",
        )
        .order_by("klar_senast", "pk")
    )
    status_namn = dict(Atgard.Status.choices)
    teman: dict[str, Tema] = {}
    lista = AtgardLista()
    ansvarig = urval.ansvarig.strip().casefold()
    for pk, vc_namn, hsa_id, kriterium_id, beskr, ansv, start, klar, status, omgang in alla:
        kriterium = katalog.kriterier[kriterium_id]
        tema = kriterium.tema
        teman.setdefault(tema.kod, tema)
        forsenad = status in Atgard.OPPNA and klar < idag
        lista.antal_totalt += 1
        lista.antal_forsenade += forsenad
        if urval.status == OPPNA and status not in Atgard.OPPNA:
            continue
        if urval.status and urval.status != OPPNA and status != urval.status:
            continue
        if urval.tema and tema.kod != urval.tema:
            continue
        if urval.forsenad and not forsenad:
            continue
        if ansvarig and ansvarig not in ansv.casefold():
            continue
        lista.rader.append(
            AtgardRad(
                pk=pk,
                vardcentral_namn=vc_namn,
                hsa_id=hsa_id,
                tema=f"{tema.ordning}. {tema.kortnamn}",
                tema_namn=tema.kortnamn,
                kriterium_kod=kriterium.kod,
                kriterium_pk=kriterium.pk,
                beskrivning=beskr,
                ansvarig=ansv,
                start=start,
                klar_senast=klar,
                status=status,
                status_namn=status_namn.get(status, status),
                forsenad=forsenad,
                omgang=omgang,
            )
        )
    lista.rader.sort(key=lambda r: (not r.forsenad, r.klar_senast, r.pk))
    lista.teman = sorted(teman.values(), key=lambda t: (t.ordning, t.pk))
    return lista


RUBRIKER = [
    "Vårdcentral",
    "HSA-id",
    "Tema",
    "Kriteriekod",
    "Åtgärd",
    "Ansvarig",
    "Start",
    "Klar senast",
    "Status",
    "Försenad",
    "Tillagd i omgång",
]
BREDDER = [36, 24, 30, 10, 60, 24, 11, 11, 10, 9, 10]


def atgard_export_rader(lista: AtgardLista):
    """The list's rows for CSV/XLSX, in ``RUBRIKER``'s order. No query."""
    for r in lista.rader:
        yield [
            r.vardcentral_namn,
            r.hsa_id,
            r.tema,
            r.kriterium_kod,
            r.beskrivning,
            r.ansvarig,
            r.start,
            r.klar_senast,
            r.status_namn,
            "ja" if r.forsenad else "nej",
            r.omgang,
        ]
