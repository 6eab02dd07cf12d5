"""Reads of units, rounds, self-assessments, answers and actions.

What a user may see is decided in ``behorighet``: reads for a user start from its scoped
querysets, and lookups of one object go through its ``*_get_for_user`` helpers (404 outside).
"""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from malbild.models import Kriterium, Tema
from malbild.selectors import kriterier_for_version
from uppfoljning import gapregel

from ..behorighet import omgangar_for, sjalvskattningar_for
from ..models import Atgard, Krav, Malniva, Omgang, Region, Sjalvskattning, Svar, Vardcentral


def omgang_list_for_user(user) -> QuerySet[Omgang]:
    """Rounds by region, newest first, with how many assessments are in each state. One query."""
    return (
        omgangar_for(user)
        .order_by("region__namn", "-period_start")
        .annotate(
            antal=Count("sjalvskattningar"),
            antal_inskickade=Count(
                "sjalvskattningar",
                filter=Q(sjalvskattningar__status=Sjalvskattning.Status.INSKICKAD),
            ),
            antal_godkanda=Count(
                "sjalvskattningar", filter=Q(sjalvskattningar__status=Sjalvskattning.Status.GODKAND)
            ),
        )
    )


def antal_kriterier(omgang: Omgang) -> int:
    """Number of criteria in the round's målbild version. One query."""
    return Kriterium.objects.for_version(omgang.malbild_version_id).count()


SORTERINGAR = {
    "namn": ("vardcentral__namn",),
    "-namn": ("-vardcentral__namn",),
    "status": ("status_ordning", "vardcentral__namn"),
    "-status": ("-status_ordning", "vardcentral__namn"),
    "framsteg": ("besvarade", "vardcentral__namn"),
    "-framsteg": ("-besvarade", "vardcentral__namn"),
    "andrad": ("senast_andrad", "vardcentral__namn"),
    "-andrad": ("-senast_andrad", "vardcentral__namn"),
}


def sjalvskattning_list_for_omgang(
    user, omgang: Omgang, *, status: str = "", q: str = "", sortera: str = "namn"
) -> QuerySet[Sjalvskattning]:
    """The round's assessments the user may see, with answered counts. One query."""
    qs = (
        sjalvskattningar_for(user)
        .filter(omgang=omgang)
        .annotate(
            besvarade=Count("svar", filter=Q(svar__typ__gt="", svar__utkast=False)),
            # Sort by the workflow, not the alphabet.
            status_ordning=Case(
                *(
                    When(status=v, then=Value(i))
                    for i, v in enumerate(Sjalvskattning.Status.values)
                ),
                output_field=IntegerField(),
            ),
        )
    )
    if status == Sjalvskattning.EJ_INSKICKADE_FILTER:
        qs = qs.filter(status__in=Sjalvskattning.EJ_INSKICKADE)
    elif status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(vardcentral__namn__icontains=q) | Q(vardcentral__hsa_id__icontains=q))
    return qs.order_by(*SORTERINGAR.get(sortera, SORTERINGAR["namn"]))


@dataclass
class Framsteg:
    besvarade: int
    totalt: int

    @property
    def procent(self) -> int:
        return round(100 * self.besvarade / self.totalt) if self.totalt else 0

    @property
    def klart(self) -> bool:
        return self.besvarade == self.totalt


def framsteg_for(sjalvskattning: Sjalvskattning) -> tuple[dict[int, Framsteg], Framsteg]:
    """Answered / all criteria per theme (by theme pk) and overall. One query.

    Themes joined to their criteria and, through a ``FilteredRelation``, to this
    assessment's own answer to each (at most one: the pair is unique), so the join stays
    on the (assessment, criterion) index and the cost does not grow with the database.
    An unfiltered join through ``kriterier__svar`` read every unit's answers to each
    criterion (≈ 120 000 rows at national scale); a correlated subquery per theme was
    correct but took PostgreSQL ≈ 1.5 ms to plan for 0.5 ms of work on every save.
    """
    rader = (
        Tema.objects.filter(version_id=sjalvskattning.omgang.malbild_version_id)
        .annotate(
            eget_svar=FilteredRelation(
                "kriterier__svar",
                condition=Q(
                    kriterier__svar__sjalvskattning_id=sjalvskattning.pk,
                    kriterier__svar__typ__gt="",
                    kriterier__svar__utkast=False,
                ),
            )
        )
        .order_by()
        .values_list("pk")
        .annotate(
            totalt=Count("kriterier"),
            besvarade=Count("eget_svar"),
        )
    )
    per_tema = {pk: Framsteg(besvarade=b, totalt=t) for pk, t, b in rader}
    totalt = Framsteg(
        besvarade=sum(f.besvarade for f in per_tema.values()),
        totalt=sum(f.totalt for f in per_tema.values()),
    )
    return per_tema, totalt


