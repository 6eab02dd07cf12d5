"""What the PDF reports print: plain data built in a few queries, no rendering.

Two reports:
- ``fardplan_data(sjalvskattning)``: one vårdcentral's färdplan in a round;
- ``kravstallning_data(omgang)``: the region's kravställning basis for a round.

Rules shared with the web follow-up (uppfoljning): levels are ordinal, so
comparisons use medians; "vet ej" and "ej tillämpligt" are their own categories
and never a level; gap = max(target − level, 0); a theme's level for a unit is
the median of its criterion levels in that theme; a comparison figure over fewer
than ``MIN_GRUPP`` units is suppressed (None, printed as "–").

A requirement (Krav, ska or bör) counts as met when the unit's level reaches the
round's målnivå for the criterion, or level 3 ("Infört") where the region set no
målnivå. "Vet ej" or no answer is not met: the unit cannot show it.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format

from malbild.models import Kriterium, Tema
from vardcentraler.models import Atgard, Krav, Malniva, Omgang, Sjalvskattning, Svar, Vardcentral

MIN_GRUPP = 5
NIVA_UTAN_MAL = 3
# A criterion gets a suggested requirement wording when at least this share of the
# answering units is below the target.
FORSLAG_ANDEL = 0.3


def median(values) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


def median_grupp(values) -> float | None:
    """Median, suppressed (None) for a group of fewer than MIN_GRUPP units."""
    values = list(values)
    return statistics.median(values) if len(values) >= MIN_GRUPP else None


def krav_uppfyllt(niva: int | None, mal: int | None) -> bool:
    return niva is not None and niva >= (mal if mal is not None else NIVA_UTAN_MAL)


@dataclass
class OmgangUnderlag:
    """Region-wide figures of one round, computed once and shared by every färdplan of it.

    Five queries: criteria (+ level descriptions), targets, level answers, requirements.
    """

    omgang: Omgang
    teman: list[Tema]
    kriterier: dict[int, list[Kriterium]]  # tema_id -> criteria in order
    mal: dict[int, int]  # kriterium_id -> målnivå
    krav: dict[int, Krav]  # kriterium_id -> krav
    region_median: dict[int, float | None]  # kriterium_id -> median level over units
    region_tema_median: dict[int, float | None]  # tema_id -> median of units' theme levels


def omgang_underlag(omgang: Omgang) -> OmgangUnderlag:
    kriterier_qs = (
        Kriterium.objects.filter(tema__version_id=omgang.malbild_version_id)
        .select_related("tema")
        .prefetch_related("nivaer")
        .order_by("tema__ordning", "ordning")
    )
    teman: dict[int, Tema] = {}
    kriterier: dict[int, list[Kriterium]] = defaultdict(list)
    tema_for: dict[int, int] = {}
    for k in kriterier_qs:
        teman.setdefault(k.tema_id, k.tema)
        kriterier[k.tema_id].append(k)
        tema_for[k.pk] = k.tema_id
    mal = dict(Malniva.objects.filter(omgang=omgang).values_list("kriterium_id", "niva"))
    krav = {k.kriterium_id: k for k in Krav.objects.filter(omgang=omgang)}
    per_kriterium: dict[int, list[int]] = defaultdict(list)
    per_enhet_tema: dict[tuple[int, int], list[int]] = defaultdict(list)
    rader = Svar.objects.filter(sjalvskattning__omgang=omgang, typ=Svar.Typ.NIVA).values_list(
        "sjalvskattning__vardcentral_id", "kriterium_id", "niva"
    )
    for vc_id, k_id, niva in rader:
        per_kriterium[k_id].append(niva)
        if k_id in tema_for:
            per_enhet_tema[(vc_id, tema_for[k_id])].append(niva)
    per_tema: dict[int, list[float]] = defaultdict(list)
    for (_vc, tema_id), nivaer in per_enhet_tema.items():
        per_tema[tema_id].append(statistics.median(nivaer))
    return OmgangUnderlag(
        omgang=omgang,
        teman=list(teman.values()),
        kriterier=dict(kriterier),
        mal=mal,
        krav=krav,
        region_median={k: median_grupp(v) for k, v in per_kriterium.items()},
        region_tema_median={t: median_grupp(per_tema.get(t, [])) for t in teman},
    )


@dataclass
class KriteriumRad:
    kriterium: Kriterium
    svar: Svar | None
    niva: int | None
    mal: int | None
    gap: int | None
    region_median: float | None
    tidigare: str | None  # the previous round's answer as shown ("2", "Vet ej"), if any
    atgarder: list[Atgard] = field(default_factory=list)

    @property
    def visning(self) -> str:
        return self.svar.visning if self.svar else "Ej besvarat"


@dataclass
class TemaAvsnitt:
    tema: Tema
    niva: float | None
    mal: float | None
    region_median: float | None
    rader: list[KriteriumRad]

    @property
    def gap_rader(self) -> list[KriteriumRad]:
        return [r for r in self.rader if r.gap]

    @property
    def atgarder(self) -> list[tuple[KriteriumRad, Atgard]]:
        return [(r, a) for r in self.rader for a in r.atgarder]


@dataclass
class Fardplan:
    sjalvskattning: Sjalvskattning
    vardcentral: Vardcentral
    omgang: Omgang
    datum: datetime.date
    teman: list[TemaAvsnitt]
    forra_omgang: Omgang | None
    andrade_nivaer: list[tuple[KriteriumRad, str, str]]  # row, before, now ("höjd"/"sänkt")
    nya_atgarder: list[Atgard]
    avslutade_atgarder: list[Atgard]
    ouppfyllda_krav: list[tuple[Krav, KriteriumRad]]

    @property
    def antal_gap(self) -> int:
        return sum(len(t.gap_rader) for t in self.teman)

    @property
    def oppna_atgarder(self) -> int:
        return sum(1 for t in self.teman for _r, a in t.atgarder if a.ar_oppen)


def forra_omgang(omgang: Omgang) -> Omgang | None:
    """The region's round before this one. One query."""
    return (
        Omgang.objects.filter(region_id=omgang.region_id, period_start__lt=omgang.period_start)
        .order_by("-period_start")
        .first()
    )


