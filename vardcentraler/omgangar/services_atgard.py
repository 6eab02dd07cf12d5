"""Actions (``Atgard``): create and follow up, with the unit's current level as the floor."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from malbild.models import HOGSTA_NIVA, LAGSTA_NIVA, Kriterium
from uppfoljning.services import fardplan_forbered

from ..models import Atgard, Sjalvskattning
from .selectors import kriterium_for_omgang_get, niva_nuvarande
from .services import (
    ANSVARIG_MAX,
    BESKRIVNING_MAX,
    DUBBLETT_FONSTER,
    check_kriterium,
    check_open,
    history_user_set,
    sjalvskattning_lock,
)


@dataclass(frozen=True)
class AtgardData:
    kriterium: Kriterium
    beskrivning: str
    ansvarig: str
    start: datetime.date
    klar_senast: datetime.date
    status: str
    mal_niva: int


def atgard_validate(sjalvskattning: Sjalvskattning, data: AtgardData, *, check_niva: bool) -> None:
    check_kriterium(sjalvskattning, data.kriterium)
    fel = {}
    if not data.beskrivning.strip():
        fel["beskrivning"] = "Beskriv åtgärden."
    elif len(data.beskrivning) > BESKRIVNING_MAX:
        fel["beskrivning"] = f"Beskrivningen får vara högst {BESKRIVNING_MAX} tecken."
    if not data.ansvarig.strip():
        fel["ansvarig"] = "Ange vem som är ansvarig."
    elif len(data.ansvarig) > ANSVARIG_MAX:
        fel["ansvarig"] = f"Ansvarig får vara högst {ANSVARIG_MAX} tecken."
    if data.klar_senast < data.start:
        fel["klar_senast"] = "Klar senast kan inte ligga före start."
    if data.status not in Atgard.Status.values:
        fel["status"] = "Välj en status: planerad, pågår, klar eller avbruten."
    if not isinstance(data.mal_niva, int) or not LAGSTA_NIVA <= data.mal_niva <= HOGSTA_NIVA:
        fel["mal_niva"] = f"Nivån ska vara mellan {LAGSTA_NIVA} och {HOGSTA_NIVA}."
    elif check_niva:
        nuvarande = niva_nuvarande(sjalvskattning, data.kriterium)
        if nuvarande is not None and data.mal_niva <= nuvarande:
            fel["mal_niva"] = (
                f"Åtgärden ska leda till en högre nivå än den nuvarande ({nuvarande})."
            )
    if fel:
        raise ValidationError(fel)


@transaction.atomic
def atgard_create(*, sjalvskattning: Sjalvskattning, data: AtgardData, anvandare) -> Atgard:
    """Add an action. The same action posted again within a minute (a double click, a retried
    request) is the one already created: the lock on the assessment orders the two posts."""
    sjalvskattning_lock(sjalvskattning)
    check_open(sjalvskattning)
    atgard_validate(sjalvskattning, data, check_niva=True)
    falt = {
        "vardcentral_id": sjalvskattning.vardcentral_id,
        "omgang_id": sjalvskattning.omgang_id,
        "kriterium": data.kriterium,
        "beskrivning": data.beskrivning.strip(),
        "ansvarig": data.ansvarig.strip(),
        "start": data.start,
        "klar_senast": data.klar_senast,
        "status": data.status,
        "mal_niva": data.mal_niva,
    }
    dubblett = Atgard.objects.filter(**falt, skapad__gte=timezone.now() - DUBBLETT_FONSTER).first()
    if dubblett is not None:
        return dubblett
    atgard = Atgard(**falt)
    history_user_set(atgard, anvandare)
    atgard.save()
    fardplan_forbered(sjalvskattning)
    return atgard


@transaction.atomic
def atgard_update(
    *, sjalvskattning: Sjalvskattning, atgard: Atgard, data: AtgardData, anvandare
) -> Atgard:
    """Follow up an action: any action of the unit, also one carried over from an earlier round."""
    sjalvskattning_lock(sjalvskattning)
    check_open(sjalvskattning)
    if atgard.vardcentral_id != sjalvskattning.vardcentral_id:
        raise ValidationError("Åtgärden hör till en annan vårdcentral. Inget har ändrats.")
    if data.kriterium.pk != atgard.kriterium_id:
        raise ValidationError("En åtgärd kan inte flyttas till ett annat kriterium.")
    # The criterion may come from an earlier version for a carried-over action.
    atgard_validate(
        sjalvskattning,
        data
        if atgard.omgang_id == sjalvskattning.omgang_id
        else _som_aktuell(data, sjalvskattning),
        check_niva=data.mal_niva != atgard.mal_niva,
    )
    atgard.beskrivning = data.beskrivning.strip()
    atgard.ansvarig = data.ansvarig.strip()
    atgard.start, atgard.klar_senast = data.start, data.klar_senast
    atgard.status, atgard.mal_niva = data.status, data.mal_niva
    history_user_set(atgard, anvandare)
    atgard.save()
    fardplan_forbered(sjalvskattning)
    return atgard


def _som_aktuell(data: AtgardData, sjalvskattning: Sjalvskattning) -> AtgardData:
    """An action from an earlier version is checked against the criterion that replaced it."""
    i_versionen = Kriterium.objects.for_version(sjalvskattning.omgang.malbild_version_id)
    ersattare = kriterium_for_omgang_get(sjalvskattning.omgang, data.kriterium.pk) or (
        i_versionen.select_related("tema").filter(ersatter=data.kriterium).first()
    )
    if ersattare is None:
        raise ValidationError("Kriteriet finns inte i omgångens målbildsversion.")
    return AtgardData(**{**data.__dict__, "kriterium": ersattare})