@dataclass
class KriteriumRad:
    """Everything the form shows for one criterion."""

    kriterium: Kriterium
    svar: Svar | None
    malniva: int | None
    foregaende: Svar | None
    atgarder: list[Atgard] = field(default_factory=list)
    # What the form shows: the stored answer, or what the user posted when it was refused.
    varden: dict = field(default_factory=dict)
    fel: dict = field(default_factory=dict)
    konflikt: Svar | None = None

    def __post_init__(self):
        if not self.varden:
            s = self.svar
            self.varden = {
                "svar": (str(s.niva) if s.typ == Svar.Typ.NIVA else s.typ) if s else "",
                "motivering": s.motivering if s else "",
                "underlag": s.underlag if s else "",
                "version": s.version if s else 0,
            }

    @property
    def version(self) -> int:
        return self.svar.version if self.svar else 0

    @property
    def gap(self) -> int | None:
        """Steps below the target of the answer now (the gap rule); None without a level."""
        s = self.svar
        return gapregel.gap(
            typ=s.typ if s else None, niva=s.niva if s else None, malniva=self.malniva
        )

    @property
    def foregaende_gap(self) -> int | None:
        """Last round's answer measured against this round's target (the gap rule)."""
        f = self.foregaende
        return gapregel.gap(
            typ=f.typ if f else None, niva=f.niva if f else None, malniva=self.malniva
        )

    @property
    def under_mal(self) -> bool:
        """Answered with a level below the region's target: actions close the gap."""
        return bool(self.gap)

    @property
    def utkast(self) -> bool:
        """A copy of last round's answer the user has not confirmed."""
        return bool(self.svar and self.svar.utkast and self.svar.typ)

    @property
    def andring(self) -> str:
        """Level change since last round: "upp", "ned", "samma" or "" (either has no level)."""
        nu, da = (
            self.nuvarande_niva,
            (
                self.foregaende.niva
                if self.foregaende and self.foregaende.typ == Svar.Typ.NIVA
                else None
            ),
        )
        if nu is None or da is None:
            return ""
        return "upp" if nu > da else "ned" if nu < da else "samma"

    @property
    def nuvarande_niva(self) -> int | None:
        return self.svar.niva if self.svar and self.svar.typ == Svar.Typ.NIVA else None

    @property
    def kan_kopieras(self) -> bool:
        """Last round has an answer here and this round has neither an answer nor text: the one
        rule of what "Utgå från förra omgångens svar" fills in."""
        s, f = self.svar, self.foregaende
        return bool(f and f.typ) and not (s and (s.typ or s.motivering or s.underlag))


@dataclass
class TemaSektion:
    tema: Tema
    rader: list[KriteriumRad]
    framsteg: Framsteg

    @property
    def antal_utkast(self) -> int:
        return sum(1 for r in self.rader if r.utkast)

    @property
    def antal_vet_ej(self) -> int:
        return sum(1 for r in self.rader if r.svar and r.svar.typ == Svar.Typ.VET_EJ)


def atgarder_for(sjalvskattning: Sjalvskattning, kriterie_ids: set[int]) -> list[Atgard]:
    """The unit's actions on these criteria: open ones from any round, and all of this round's.

    Open actions (planerad, pågår) carry over to later rounds for follow-up. One query.
    """
    return list(
        Atgard.objects.filter(
            vardcentral_id=sjalvskattning.vardcentral_id, kriterium_id__in=kriterie_ids
        )
        .filter(Q(status__in=Atgard.OPPNA) | Q(omgang_id=sjalvskattning.omgang_id))
        .select_related("omgang")
        .order_by("klar_senast", "pk")
    )