def fardplan_data(
    sjalvskattning: Sjalvskattning,
    *,
    underlag: OmgangUnderlag | None = None,
    forra: Omgang | None | bool = False,
) -> Fardplan:
    """The färdplan of one unit in one round.

    With ``underlag`` (and ``forra``) given, as when a whole region is rendered,
    three queries: answers, actions, previous answers; otherwise eight or nine.
    """
    omgang = sjalvskattning.omgang
    vardcentral = sjalvskattning.vardcentral
    if underlag is None:
        underlag = omgang_underlag(omgang)
    if forra is False:
        forra = forra_omgang(omgang)
    svar = {
        s.kriterium_id: s
        for s in Svar.objects.filter(sjalvskattning=sjalvskattning).select_related("kriterium")
    }
    alla_kriterier = [k for t in underlag.teman for k in underlag.kriterier[t.pk]]
    atgarder_per: dict[int, list[Atgard]] = defaultdict(list)
    atgarder = list(
        Atgard.objects.filter(vardcentral=vardcentral, kriterium__in=alla_kriterier).order_by(
            "klar_senast", "pk"
        )
    )
    for a in atgarder:
        atgarder_per[a.kriterium_id].append(a)
    tidigare: dict[int, Svar] = {}
    if forra:
        for s in Svar.objects.filter(
            sjalvskattning__omgang=forra, sjalvskattning__vardcentral=vardcentral
        ):
            tidigare[s.kriterium_id] = s

    teman, andrade, ouppfyllda = [], [], []
    for tema in underlag.teman:
        rader = []
        for k in underlag.kriterier[tema.pk]:
            s = svar.get(k.pk)
            niva = s.niva if s and s.typ == Svar.Typ.NIVA else None
            mal = underlag.mal.get(k.pk)
            gap = max(mal - niva, 0) if mal is not None and niva is not None else None
            fore = tidigare.get(k.pk) or (tidigare.get(k.ersatter_id) if k.ersatter_id else None)
            rad = KriteriumRad(
                kriterium=k,
                svar=s,
                niva=niva,
                mal=mal,
                gap=gap,
                region_median=underlag.region_median.get(k.pk),
                tidigare=fore.visning if fore else None,
                atgarder=atgarder_per.get(k.pk, []),
            )
            rader.append(rad)
            if fore and s and fore.visning != s.visning:
                if fore.typ == Svar.Typ.NIVA and niva is not None:
                    riktning = "höjd" if niva > fore.niva else "sänkt"
                else:
                    riktning = "ändrad"
                andrade.append((rad, fore.visning, riktning))
            krav = underlag.krav.get(k.pk)
            if krav and krav.kravniva != Krav.Kravniva.EJ and not krav_uppfyllt(niva, mal):
                ouppfyllda.append((krav, rad))
        nivaer = [r.niva for r in rader if r.niva is not None]
        malen = [r.mal for r in rader if r.mal is not None]
        teman.append(
            TemaAvsnitt(
                tema=tema,
                niva=median(nivaer),
                mal=median(malen),
                region_median=underlag.region_tema_median.get(tema.pk),
                rader=rader,
            )
        )
    # Ska-krav before bör-krav, then in the målbild's order.
    ouppfyllda.sort(key=lambda kr: kr[0].kravniva != Krav.Kravniva.SKA)
    return Fardplan(
        sjalvskattning=sjalvskattning,
        vardcentral=vardcentral,
        omgang=omgang,
        datum=timezone.localdate(),
        teman=teman,
        forra_omgang=forra or None,
        andrade_nivaer=andrade,
        nya_atgarder=[a for a in atgarder if a.omgang_id == omgang.pk],
        avslutade_atgarder=[
            a
            for a in atgarder
            if a.omgang_id != omgang.pk
            and a.status in (Atgard.Status.KLAR, Atgard.Status.AVBRUTEN)
            and forra
            and a.andrad.date() >= forra.period_start
        ],
        ouppfyllda_krav=ouppfyllda,
    )


