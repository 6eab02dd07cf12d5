"""The start page's "Att göra": what each role has to do now, each line a link.

A verksamhetschef sees, per unit, the open round's self-assessment (deadline, days left,
progress, status), the largest gaps of the last approved round and the overdue actions.
A planner sees, per open round of the region, the units waiting for review, the units not
submitted (one group: ej påbörjad, pågår and återsänd) with days to the deadline and the
unit's contact, rounds without targets or requirements, and the region's overdue actions.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from malbild.models import Kriterium
from uppfoljning import gapregel
from vardcentraler import behorighet
from vardcentraler.models import Atgard, Krav, Malniva, Omgang, Sjalvskattning, Svar, Vardcentral

STORSTA_GAP = 3  # the chef's start page names the three largest gaps


@dataclass
class Gap:
    kriterium: Kriterium
    niva: int
    malniva: int

    @property
    def gap(self) -> int:
        return gapregel.gap(typ=gapregel.NIVA, niva=self.niva, malniva=self.malniva)


@dataclass
class EnhetsUppgifter:
    """One unit's work, as its verksamhetschef sees it."""

    vardcentral: Vardcentral
    sjalvskattning: Sjalvskattning | None  # in the newest open round
    besvarade: int = 0
    totalt: int = 0
    dagar_kvar: int | None = None
    godkand_omgang: Omgang | None = None
    storsta_gap: list[Gap] = field(default_factory=list)
    forsenade: list[Atgard] = field(default_factory=list)

    @property
    def procent(self) -> int:
        return round(100 * self.besvarade / self.totalt) if self.totalt else 0


@dataclass
class Kontakt:
    namn: str
    epost: str


@dataclass
class EjInskickad:
    sjalvskattning: Sjalvskattning
    kontakter: list[Kontakt]


@dataclass
class OmgangsLage:
    """One open round of the planner's region."""

    omgang: Omgang
    dagar_kvar: int
    vantar: list[Sjalvskattning]
    ej_inskickade: list[EjInskickad]
    saknar_malnivaer: bool
    saknar_krav: bool


@dataclass
class PlanerarUppgifter:
    omgangar: list[OmgangsLage]
    forsenade_antal: int


def _dagar_kvar(omgang: Omgang, idag: datetime.date) -> int:
    return (omgang.sista_dag - idag).days


def att_gora_chef(user, *, idag: datetime.date) -> list[EnhetsUppgifter]:
    """Per unit of the verksamhetschef. Six queries whatever the number of units."""
    enheter = list(behorighet.vardcentraler_for(user).order_by("namn"))  # 1
    ids = [vc.pk for vc in enheter]
    sjalvskattningar = (
        Sjalvskattning.objects.filter(vardcentral_id__in=ids)
        .select_related("omgang")
        .annotate(besvarade=Count("svar", filter=~Q(svar__typ="") & Q(svar__utkast=False)))
        .order_by("-omgang__period_start", "-pk")
    )  # 2
    oppen: dict[int, Sjalvskattning] = {}
    godkand: dict[int, Sjalvskattning] = {}
    for s in sjalvskattningar:
        if s.omgang.status == Omgang.Status.OPPEN:
            oppen.setdefault(s.vardcentral_id, s)
        if s.status == Sjalvskattning.Status.GODKAND:
            godkand.setdefault(s.vardcentral_id, s)
    totalt = dict(
        Kriterium.objects.filter(
            tema__version_id__in={s.omgang.malbild_version_id for s in oppen.values()}
        )
        .values("tema__version_id")
        .annotate(n=Count("pk"))
        .values_list("tema__version_id", "n")
    )  # 3
    gap_per_enhet = _storsta_gap(list(godkand.values()))  # 4, 5
    forsenade: dict[int, list[Atgard]] = defaultdict(list)
    for a in (
        Atgard.objects.filter(vardcentral_id__in=ids, status__in=Atgard.OPPNA, klar_senast__lt=idag)
        .select_related("kriterium__tema")
        .order_by("klar_senast", "pk")
    ):  # 6
        forsenade[a.vardcentral_id].append(a)
    resultat = []
    for vc in enheter:
        s = oppen.get(vc.pk)
        g = godkand.get(vc.pk)
        resultat.append(
            EnhetsUppgifter(
                vardcentral=vc,
                sjalvskattning=s,
                besvarade=s.besvarade if s else 0,
                totalt=totalt.get(s.omgang.malbild_version_id, 0) if s else 0,
                dagar_kvar=_dagar_kvar(s.omgang, idag) if s else None,
                godkand_omgang=g.omgang if g else None,
                storsta_gap=gap_per_enhet.get(g.pk, []) if g else [],
                forsenade=forsenade[vc.pk],
            )
        )
    return resultat


