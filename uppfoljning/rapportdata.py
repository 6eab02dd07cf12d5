"""What the PDF reports print: plain data built in a few queries, no rendering.

Two reports:
- ``fardplan_data(sjalvskattning)``: one vårdcentral's färdplan in a round, built on
  the web's gap report (``uppfoljning.selectors.gaprapport.gaprapport_get``) so the PDF and the
  page always agree;
- ``kravstallning_data(omgang)``: the region's kravställning basis for a round.

The rules are the web follow-up's (see uppfoljning/statistik.py): medians only,
"vet ej" and "ej tillämpligt" never a level, gap = max(target − level, 0), only
submitted or approved self-assessments in aggregates, and no comparison figure
over fewer than ``MIN_GRUPP`` units (printed as "–").

The färdplan says on every page how far the self-assessment has come
(``status_text``): a draft, submitted but not reviewed, or approved on a date by
someone; only approved (and on request submitted) ones go into the region's ZIP.

Whether a requirement (Krav, ska or bör) is met, and whether a unit is below target, is
decided by the one gap rule in ``uppfoljning.gapregel``.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format

from malbild.models import Kriterium, Tema
from uppfoljning import gapregel, statistik
from uppfoljning.selectors.common import RAKNADE
from uppfoljning.selectors.gaprapport import Gaprapport, KriteriumRad, TemaRad, gaprapport_get
from vardcentraler.models import Atgard, Krav, Malniva, Omgang, Sjalvskattning, Svar, Vardcentral

# A criterion gets a suggested requirement wording when at least this share of the
# answering units is below the target.
FORSLAG_ANDEL = 0.3
DRIFTSFORMER = tuple(Vardcentral.Driftsform.values)


@dataclass
class Fardplan:
    """The gap report of ``uppfoljning.selectors.gaprapport`` plus what only the färdplan prints."""

    rapport: Gaprapport
    sjalvskattning: Sjalvskattning
    datum: datetime.date
    teman: list[TemaRad]  # in the målbild's order (a document, not a ranking)
    atgarder_per_tema: dict[int, list[tuple[KriteriumRad, Atgard]]]
    forra_omgang: Omgang | None
    andrade_nivaer: list[tuple[KriteriumRad, str, str]]  # row, before, "höjd"/"sänkt"/"ändrad"
    nya_atgarder: list[tuple[KriteriumRad, Atgard]]
    avslutade_atgarder: list[tuple[KriteriumRad, Atgard]]
    ouppfyllda_krav: list[tuple[Krav, KriteriumRad]]
    antal_krav: int  # ska- and bör-krav the region set for the round
    plan: list[tuple[KriteriumRad, Atgard]]  # every action of the unit, by due date
    status_text: str  # printed in every page header

    @property
    def vardcentral(self) -> Vardcentral:
        return self.rapport.vardcentral

    @property
    def omgang(self) -> Omgang:
        return self.rapport.omgang

    @property
    def antal_gap(self) -> int:
        return sum(t.antal_under_mal for t in self.teman)

    @property
    def oppna_atgarder(self) -> int:
        return sum(1 for _r, a in self.plan if a.ar_oppen)

    @property
    def utkast(self) -> bool:
        return self.sjalvskattning.status not in RAKNADE


def status_text(sjalvskattning: Sjalvskattning, godkand_av: str | None = None) -> str:
    """The self-assessment's state as the färdplan's page headers print it."""
    S = Sjalvskattning.Status
    if sjalvskattning.status == S.GODKAND:
        nar = sjalvskattning.godkand
        text = "Godkänd"
        if nar:
            text += f" {timezone.localdate(nar).isoformat()}"
        return f"{text} av {godkand_av}" if godkand_av else text
    if sjalvskattning.status == S.INSKICKAD:
        return "Inskickad – ej granskad"
    if sjalvskattning.status == S.ATERSAND:
        return "Utkast – återsänd för komplettering, ej inskickad"
    return "Utkast – ej inskickad"


def godkand_av(sjalvskattning: Sjalvskattning) -> str | None:
    """Who approved the self-assessment, from its history (the latest approval). One query."""
    if sjalvskattning.status != Sjalvskattning.Status.GODKAND:
        return None
    post = (
        Sjalvskattning.history.filter(id=sjalvskattning.pk, status=Sjalvskattning.Status.GODKAND)
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    if post is None or post.history_user is None:
        return None
    return post.history_user.get_full_name() or post.history_user.username


def fardplan_data(sjalvskattning: Sjalvskattning) -> Fardplan:
    """One unit's färdplan in one round. The gap report's nine queries plus two (requirements,
    and for an approved one who approved it)."""
    rapport = gaprapport_get(
        vardcentral=sjalvskattning.vardcentral, omgang_id=sjalvskattning.omgang_id
    )
    omgang = rapport.omgang
    tidigare = [o for o in rapport.omgangar if o.period_start < omgang.period_start]
    forra = tidigare[-1] if tidigare else None
    krav = {k.kriterium_id: k for k in Krav.objects.filter(omgang=omgang)}
    teman = sorted(rapport.teman, key=lambda t: t.tema.ordning)
    per_tema, andrade, ouppfyllda, nya, avslutade = {}, [], [], [], []
    for t in teman:
        per_tema[t.tema.pk] = [(r, a) for r in t.kriterier for a in r.atgarder]
        for r in t.kriterier:
            niva = r.niva if r.typ == statistik.NIVA else None
            if forra and r.tidigare and r.typ is not None:
                fore = r.tidigare[-1][1]
                if fore != "–" and fore != r.visning:
                    if fore.isdigit() and niva is not None:
                        riktning = "höjd" if niva > int(fore) else "sänkt"
                    else:
                        riktning = "ändrad"
                    andrade.append((r, fore, riktning))
            k = krav.get(r.kriterium.pk)
            if (
                k
                and k.kravniva != Krav.Kravniva.EJ
                and not gapregel.uppfyllt(typ=r.typ, niva=r.niva, malniva=r.malniva)
            ):
                ouppfyllda.append((k, r))
            for a in r.atgarder:
                if a.omgang_id == omgang.pk:
                    nya.append((r, a))
                elif (
                    forra
                    and a.status in (Atgard.Status.KLAR, Atgard.Status.AVBRUTEN)
                    and a.andrad.date() >= forra.period_start
                ):
                    avslutade.append((r, a))
    # Ska-krav before bör-krav, each in the målbild's order.
    ouppfyllda.sort(key=lambda kr: kr[0].kravniva != Krav.Kravniva.SKA)
    # By due date; on the same date in the målbild's order (a stable sort of theme order).
    plan = sorted(
        (par for t in teman for par in per_tema[t.tema.pk]), key=lambda par: par[1].klar_senast
    )
    return Fardplan(
        rapport=rapport,
        sjalvskattning=sjalvskattning,
        datum=timezone.localdate(),
        teman=teman,
        atgarder_per_tema=per_tema,
        forra_omgang=forra,
        andrade_nivaer=andrade,
        nya_atgarder=nya,
        avslutade_atgarder=avslutade,
        ouppfyllda_krav=ouppfyllda,
        antal_krav=sum(1 for k in krav.values() if k.kravniva != Krav.Kravniva.EJ),
        plan=plan,
        status_text=status_text(sjalvskattning, godkand_av(sjalvskattning)),
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
    # Per driftsform, None where the small-group rule hides it (``statistik.delgrupper_visa``).
    under_mal_driftsform: dict[str, int | None]
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
    enheter_under_mal_driftsform: dict[str, int | None]  # None: hidden (small group)
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

    @property
    def under_mal_visas(self) -> bool:
        return not statistik.liten_grupp(self.enheter_med_niva)

    @property
    def med_krav_eller_forslag(self) -> list[KravKriterium]:
        return [
            r for r in self.rader if r.forslag or (r.krav and r.krav.kravniva != Krav.Kravniva.EJ)
        ]

    @property
    def utan_krav_och_forslag(self) -> list[KravKriterium]:
        return [r for r in self.rader if r not in self.med_krav_eller_forslag]


@dataclass
class Kravstallning:
    omgang: Omgang
    datum: datetime.date
    teman: list[KravTema]
    antal_enheter: int
    antal_sjalvskattningar: int
    per_driftsform: dict[str, int]
    antal_krav: dict[str, int]


def forslag_senast(omgang: Omgang) -> datetime.date:
    """When a suggested requirement should be met: a year after the round's period ends."""
    slut = omgang.period_slut
    return slut.replace(year=slut.year + 1) if (slut.month, slut.day) != (2, 29) else slut