# --- The region's kravställning basis ---------------------------------------------------


@dataclass
class KravKriterium:
    kriterium: Kriterium
    krav: Krav | None
    mal: int | None
    per_niva: dict[int, int]
    vet_ej: int
    ej_tillampligt: int
    under_mal: int
    under_mal_driftsform: dict[str, int]
    besvarade: int  # units with a level answer
    undertryckt: bool  # fewer than MIN_GRUPP answers: distribution not shown
    forslag: str | None

    @property
    def andel_under_mal(self) -> float | None:
        return self.under_mal / self.besvarade if self.besvarade else None


@dataclass
class KravTema:
    tema: Tema
    rader: list[KravKriterium]
    enheter_under_mal: int  # units whose theme level is below the theme's target
    enheter_under_mal_driftsform: dict[str, int]
    enheter_med_niva: int
    median: float | None

    @property
    def krav_ska(self) -> int:
        return sum(1 for r in self.rader if r.krav and r.krav.kravniva == Krav.Kravniva.SKA)

    @property
    def krav_bor(self) -> int:
        return sum(1 for r in self.rader if r.krav and r.krav.kravniva == Krav.Kravniva.BOR)

    @property
    def visas(self) -> bool:
        return any(not r.undertryckt for r in self.rader)


@dataclass
class Kravstallning:
    omgang: Omgang
    datum: datetime.date
    teman: list[KravTema]
    antal_enheter: int
    antal_sjalvskattningar: int
    per_driftsform: dict[str, int]
    antal_krav: dict[str, int]


def _forslag(
    k: Kriterium,
    krav: Krav | None,
    mal: int,
    skalnamn: str,
    omgang: Omgang,
    under: int,
    besvarade: int,
) -> str:
    """A requirement wording one step firmer than today's, built from the level description."""
    beskrivning = next((n.beskrivning for n in k.nivaer.all() if n.niva == mal), "")
    senast = omgang.period_slut.replace(year=omgang.period_slut.year + 1)
    datum = date_format(senast, "j F Y")
    if krav is None or krav.kravniva == Krav.Kravniva.EJ:
        verb, niva = "bör", "Bör-krav"
    elif krav.kravniva == Krav.Kravniva.BOR:
        verb, niva = "ska", "Ska-krav"
    else:
        return (
            f"Kravet är redan ett ska-krav men {under} av {besvarade} vårdcentraler når inte "
            f"målnivån. Förslag: begär en färdplan för kriterium {k.kod} från dem och följ upp "
            f"kravet i avtalsuppföljningen senast {datum}."
        )
    return (
        f"{niva}: Vårdcentralen {verb} senast {datum} nå nivå {mal} ({skalnamn}) för "
        f"kriterium {k.kod}, det vill säga: {beskrivning}"
    )