def _storsta_gap(sjalvskattningar: list[Sjalvskattning]) -> dict[int, list[Gap]]:
    """The largest gaps per approved self-assessment (the gap rule's "below target"). Two queries."""
    if not sjalvskattningar:
        return {}
    malniva = {
        (m.omgang_id, m.kriterium_id): m.niva
        for m in Malniva.objects.filter(omgang_id__in={s.omgang_id for s in sjalvskattningar})
    }
    omgang_for = {s.pk: s.omgang_id for s in sjalvskattningar}
    gap: dict[int, list[Gap]] = defaultdict(list)
    for svar in Svar.objects.filter(
        sjalvskattning_id__in=omgang_for, typ=Svar.Typ.NIVA
    ).select_related("kriterium__tema"):
        mal = malniva.get((omgang_for[svar.sjalvskattning_id], svar.kriterium_id))
        if gapregel.under_mal(typ=svar.typ, niva=svar.niva, malniva=mal):
            gap[svar.sjalvskattning_id].append(Gap(svar.kriterium, svar.niva, gapregel.mal(mal)))
    return {
        pk: sorted(g, key=lambda x: (-x.gap, x.kriterium.tema.ordning, x.kriterium.ordning))[
            :STORSTA_GAP
        ]
        for pk, g in gap.items()
    }


def att_gora_planerare(user, *, idag: datetime.date) -> PlanerarUppgifter:
    """The planner's region: open rounds and what waits in them. Five queries."""
    region = behorighet.egen_region(user)
    omgangar = list(
        Omgang.objects.filter(region=region, status=Omgang.Status.OPPEN)
        .annotate(
            antal_malnivaer=Count("malnivaer", distinct=True),
            antal_krav=Count("krav", filter=~Q(krav__kravniva=Krav.Kravniva.EJ), distinct=True),
        )
        .order_by("sista_dag", "pk")
    )  # 1
    per_omgang: dict[int, list[Sjalvskattning]] = defaultdict(list)
    for s in (
        Sjalvskattning.objects.filter(
            omgang__in=omgangar,
            status__in=[Sjalvskattning.Status.INSKICKAD, *Sjalvskattning.EJ_INSKICKADE],
        )
        .select_related("vardcentral")
        .order_by("vardcentral__namn")
    ):  # 2
        per_omgang[s.omgang_id].append(s)
    kontakter: dict[int, list[Kontakt]] = defaultdict(list)
    vc_ids = {s.vardcentral_id for lista in per_omgang.values() for s in lista}
    for profil in behorighet.chefsprofiler_for_vardcentraler(vc_ids):  # 3, 4
        for vc in profil.vardcentraler.all():
            if vc.pk in vc_ids:
                u = profil.anvandare
                kontakter[vc.pk].append(Kontakt(u.get_full_name() or u.username, u.email))
    lagen = []
    for o in omgangar:
        lista = per_omgang[o.pk]
        lagen.append(
            OmgangsLage(
                omgang=o,
                dagar_kvar=_dagar_kvar(o, idag),
                vantar=[s for s in lista if s.status == Sjalvskattning.Status.INSKICKAD],
                ej_inskickade=[
                    EjInskickad(s, kontakter[s.vardcentral_id])
                    for s in lista
                    if s.status in Sjalvskattning.EJ_INSKICKADE
                ],
                saknar_malnivaer=o.antal_malnivaer == 0,
                saknar_krav=o.antal_krav == 0,
            )
        )
    forsenade = Atgard.objects.filter(
        vardcentral__region=region, status__in=Atgard.OPPNA, klar_senast__lt=idag
    ).count()  # 5
    return PlanerarUppgifter(omgangar=lagen, forsenade_antal=forsenade)
