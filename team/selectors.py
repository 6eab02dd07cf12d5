"""Reads of the team self-assessment: the spread per criterion, the flags, the agreement.

Only submitted members' ratings count (a draft is not a rating). Definitions (docs/ordlista.md):

- *Spridning* (flag): the levels given to a criterion differ by 2 or more (max − min ≥ 2).
- *Systematisk yrkesskillnad* (flag): within a theme, one profession's mean level differs from
  the mean of the other members by at least 1 level, in the same direction, on every criterion
  of the theme where it and at least two other professions gave a level — and on at least 2
  such criteria. (With only two professions "the others" is one person's view: no flag.)
- *Samstämmighet* of a theme: of the criteria with at least two levels given, the share whose
  levels lie within 1 of each other (max − min ≤ 1).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from malbild.models import NIVAER, Kriterium, Tema
from vardcentraler.models import Sjalvskattning

from .models import Teammedlem, Teamsvar, Yrke

SPRIDNING_FLAGGA = 2  # levels apart
YRKESSKILLNAD = 1.0  # mean levels apart
YRKESSKILLNAD_MIN_KRITERIER = 2

# The dot strip's geometry (SVG user units): one column per level and one for "vet ej".
PRICK_STEG = 12
KOLUMN_BREDD = 36


@dataclass
class Skattning:
    yrke: str
    yrke_namn: str
    niva: int | None  # None: "vet ej"
    namn: str = ""
    kommentar: str = ""


@dataclass
class Kolumn:
    etikett: str
    antal: int
    x: int  # the column's centre
    prickar: list[dict] = field(default_factory=list)  # {"y": .., "titel": ..}


@dataclass
class KriteriumSpridning:
    kriterium: Kriterium
    skattningar: list[Skattning]
    flagga_spridning: bool = False
    yrkesskillnader: list[dict] = field(default_factory=list)  # {"yrke": .., "riktning": "högre"}
    kolumner: list[Kolumn] = field(default_factory=list)
    hojd: int = 0
    svar: object = None  # the unit's answer (the consensus), when asked for
    varde: str = ""  # the consensus form's choice ("1".."4", "vet_ej", …), set by the view
    motivering_text: str = ""

    @property
    def nivaer(self) -> list[int]:
        return [s.niva for s in self.skattningar if s.niva is not None]

    @property
    def overens(self) -> bool | None:
        n = self.nivaer
        return None if len(n) < 2 else max(n) - min(n) <= 1

    @property
    def per_yrke(self) -> list[dict]:
        """Rows of the table: per profession the count per level and "vet ej"."""
        rader = {}
        for s in self.skattningar:
            rad = rader.setdefault(
                s.yrke, {"yrke": s.yrke_namn, "antal": dict.fromkeys([*NIVAER, None], 0)}
            )
            rad["antal"][s.niva] += 1
        return [
            {"yrke": r["yrke"], "celler": [r["antal"][n] for n in [*NIVAER, None]]}
            for r in rader.values()
        ]

    @property
    def sammanfattning(self) -> str:
        """The strip's text alternative: the count per level."""
        delar = [f"nivå {k.etikett}: {k.antal}" for k in self.kolumner[:-1]]
        return "Skattningar, " + ", ".join(delar) + f", vet ej: {self.kolumner[-1].antal}"


@dataclass
class TemaSpridning:
    tema: Tema
    kriterier: list[KriteriumSpridning]

    @property
    def matbara(self) -> int:
        return sum(1 for k in self.kriterier if k.overens is not None)

    @property
    def overens(self) -> int:
        return sum(1 for k in self.kriterier if k.overens)

    @property
    def procent(self) -> int | None:
        return round(100 * self.overens / self.matbara) if self.matbara else None

    @property
    def flaggor(self) -> int:
        return sum(1 for k in self.kriterier if k.flagga_spridning or k.yrkesskillnader)


def _strip(k: KriteriumSpridning, med_namn: bool) -> None:
    etiketter = [str(n) for n in NIVAER] + ["Vet ej"]
    grupper = defaultdict(list)
    for s in k.skattningar:
        grupper[s.niva].append(s)
    hogst = max((len(v) for v in grupper.values()), default=0)
    k.hojd = max(hogst, 1) * PRICK_STEG + 32
    for i, (niva, etikett) in enumerate(zip([*NIVAER, None], etiketter, strict=True)):
        kol = Kolumn(etikett=etikett, antal=len(grupper[niva]), x=i * KOLUMN_BREDD + 18)
        for j, s in enumerate(grupper[niva]):
            titel = f"{s.namn}, {s.yrke_namn}" if med_namn else s.yrke_namn
            kol.prickar.append({"y": k.hojd - 34 - j * PRICK_STEG, "titel": titel})
        k.kolumner.append(kol)


