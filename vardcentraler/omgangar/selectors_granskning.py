"""Reads for the planner's review and for opening and closing rounds.

The review builds on the form's data (``sjalvskattning_formular``: each criterion with its
answer, target, the previous round's answer and the actions) and adds what changed.
"""

import datetime
from dataclasses import dataclass, field

from ..models import Granskningskommentar, Omgang, Sjalvskattning, Svar
from .selectors import KriteriumRad, TemaSektion, sjalvskattning_formular


class Forandring:
    """How an answer changed since the previous round (the review's first question)."""

    UPP = "upp"
    NED = "ned"
    SAMMA = "samma"
    ANDRAD = "andrad"  # another kind of answer, e.g. from a level to "vet ej"
    NY = "ny"  # no answer last round
    OBESVARAD = "obesvarad"

    ETIKETTER = {
        UPP: "Högre nivå",
        NED: "Lägre nivå",
        SAMMA: "Oförändrat",
        ANDRAD: "Annat svar",
        NY: "Nytt",
        OBESVARAD: "Ej besvarat",
    }


def forandring(svar: Svar | None, foregaende: Svar | None) -> str:
    if svar is None or not svar.ar_besvarat:
        return Forandring.OBESVARAD
    if foregaende is None or not foregaende.ar_besvarat:
        return Forandring.NY
    if svar.typ == foregaende.typ == Svar.Typ.NIVA:
        if svar.niva > foregaende.niva:
            return Forandring.UPP
        if svar.niva < foregaende.niva:
            return Forandring.NED
        return Forandring.SAMMA
    return Forandring.SAMMA if svar.typ == foregaende.typ else Forandring.ANDRAD


@dataclass
class GranskningsRad:
    rad: KriteriumRad
    forandring: str
    ny_motivering: bool
    kommentar: str

    @property
    def forandring_namn(self) -> str:
        return Forandring.ETIKETTER[self.forandring]


@dataclass
class GranskningsTema:
    sektion: TemaSektion
    rader: list[GranskningsRad]
    antal: dict[str, int] = field(default_factory=dict)  # per kind of change

    @property
    def sammanfattning(self) -> str:
        delar = [
            f"{n} {Forandring.ETIKETTER[f].lower()}"
            for f, n in self.antal.items()
            if n and f != Forandring.SAMMA
        ]
        return ", ".join(delar) if delar else "Inga ändringar sedan förra omgången"


def granskningskommentarer_for(sjalvskattning: Sjalvskattning) -> dict[int, Granskningskommentar]:
    """The planner's comments by criterion. One query."""
    return {
        k.kriterium_id: k
        for k in Granskningskommentar.objects.filter(sjalvskattning=sjalvskattning)
    }


def granskning_get(sjalvskattning: Sjalvskattning) -> list[GranskningsTema]:
    """Per theme, each criterion's change since last round and the planner's comment.

    The form's seven queries plus one for the comments, whatever the number of criteria.
    """
    kommentarer = granskningskommentarer_for(sjalvskattning)
    teman = []
    for sektion in sjalvskattning_formular(sjalvskattning):
        rader = []
        antal = dict.fromkeys(Forandring.ETIKETTER, 0)
        for rad in sektion.rader:
            f = forandring(rad.svar, rad.foregaende)
            antal[f] += 1
            nu = rad.svar.motivering.strip() if rad.svar else ""
            fore = rad.foregaende.motivering.strip() if rad.foregaende else ""
            kommentar = kommentarer.get(rad.kriterium.pk)
            rader.append(
                GranskningsRad(rad, f, bool(nu) and nu != fore, kommentar.text if kommentar else "")
            )
        teman.append(GranskningsTema(sektion, rader, antal))
    return teman


def granskade_att_godkanna(omgang: Omgang) -> list[Sjalvskattning]:
    """Submitted self-assessments the planner has reviewed since they were (re)submitted,
    which may be approved together. One query."""
    return [
        s
        for s in omgang.sjalvskattningar.filter(
            status=Sjalvskattning.Status.INSKICKAD, granskad__isnull=False
        )
        .select_related("vardcentral", "omgang__region")
        .order_by("vardcentral__namn")
        if s.inskickad is None or s.granskad >= s.inskickad
    ]


def omgang_defaults(*, region_id: int | None, idag: datetime.date) -> dict:
    """A new round's defaults that work: the next unused name (this year, else the next free
    one), that year's period, and a deadline in the future inside the period. One query."""
    tagna = {
        n.casefold()
        for n in Omgang.objects.filter(region_id=region_id).values_list("namn", flat=True)
    }
    ar = idag.year
    while str(ar) in tagna:
        ar += 1
    slut = datetime.date(ar, 12, 31)
    sista = max(datetime.date(ar, 10, 31), idag + datetime.timedelta(days=42))
    return {
        "namn": str(ar),
        "period_start": datetime.date(ar, 1, 1),
        "period_slut": slut,
        "sista_dag": min(sista, slut),
    }


def ej_inskickade_i_senaste(*, region_id: int) -> tuple[Omgang, int] | None:
    """The region's newest round and how many units have not submitted in it, if any. Two queries."""
    omgang = Omgang.objects.filter(region_id=region_id).order_by("-period_start", "-pk").first()
    if omgang is None:
        return None
    antal = omgang.sjalvskattningar.filter(status__in=Sjalvskattning.EJ_INSKICKADE).count()
    return (omgang, antal) if antal else None


def omgang_lage(omgang: Omgang) -> dict[str, int]:
    """How many self-assessments of the round stand in each status. One query."""
    antal = dict.fromkeys(Sjalvskattning.Status.values, 0)
    for status in omgang.sjalvskattningar.values_list("status", flat=True):
        antal[status] += 1
    return antal
