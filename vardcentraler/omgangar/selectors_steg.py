"""Reads for the self-assessment in steps: the overview every step page shows, and who sent it."""

from dataclasses import dataclass, field

from ..models import Sjalvskattning
from .selectors import Framsteg, TemaSektion
from .selectors_granskning import granskningskommentarer_for


@dataclass
class Oversikt:
    """Totals over the themes, and the planner's comments when the assessment was returned."""

    framsteg: Framsteg
    antal_utkast: int
    antal_vet_ej: int
    antal_kopierbara: int
    andringar: dict[str, int]
    # The planner's comment per criterion (kriterium id -> Granskningskommentar), and the
    # themes (by pk) that have one.
    kommentarer: dict = field(default_factory=dict)
    teman_med_kommentar: set[int] = field(default_factory=set)
    # The first step (1-based) with an unconfirmed copy or a missing answer; None when done.
    forsta_ofardiga: int | None = None

    @property
    def antal_obesvarade(self) -> int:
        return self.framsteg.totalt - self.framsteg.besvarade - self.antal_utkast


def oversikt_for(sjalvskattning: Sjalvskattning, sektioner: list[TemaSektion]) -> Oversikt:
    """Totals from the form's data, plus the planner's comments per criterion while the
    assessment is returned (the chef's to act on). One query (the comments) when returned."""
    kommentarer = (
        granskningskommentarer_for(sjalvskattning)
        if sjalvskattning.status == Sjalvskattning.Status.ATERSAND
        else {}
    )
    andringar = {"upp": 0, "ned": 0, "samma": 0}
    kopierbara = 0
    for sektion in sektioner:
        for rad in sektion.rader:
            if rad.andring:
                andringar[rad.andring] += 1
            kopierbara += rad.kan_kopieras
    return Oversikt(
        framsteg=Framsteg(
            besvarade=sum(x.framsteg.besvarade for x in sektioner),
            totalt=sum(x.framsteg.totalt for x in sektioner),
        ),
        antal_utkast=sum(x.antal_utkast for x in sektioner),
        antal_vet_ej=sum(x.antal_vet_ej for x in sektioner),
        antal_kopierbara=kopierbara,
        forsta_ofardiga=next(
            (i for i, x in enumerate(sektioner, 1) if x.antal_utkast or not x.framsteg.klart),
            None,
        ),
        andringar=andringar,
        kommentarer=kommentarer,
        teman_med_kommentar={
            rad.kriterium.tema_id
            for sektion in sektioner
            for rad in sektion.rader
            if rad.kriterium.pk in kommentarer
        },
    )


def inskickad_av(sjalvskattning: Sjalvskattning):
    """The user who last sent the assessment for review (from its history), or None. One query."""
    rad = (
        sjalvskattning.history.filter(history_change_reason="Inskickad")
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    return rad.history_user if rad else None