def kravstallning_data(omgang: Omgang) -> Kravstallning:
    """The region's requirements beside how its units stand. Seven queries, any region size."""
    underlag = omgang_underlag(omgang)
    version = omgang.malbild_version
    enheter = dict(
        Vardcentral.objects.filter(region_id=omgang.region_id, aktiv=True).values_list(
            "pk", "driftsform"
        )
    )
    svar_rader = list(
        Svar.objects.filter(sjalvskattning__omgang=omgang).values_list(
            "sjalvskattning__vardcentral_id",
            "sjalvskattning__vardcentral__driftsform",
            "kriterium_id",
            "typ",
            "niva",
        )
    )
    antal_sjalvskattningar = Sjalvskattning.objects.filter(omgang=omgang).count()
    per_k: dict[int, list[tuple[int, str, str, int | None]]] = defaultdict(list)
    for vc, drift, k_id, typ, niva in svar_rader:
        per_k[k_id].append((vc, drift, typ, niva))

    teman = []
    for tema in underlag.teman:
        rader = []
        enhet_nivaer: dict[int, list[int]] = defaultdict(list)
        enhet_drift: dict[int, str] = {}
        for k in underlag.kriterier[tema.pk]:
            mal = underlag.mal.get(k.pk)
            krav = underlag.krav.get(k.pk)
            typer = Counter()
            per_niva: Counter = Counter()
            under = 0
            under_drift: Counter = Counter()
            for vc, drift, typ, niva in per_k.get(k.pk, []):
                typer[typ] += 1
                if typ == Svar.Typ.NIVA:
                    per_niva[niva] += 1
                    enhet_nivaer[vc].append(niva)
                    enhet_drift[vc] = drift
                    if niva < (mal if mal is not None else NIVA_UTAN_MAL):
                        under += 1
                        under_drift[drift] += 1
            besvarade = typer[Svar.Typ.NIVA]
            undertryckt = sum(typer.values()) < MIN_GRUPP
            forslag = None
            if not undertryckt and besvarade and under / besvarade >= FORSLAG_ANDEL:
                m = mal if mal is not None else NIVA_UTAN_MAL
                forslag = _forslag(k, krav, m, version.niva_namn(m), omgang, under, besvarade)
            rader.append(
                KravKriterium(
                    kriterium=k,
                    krav=krav,
                    mal=mal,
                    per_niva=dict(per_niva),
                    vet_ej=typer[Svar.Typ.VET_EJ],
                    ej_tillampligt=typer[Svar.Typ.EJ_TILLAMPLIGT],
                    under_mal=under,
                    under_mal_driftsform=dict(under_drift),
                    besvarade=besvarade,
                    undertryckt=undertryckt,
                    forslag=forslag,
                )
            )
        malen = [r.mal for r in rader if r.mal is not None]
        tema_mal = median(malen) if malen else NIVA_UTAN_MAL
        tema_nivaer = {vc: statistics.median(v) for vc, v in enhet_nivaer.items()}
        under_enheter = [vc for vc, n in tema_nivaer.items() if n < tema_mal]
        teman.append(
            KravTema(
                tema=tema,
                rader=rader,
                enheter_under_mal=len(under_enheter),
                enheter_under_mal_driftsform=dict(Counter(enhet_drift[vc] for vc in under_enheter)),
                enheter_med_niva=len(tema_nivaer),
                median=median_grupp(tema_nivaer.values()),
            )
        )
    antal_krav = Counter(k.kravniva for k in underlag.krav.values())
    return Kravstallning(
        omgang=omgang,
        datum=timezone.localdate(),
        teman=teman,
        antal_enheter=len(enheter),
        antal_sjalvskattningar=antal_sjalvskattningar,
        per_driftsform=dict(Counter(enheter.values())),
        antal_krav={
            "ska": antal_krav.get(Krav.Kravniva.SKA, 0),
            "bor": antal_krav.get(Krav.Kravniva.BOR, 0),
            "ej": antal_krav.get(Krav.Kravniva.EJ, 0),
        },
    )