def _forslag(k: Kriterium, krav: Krav | None, mal: int, skalnamn: str, omgang: Omgang) -> str:
    """A requirement one step firmer than today's, worded as a planner writes a contract.

    No requirement → a bör-krav; a bör-krav → a ska-krav; a ska-krav already → no new
    wording, but follow-up in the contract review. The rule itself is printed once, in
    the report's introduction.
    """
    datum = date_format(forslag_senast(omgang), "j F Y")
    if krav is not None and krav.kravniva == Krav.Kravniva.SKA:
        return (
            f"Behåll ska-kravet. Begär in färdplaner för kriterium {k.kod} från de vårdcentraler "
            f"som inte når nivå {mal} och ta upp kravet i avtalsuppföljningen före {datum}."
        )
    verb = "ska" if krav is not None and krav.kravniva == Krav.Kravniva.BOR else "bör"
    return (
        f"{k.som_krav(verb)} Nivå {mal} ({skalnamn.lower()}) {verb} vara nådd senast {datum} "
        f"och redovisas i den årliga självskattningen."
    )


def kravstallning_data(omgang: Omgang) -> Kravstallning:
    """The region's requirements beside how its units stand. Seven queries, any region size.

    Like the web follow-up, only submitted or approved self-assessments are counted.
    """
    version = omgang.malbild_version
    kriterier: dict[int, list[Kriterium]] = defaultdict(list)
    teman_per_id: dict[int, Tema] = {}
    for k in (
        Kriterium.objects.for_version(omgang.malbild_version_id)
        .select_related("tema")
        .prefetch_related("nivaer")
    ):
        teman_per_id.setdefault(k.tema_id, k.tema)
        kriterier[k.tema_id].append(k)
    malnivaer = dict(Malniva.objects.filter(omgang=omgang).values_list("kriterium_id", "niva"))
    alla_krav = {k.kriterium_id: k for k in Krav.objects.filter(omgang=omgang)}
    enheter = dict(
        Vardcentral.objects.filter(region_id=omgang.region_id, aktiv=True).values_list(
            "pk", "driftsform"
        )
    )
    svar_rader = list(
        Svar.objects.filter(
            sjalvskattning__omgang=omgang, sjalvskattning__status__in=RAKNADE
        ).values_list(
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
    for tema in teman_per_id.values():
        rader = []
        enhet_nivaer: dict[int, list[int]] = defaultdict(list)
        enhet_drift: dict[int, str] = {}
        for k in kriterier[tema.pk]:
            mal = malnivaer.get(k.pk)
            krav = alla_krav.get(k.pk)
            typer = Counter()
            per_niva: Counter = Counter()
            under = 0
            under_drift: Counter = Counter()
            svarande_drift: Counter = Counter()
            for vc, drift, typ, niva in per_k.get(k.pk, []):
                typer[typ] += 1
                svarande_drift[drift] += 1
                if typ == Svar.Typ.NIVA:
                    per_niva[niva] += 1
                    enhet_nivaer[vc].append(niva)
                    enhet_drift[vc] = drift
                    if gapregel.under_mal(typ=typ, niva=niva, malniva=mal):
                        under += 1
                        under_drift[drift] += 1
            besvarade = typer[Svar.Typ.NIVA]
            undertryckt = statistik.liten_grupp(sum(typer.values()))
            forslag = None
            if not undertryckt and besvarade and under / besvarade >= FORSLAG_ANDEL:
                m = gapregel.mal(mal)
                forslag = _forslag(k, krav, m, version.niva_namn(m), omgang)
            rader.append(
                KravKriterium(
                    kriterium=k,
                    krav=krav,
                    mal=mal,
                    per_niva=dict(per_niva),
                    vet_ej=typer[Svar.Typ.VET_EJ],
                    ej_tillampligt=typer[Svar.Typ.EJ_TILLAMPLIGT],
                    under_mal=under,
                    under_mal_driftsform=statistik.delgrupper_visa(
                        {d: svarande_drift[d] for d in DRIFTSFORMER},
                        under_drift,
                        summa_visas=not undertryckt,
                    ),
                    besvarade=besvarade,
                    undertryckt=undertryckt,
                    forslag=forslag,
                )
            )
        tema_mal = gapregel.tema_mal(r.mal for r in rader)
        tema_nivaer = {vc: statistik.median(v) for vc, v in enhet_nivaer.items()}
        under_enheter = [vc for vc, n in tema_nivaer.items() if gapregel.tema_gap(tema_mal, n)]
        med_niva_drift = Counter(enhet_drift[vc] for vc in tema_nivaer)
        teman.append(
            KravTema(
                tema=tema,
                rader=rader,
                enheter_under_mal=len(under_enheter),
                enheter_under_mal_driftsform=statistik.delgrupper_visa(
                    {d: med_niva_drift[d] for d in DRIFTSFORMER},
                    Counter(enhet_drift[vc] for vc in under_enheter),
                    summa_visas=not statistik.liten_grupp(len(tema_nivaer)),
                ),
                enheter_med_niva=len(tema_nivaer),
                median=statistik.median_grupp(tema_nivaer.values()),
            )
        )
    antal_krav = Counter(k.kravniva for k in alla_krav.values())
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
