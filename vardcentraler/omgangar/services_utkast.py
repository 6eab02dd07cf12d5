"""Start from last round's answers: copy them as drafts (``Svar.utkast``), then confirm.

Nothing is copied silently: the copy is its own step the user asks for, fills only
criteria without an answer, and a copy counts as answered (progress, submit) only once the
user confirms it or changes it (``services._svar_write`` clears the mark on any change).
"""

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ..models import Sjalvskattning, Svar
from .selectors import sjalvskattning_formular
from .services import _sjalvskattning_touch, check_open, history_user_set


def _lock_open(sjalvskattning: Sjalvskattning) -> None:
    """Take the assessment's row lock and re-check that it is still open."""
    aktuell = Sjalvskattning.objects.select_for_update().only("status").get(pk=sjalvskattning.pk)
    sjalvskattning.status = aktuell.status
    check_open(sjalvskattning)


def kopierbara_for(sjalvskattning: Sjalvskattning) -> dict[int, Svar]:
    """Last round's answers a copy would fill in now, by this round's criterion id (matched by
    identity or ``ersatter``, as the form shows them; ``KriteriumRad.kan_kopieras``).
    Seven queries (the form's selector)."""
    return {
        rad.kriterium.pk: rad.foregaende
        for sektion in sjalvskattning_formular(sjalvskattning)
        for rad in sektion.rader
        if rad.kan_kopieras
    }


@transaction.atomic
def svar_copy_previous(*, sjalvskattning: Sjalvskattning, anvandare) -> int:
    """Copy last round's answers (level, motivation, evidence) into the criteria without an
    answer, as drafts. Returns how many were copied. Raises ``ValidationError`` when locked."""
    _lock_open(sjalvskattning)
    kopior = kopierbara_for(sjalvskattning)
    # A criterion with an empty answer row (text typed and cleared) gets the copy in place.
    tomma = {
        s.kriterium_id: s
        for s in sjalvskattning.svar.select_for_update().filter(kriterium_id__in=kopior)
    }
    nya = []
    for kid, gammalt in kopior.items():
        svar = tomma.get(kid)
        if svar is None:
            nya.append(
                Svar(
                    sjalvskattning=sjalvskattning,
                    kriterium_id=kid,
                    typ=gammalt.typ,
                    niva=gammalt.niva,
                    motivering=gammalt.motivering,
                    underlag=gammalt.underlag,
                    utkast=True,
                    andrad_av=anvandare,
                    version=1,
                )
            )
            continue
        svar.typ, svar.niva = gammalt.typ, gammalt.niva
        svar.motivering, svar.underlag = gammalt.motivering, gammalt.underlag
        svar.utkast, svar.andrad_av = True, anvandare
        svar.version += 1
        history_user_set(svar, anvandare)
        svar.save()
    if nya:
        bulk_create_with_history(nya, Svar, default_user=anvandare)
    if kopior:
        _sjalvskattning_touch(sjalvskattning, anvandare)
    return len(kopior)


@transaction.atomic
def svar_confirm(
    *, sjalvskattning: Sjalvskattning, kriterie_ids: list[int] | set[int], anvandare
) -> int:
    """Confirm copied answers of these criteria as the user's own. Returns how many."""
    _lock_open(sjalvskattning)
    bekraftade = 0
    for svar in sjalvskattning.svar.select_for_update().filter(
        kriterium_id__in=kriterie_ids, utkast=True
    ):
        svar.utkast = False
        svar.andrad_av = anvandare
        svar._change_reason = "Kopierat svar bekräftat"
        history_user_set(svar, anvandare)
        svar.save(update_fields=["utkast", "andrad_av", "andrad"])
        bekraftade += 1
    if bekraftade:
        _sjalvskattning_touch(sjalvskattning, anvandare)
    return bekraftade
