"""Review of a self-assessment: submit, approve, return and reopen.

Each takes the assessment's row lock or runs in one transaction and re-checks the status
before it changes it; a refused change raises ``ValidationError`` (Swedish) and writes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from malbild.models import Kriterium
from notiser.models import Notis
from notiser.services import sjalvskattning_notify

from ..models import Sjalvskattning
from .services import KOMMENTAR_MAX, check_open, history_user_set


def _status_change(
    sjalvskattning: Sjalvskattning, status: str, anvandare, *, orsak: str = "", **falt
):
    sjalvskattning.status = status
    for namn, varde in falt.items():
        setattr(sjalvskattning, namn, varde)
    sjalvskattning._change_reason = orsak or None
    history_user_set(sjalvskattning, anvandare)
    sjalvskattning.save(update_fields=["status", *falt])


@transaction.atomic
def sjalvskattning_submit(*, sjalvskattning: Sjalvskattning, anvandare) -> None:
    """Send the assessment for review: every criterion answered ("vet ej" counts, and is flagged)."""
    aktuell = Sjalvskattning.objects.select_for_update().get(pk=sjalvskattning.pk)
    sjalvskattning.status = aktuell.status
    check_open(sjalvskattning)
    totalt = Kriterium.objects.for_version(sjalvskattning.omgang.malbild_version_id)
    besvarade = sjalvskattning.svar.besvarade().count()
    utkast = sjalvskattning.svar.filter(utkast=True).exclude(typ="").count()
    saknas = totalt.count() - besvarade
    if utkast:
        raise ValidationError(
            f"{utkast} svar är kopierade från förra omgången men inte bekräftade. Bekräfta "
            "eller ändra dem innan självskattningen skickas in.",
            code="obekraftade",
        )
    if saknas > 0:
        raise ValidationError(
            f"{saknas} kriterier är inte besvarade. Alla kriterier måste ha ett svar "
            "(”vet ej” går bra) innan självskattningen kan skickas in.",
            code="ofullstandig",
        )
    _status_change(
        sjalvskattning,
        Sjalvskattning.Status.INSKICKAD,
        anvandare,
        orsak="Inskickad",
        inskickad=timezone.now(),
    )
    sjalvskattning_notify(sjalvskattning=sjalvskattning, typ=Notis.Typ.INSKICKAD)


def _status_review(
    sjalvskattning: Sjalvskattning,
    *,
    fran: str,
    till: str,
    vad: str,
    anvandare,
    orsak: str,
    **falt,
) -> None:
    """Lock the row, re-check that it still stands in ``fran``, then move it to ``till``."""
    aktuell = Sjalvskattning.objects.select_for_update().only("status").get(pk=sjalvskattning.pk)
    sjalvskattning.status = aktuell.status
    if sjalvskattning.status != fran:
        raise ValidationError(
            f"Självskattningen är {sjalvskattning.get_status_display().lower()} och kan inte "
            f"{vad}. Inget har ändrats.",
            code="fel_status",
        )
    _status_change(sjalvskattning, till, anvandare, orsak=orsak, **falt)


@transaction.atomic
def sjalvskattning_approve(*, sjalvskattning: Sjalvskattning, anvandare) -> None:
    _status_review(
        sjalvskattning,
        fran=Sjalvskattning.Status.INSKICKAD,
        till=Sjalvskattning.Status.GODKAND,
        vad="godkännas",
        anvandare=anvandare,
        orsak="Godkänd",
        godkand=timezone.now(),
    )
    sjalvskattning_notify(sjalvskattning=sjalvskattning, typ=Notis.Typ.GODKAND)


@transaction.atomic
def sjalvskattning_return(*, sjalvskattning: Sjalvskattning, kommentar: str, anvandare) -> None:
    kommentar = kommentar.strip()
    if not kommentar:
        raise ValidationError(
            {"kommentar": "Skriv en kommentar som säger vad som behöver kompletteras."}
        )
    if len(kommentar) > KOMMENTAR_MAX:
        raise ValidationError(
            {"kommentar": f"Kommentaren får vara högst {KOMMENTAR_MAX} tecken ({len(kommentar)})."}
        )
    _status_review(
        sjalvskattning,
        fran=Sjalvskattning.Status.INSKICKAD,
        till=Sjalvskattning.Status.ATERSAND,
        vad="återsändas",
        anvandare=anvandare,
        orsak="Återsänd",
        kommentar=kommentar,
    )
    sjalvskattning_notify(
        sjalvskattning=sjalvskattning, typ=Notis.Typ.ATERSAND, kommentar=kommentar
    )


@transaction.atomic
def sjalvskattning_reopen(*, sjalvskattning: Sjalvskattning, anledning: str, anvandare) -> None:
    """Unlock an approved assessment. The reason is kept in the history (the trace)."""
    anledning = anledning.strip()
    if not anledning:
        raise ValidationError({"anledning": "Skriv varför självskattningen öppnas igen."})
    if len(anledning) > 100:
        raise ValidationError({"anledning": "Anledningen får vara högst 100 tecken."})
    _status_review(
        sjalvskattning,
        fran=Sjalvskattning.Status.GODKAND,
        till=Sjalvskattning.Status.PAGAR,
        vad="öppnas igen",
        anvandare=anvandare,
        orsak=f"Återöppnad: {anledning}",
        godkand=None,
    )
