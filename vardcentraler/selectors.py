"""Reads scoped to what a user may see.

Every view that looks up a region, a vårdcentral or a round goes through the
``*_get_for_user`` helpers here: anything outside the user's scope answers 404,
so another region's objects cannot even be confirmed to exist.

Scope by role:
- administrator (superuser): everything;
- regional planner: the own region, its units and rounds;
- verksamhetschef: the own units, and the rounds of their regions;
- national reader: all regions, but as aggregates only (no single unit).
"""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404

from lib.historik import visat_namn
from malbild.models import Kriterium, Tema
from malbild.selectors import kriterier_for_version

from .models import Atgard, Malniva, Omgang, Profil, Region, Sjalvskattning, Svar, Vardcentral

Roll = Profil.Roll


def roll_for(user) -> str | None:
    """The user's role: ``"admin"``, a ``Profil.Roll`` value, or None. No query if cached."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return "admin"
    profil = profil_for(user)
    return profil.roll if profil else None


def profil_for(user) -> Profil | None:
    """The user's profile, cached on the user object: at most one query per request."""
    if not hasattr(user, "_profil_cache"):
        user._profil_cache = Profil.objects.select_related("region").filter(anvandare=user).first()
    return user._profil_cache


def ser_allt(user) -> bool:
    return roll_for(user) == "admin"


def regioner_for(user) -> QuerySet[Region]:
    """Regions whose aggregates the user may read. One query when evaluated."""
    roll = roll_for(user)
    if roll in ("admin", Roll.NATIONELL):
        return Region.objects.all()
    if roll == Roll.PLANERARE:
        return Region.objects.filter(pk=profil_for(user).region_id)
    if roll == Roll.VERKSAMHETSCHEF:
        return Region.objects.filter(vardcentraler__chefer=profil_for(user)).distinct()
    return Region.objects.none()


def vardcentraler_for(user) -> QuerySet[Vardcentral]:
    """Single units the user may open. National readers see none (aggregates only)."""
    roll = roll_for(user)
    qs = Vardcentral.objects.select_related("region", "kommun")
    if roll == "admin":
        return qs
    if roll == Roll.PLANERARE:
        return qs.filter(region_id=profil_for(user).region_id)
    if roll == Roll.VERKSAMHETSCHEF:
        return qs.filter(chefer=profil_for(user))
    return qs.none()


def omgangar_for(user) -> QuerySet[Omgang]:
    """Rounds of the regions the user belongs to (not the national reader's)."""
    roll = roll_for(user)
    qs = Omgang.objects.select_related("region", "malbild_version")
    if roll == "admin":
        return qs
    if roll in (Roll.PLANERARE, Roll.VERKSAMHETSCHEF):
        return qs.filter(region__in=regioner_for(user))
    return qs.none()


def planerar_region(user, region: Region) -> bool:
    """May the user manage (write) this region's units, rounds, targets and requirements?"""
    roll = roll_for(user)
    if roll == "admin":
        return True
    return roll == Roll.PLANERARE and profil_for(user).region_id == region.pk


def region_get_for_user(user, kod: str) -> Region:
    return get_object_or_404(regioner_for(user), kod=kod)


def region_managed_get_for_user(user, kod: str) -> Region:
    """A region the user plans for; 404 otherwise (also for readers of that region)."""
    region = get_object_or_404(Region, kod=kod)
    if not planerar_region(user, region):
        raise Http404
    return region


def vardcentral_get_for_user(user, hsa_id: str) -> Vardcentral:
    return get_object_or_404(vardcentraler_for(user), hsa_id=hsa_id)


def omgang_get_for_user(user, pk: int) -> Omgang:
    return get_object_or_404(omgangar_for(user), pk=pk)


def egen_region(user) -> Region | None:
    """The region a planner plans for, or the single region of a verksamhetschef's units."""
    roll = roll_for(user)
    if roll == Roll.PLANERARE:
        return profil_for(user).region
    if roll == Roll.VERKSAMHETSCHEF:
        regioner = list(regioner_for(user)[:2])
        return regioner[0] if len(regioner) == 1 else None
    return None