def sjalvskattning_formular(
    sjalvskattning: Sjalvskattning, *, bara_kriterium: Kriterium | None = None
) -> list[TemaSektion]:
    """The assessment form's data: per theme, each criterion with its answer, target,
    previous round's answer (matched by identity or ``ersatter``) and actions.

    Seven queries however many criteria and rounds there are.
    """
    omgang = sjalvskattning.omgang
    kriterier = list(kriterier_for_version(omgang.malbild_version))  # 2 queries
    if bara_kriterium is not None:
        kriterier = [k for k in kriterier if k.pk == bara_kriterium.pk]
    svar = {s.kriterium_id: s for s in sjalvskattning.svar.select_related("andrad_av")}  # 1
    malnivaer = dict(Malniva.objects.filter(omgang=omgang).values_list("kriterium_id", "niva"))  # 1
    foregaende_omgang = omgang.foregaende()  # 1
    foregaende: dict[int, Svar] = {}
    if foregaende_omgang is not None:
        foregaende = {
            s.kriterium_id: s
            for s in Svar.objects.filter(
                sjalvskattning__omgang=foregaende_omgang,
                sjalvskattning__vardcentral_id=sjalvskattning.vardcentral_id,
            )
        }  # 1
    ids = {k.pk for k in kriterier} | {k.ersatter_id for k in kriterier if k.ersatter_id}
    atgarder_per_kriterium: dict[int, list[Atgard]] = {}
    for atgard in atgarder_for(sjalvskattning, ids):  # 1
        atgarder_per_kriterium.setdefault(atgard.kriterium_id, []).append(atgard)

    sektioner: dict[int, TemaSektion] = {}
    for k in kriterier:
        rad = KriteriumRad(
            kriterium=k,
            svar=svar.get(k.pk),
            malniva=malnivaer.get(k.pk),
            foregaende=foregaende.get(k.pk) or foregaende.get(k.ersatter_id),
            atgarder=atgarder_per_kriterium.get(k.pk, [])
            + atgarder_per_kriterium.get(k.ersatter_id, []),
        )
        sektion = sektioner.get(k.tema_id)
        if sektion is None:
            sektion = sektioner[k.tema_id] = TemaSektion(
                tema=k.tema, rader=[], framsteg=Framsteg(0, 0)
            )
        sektion.rader.append(rad)
        sektion.framsteg.totalt += 1
        if rad.svar is not None and rad.svar.ar_besvarat:
            sektion.framsteg.besvarade += 1
    return list(sektioner.values())


def sjalvskattning_list_for_vardcentral(user, vardcentral: Vardcentral) -> QuerySet[Sjalvskattning]:
    """The unit's assessments in every round, newest first. One query."""
    return (
        sjalvskattningar_for(user)
        .filter(vardcentral=vardcentral)
        .annotate(besvarade=Count("svar", filter=Q(svar__typ__gt="", svar__utkast=False)))
        .order_by("-omgang__period_start")
    )


def kriterium_with_malniva_get(
    sjalvskattning: Sjalvskattning, kriterium_pk: int
) -> Kriterium | None:
    """The criterion with its theme and the round's target for it (``malniva``). One query."""
    malniva = Malniva.objects.filter(omgang_id=sjalvskattning.omgang_id, kriterium=OuterRef("pk"))
    return (
        Kriterium.objects.select_related("tema")
        .annotate(malniva=Subquery(malniva.values("niva")[:1]))
        .filter(pk=kriterium_pk)
        .first()
    )


def kriterium_for_omgang_get(omgang: Omgang, kriterium_pk: int) -> Kriterium | None:
    """A criterion of the round's målbild version, with its theme; None outside it. One query."""
    return (
        Kriterium.objects.for_version(omgang.malbild_version_id)
        .select_related("tema")
        .filter(pk=kriterium_pk)
        .first()
    )


def atgard_for_sjalvskattning_get(sjalvskattning: Sjalvskattning, atgard_pk: int) -> Atgard | None:
    """One of the unit's actions (from any round), with criterion and round. One query."""
    return (
        Atgard.objects.select_related("kriterium__tema", "omgang")
        .filter(pk=atgard_pk, vardcentral_id=sjalvskattning.vardcentral_id)
        .first()
    )


def niva_nuvarande(sjalvskattning: Sjalvskattning, kriterium: Kriterium) -> int | None:
    """The level the assessment gives the criterion now; None unless answered with a level.
    One query."""
    return (
        sjalvskattning.svar.filter(kriterium=kriterium, typ=Svar.Typ.NIVA)
        .values_list("niva", flat=True)
        .first()
    )


def malnivaer_for(omgang: Omgang | None) -> dict[int, int]:
    """The round's target level by criterion id; empty for no round. One query (none for None)."""
    if omgang is None:
        return {}
    return dict(omgang.malnivaer.values_list("kriterium_id", "niva"))


def antal_sjalvskattningar(omgang: Omgang) -> int:
    """How many self-assessments the round has. One query."""
    return omgang.sjalvskattningar.count()


def region_list() -> QuerySet[Region]:
    """Every region by name, for those who may choose one (see ``behorighet``). One query."""
    return Region.objects.order_by("namn")


def kriterier_for_omgang(omgang: Omgang) -> list[Kriterium]:
    """The round's criteria in the målbild's order, with their themes. One query."""
    return list(Kriterium.objects.for_version(omgang.malbild_version_id).select_related("tema"))


def krav_for_omgang(omgang: Omgang) -> dict[int, Krav]:
    """The round's requirements by criterion id. One query."""
    return {k.kriterium_id: k for k in Krav.objects.filter(omgang=omgang)}