def _yrkesskillnader(kriterier: list[KriteriumSpridning]) -> None:
    """Mark the systematic profession differences of one theme (see the module's definition)."""
    yrken = {s.yrke: s.yrke_namn for k in kriterier for s in k.skattningar if s.niva is not None}
    for yrke, yrke_namn in yrken.items():
        riktningar, berorda = set(), []
        for k in kriterier:
            egna = [s.niva for s in k.skattningar if s.yrke == yrke and s.niva is not None]
            andra = [s.niva for s in k.skattningar if s.yrke != yrke and s.niva is not None]
            andra_yrken = {s.yrke for s in k.skattningar if s.yrke != yrke and s.niva is not None}
            if not egna or len(andra_yrken) < 2:
                continue
            skillnad = sum(egna) / len(egna) - sum(andra) / len(andra)
            if abs(skillnad) < YRKESSKILLNAD:
                riktningar.add(0)
                break
            riktningar.add(1 if skillnad > 0 else -1)
            berorda.append(k)
        if (
            len(riktningar) == 1
            and 0 not in riktningar
            and len(berorda) >= YRKESSKILLNAD_MIN_KRITERIER
        ):
            skillnad = {"yrke": yrke_namn, "riktning": "högre" if 1 in riktningar else "lägre"}
            for k in berorda:
                k.yrkesskillnader.append(skillnad)


def spridning_for(
    sjalvskattning: Sjalvskattning, *, med_namn: bool, med_svar: bool = False
) -> list[TemaSpridning]:
    """The spread of the submitted members' ratings, per theme and criterion, flags set.

    ``med_namn``: the unit's view (names and comments); the planner's has neither.
    Three queries (four with ``med_svar``), whatever the team's size.
    """
    kriterier = list(
        Kriterium.objects.for_version(sjalvskattning.omgang.malbild_version_id).select_related(
            "tema"
        )
    )
    per_kriterium = defaultdict(list)
    rader = Teamsvar.objects.filter(
        medlem__omgang_id=sjalvskattning.omgang_id,
        medlem__vardcentral_id=sjalvskattning.vardcentral_id,
        medlem__inskickad__isnull=False,
        medlem__borttagen=False,
    ).select_related("medlem")
    yrkesnamn = dict(Yrke.choices)
    for r in rader.order_by("medlem__yrke", "medlem__namn", "medlem_id"):
        per_kriterium[r.kriterium_id].append(
            Skattning(
                yrke=r.medlem.yrke,
                yrke_namn=yrkesnamn.get(r.medlem.yrke, r.medlem.yrke),
                niva=r.niva,
                namn=r.medlem.namn if med_namn else "",
                kommentar=r.kommentar if med_namn else "",
            )
        )
    svar = {}
    if med_svar:
        svar = {s.kriterium_id: s for s in sjalvskattning.svar.all()}
    teman: dict[int, TemaSpridning] = {}
    for kriterium in kriterier:
        k = KriteriumSpridning(kriterium=kriterium, skattningar=per_kriterium[kriterium.pk])
        n = k.nivaer
        k.flagga_spridning = len(n) >= 2 and max(n) - min(n) >= SPRIDNING_FLAGGA
        k.svar = svar.get(kriterium.pk)
        _strip(k, med_namn)
        teman.setdefault(kriterium.tema_id, TemaSpridning(kriterium.tema, [])).kriterier.append(k)
    for t in teman.values():
        _yrkesskillnader(t.kriterier)
    return list(teman.values())


def team_for(sjalvskattning: Sjalvskattning) -> list[Teammedlem]:
    """The unit's team in the round (removed members left out), with their rating counts.
    One query."""
    from django.db.models import Count

    return list(
        Teammedlem.objects.filter(
            omgang_id=sjalvskattning.omgang_id,
            vardcentral_id=sjalvskattning.vardcentral_id,
            borttagen=False,
        ).annotate(antal_svar=Count("svar"))
    )


def teamsvar_for(medlem: Teammedlem) -> dict[int, Teamsvar]:
    """The member's own ratings by criterion pk. One query."""
    return {s.kriterium_id: s for s in medlem.svar.all()}


def har_teamsvar(sjalvskattning: Sjalvskattning) -> bool:
    """Has any member submitted (is there a spread to show)? One query."""
    return Teammedlem.objects.filter(
        omgang_id=sjalvskattning.omgang_id,
        vardcentral_id=sjalvskattning.vardcentral_id,
        inskickad__isnull=False,
        borttagen=False,
    ).exists()


def teamspridning_for_granskning(sjalvskattning: Sjalvskattning) -> dict[int, TemaSpridning] | None:
    """For the planner's review page: per theme pk the spread, without names or comments;
    None when the round has no team assessment. No query then, else three."""
    if not sjalvskattning.omgang.teambedomning:
        return None
    return {t.tema.pk: t for t in spridning_for(sjalvskattning, med_namn=False)}