# --- Rounds, self-assessments, answers and actions ------------------------------------------


def sjalvskattningar_for(user) -> QuerySet[Sjalvskattning]:
    """Self-assessments the user may open (with round, region and unit joined). No query until evaluated."""
    roll = roll_for(user)
    qs = Sjalvskattning.objects.select_related(
        "omgang__region", "omgang__malbild_version", "vardcentral"
    )
    if roll == "admin":
        return qs
    if roll == Roll.PLANERARE:
        return qs.filter(vardcentral__region_id=profil_for(user).region_id)
    if roll == Roll.VERKSAMHETSCHEF:
        return qs.filter(vardcentral__chefer=profil_for(user))
    return qs.none()


def sjalvskattning_get_for_user(user, omgang_pk: int, hsa_id: str) -> Sjalvskattning:
    """One unit's assessment in one round, or 404. One query (plus the cached profile)."""
    return get_object_or_404(
        sjalvskattningar_for(user), omgang_id=omgang_pk, vardcentral__hsa_id=hsa_id
    )


def omgang_managed_get_for_user(user, pk: int) -> Omgang:
    """A round the user plans for (its targets, review); 404 otherwise."""
    omgang = omgang_get_for_user(user, pk)
    if not planerar_region(user, omgang.region):
        raise Http404
    return omgang


def kan_skriva(user, sjalvskattning: Sjalvskattning) -> bool:
    """May the user change answers and actions (the assessment is visible to them already)?"""
    return roll_for(user) in ("admin", Roll.PLANERARE, Roll.VERKSAMHETSCHEF)


def kan_granska(user, sjalvskattning: Sjalvskattning) -> bool:
    """May the user approve, return or reopen? The region's planner and the administrator."""
    return planerar_region(user, sjalvskattning.omgang.region)


def omgang_list_for_user(user) -> QuerySet[Omgang]:
    """Rounds with how many assessments are in each state. One query."""
    return omgangar_for(user).annotate(
        antal=Count("sjalvskattningar"),
        antal_inskickade=Count(
            "sjalvskattningar", filter=Q(sjalvskattningar__status=Sjalvskattning.Status.INSKICKAD)
        ),
        antal_godkanda=Count(
            "sjalvskattningar", filter=Q(sjalvskattningar__status=Sjalvskattning.Status.GODKAND)
        ),
    )


def omgang_foregaende(omgang: Omgang) -> Omgang | None:
    """The region's round before this one (by period start). One query."""
    return (
        Omgang.objects.filter(region_id=omgang.region_id, period_start__lt=omgang.period_start)
        .order_by("-period_start", "-pk")
        .first()
    )


def antal_kriterier(omgang: Omgang) -> int:
    """Number of criteria in the round's målbild version. One query."""
    return Kriterium.objects.filter(tema__version_id=omgang.malbild_version_id).count()


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
            besvarade=Count("svar", filter=Q(svar__typ__gt="")),
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
    if status:
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
    def under_mal(self) -> bool:
        """Answered with a level below the region's target: actions close the gap."""
        niva = self.nuvarande_niva
        return niva is not None and self.malniva is not None and niva < self.malniva

    @property
    def nuvarande_niva(self) -> int | None:
        return self.svar.niva if self.svar and self.svar.typ == Svar.Typ.NIVA else None


@dataclass
class TemaSektion:
    tema: Tema
    rader: list[KriteriumRad]
    framsteg: Framsteg


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
    foregaende_omgang = omgang_foregaende(omgang)  # 1
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
        .annotate(besvarade=Count("svar", filter=Q(svar__typ__gt="")))
        .order_by("-omgang__period_start")
    )


@dataclass
class Handelse:
    """One changed field in the history of an assessment."""

    tid: object
    vem: str
    objekt: str
    falt: str
    fore: str
    efter: str
    orsak: str = ""


def _svar_text(rec) -> str:
    if not rec.typ:
        return "Ej besvarat"
    return f"Nivå {rec.niva}" if rec.typ == Svar.Typ.NIVA else Svar.Typ(rec.typ).label


def _diffar(poster, *, objekt, falt: dict[str, str], visa) -> list[Handelse]:
    """Field changes between consecutive history records of each object (no queries)."""
    per_objekt: dict[int, list] = {}
    for post in poster:
        per_objekt.setdefault(post.id, []).append(post)
    handelser = []
    for lista in per_objekt.values():
        lista.sort(key=lambda p: (p.history_date, p.history_id))
        for fore, efter in zip([None, *lista], lista, strict=False):
            if fore is None:
                andrade = [f for f in falt if visa(efter, f) not in ("", "–")]
            else:
                andrade = [
                    c.field for c in efter.diff_against(fore, included_fields=list(falt)).changes
                ]
            if "niva" in andrade and "typ" in andrade:
                andrade.remove("niva")  # one "Svar" row: the type and level read as one value
            for f in andrade:
                handelser.append(
                    Handelse(
                        tid=efter.history_date,
                        vem=visat_namn(efter),
                        objekt=objekt(efter),
                        falt=falt[f],
                        fore="–" if fore is None else visa(fore, f),
                        efter=visa(efter, f),
                        orsak=efter.history_change_reason or "",
                    )
                )
    return handelser


def sjalvskattning_historik(sjalvskattning: Sjalvskattning) -> list[Handelse]:
    """Who changed what, when, old → new: answers, actions and status. Four queries."""
    svar_poster = Svar.history.filter(sjalvskattning_id=sjalvskattning.pk).select_related(
        "history_user", "kriterium"
    )

    def visa_svar(rec, f):
        if f in ("typ", "niva"):
            return _svar_text(rec)
        return getattr(rec, f) or "–"

    handelser = _diffar(
        svar_poster,
        objekt=lambda r: f"Kriterium {r.kriterium.kod}",
        falt={"typ": "Svar", "niva": "Svar", "motivering": "Motivering", "underlag": "Underlag"},
        visa=visa_svar,
    )

    status_poster = Sjalvskattning.history.filter(id=sjalvskattning.pk).select_related(
        "history_user"
    )

    def visa_status(rec, f):
        if f == "status":
            return Sjalvskattning.Status(rec.status).label
        return rec.kommentar or "–"

    handelser += _diffar(
        status_poster,
        objekt=lambda r: "Självskattningen",
        falt={"status": "Status", "kommentar": "Kommentar"},
        visa=visa_status,
    )

    version_id = sjalvskattning.omgang.malbild_version_id
    ids = set()
    for pk, ersatter in Kriterium.objects.filter(tema__version_id=version_id).values_list(
        "pk", "ersatter_id"
    ):
        ids |= {pk, ersatter} - {None}
    atgard_poster = Atgard.history.filter(
        vardcentral_id=sjalvskattning.vardcentral_id, kriterium_id__in=ids
    ).select_related("history_user", "kriterium")
    atgard_falt = {
        "beskrivning": "Åtgärd",
        "ansvarig": "Ansvarig",
        "start": "Start",
        "klar_senast": "Klar senast",
        "status": "Status",
        "mal_niva": "Ska leda till nivå",
    }

    def visa_atgard(rec, f):
        if f == "status":
            return Atgard.Status(rec.status).label
        if f == "mal_niva":
            return f"Nivå {rec.mal_niva}"
        varde = getattr(rec, f)
        return varde.isoformat() if hasattr(varde, "isoformat") else str(varde)

    handelser += _diffar(
        atgard_poster,
        objekt=lambda r: f"Åtgärd för {r.kriterium.kod}: {r.beskrivning[:40]}",
        falt=atgard_falt,
        visa=visa_atgard,
    )
    handelser.sort(key=lambda h: h.tid, reverse=True)
    return handelser
