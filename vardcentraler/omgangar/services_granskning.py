"""Review of a self-assessment: submit, approve, return and reopen.

Each takes the assessment's row lock or runs in one transaction and re-checks the status
before it changes it; a refused change raises ``ValidationError`` (Swedish) and writes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lib.forms import kravd_text
from malbild.models import Kriterium
from notiser.models import Notis
from notiser.services import sjalvskattning_notify
from uppfoljning.sammanfattning import sjalvskattning_sammanfatta
from uppfoljning.services import fardplan_forbered

from ..models import Granskningskommentar, Sjalvskattning, max_length
from .services import (
    ANLEDNING_MAX,
    ATEROPPNAD_PREFIX,
    KOMMENTAR_MAX,
    check_omgang_open,
    check_open,
    history_user_set,
    sjalvskattning_lock,
)


def _status_change(
    sjalvskattning: Sjalvskattning, status: str, anvandare, *, orsak: str = "", **falt
):
    forra_status, sjalvskattning.status = sjalvskattning.status, status
    for namn, varde in falt.items():
        setattr(sjalvskattning, namn, varde)
    sjalvskattning._change_reason = orsak or None
    history_user_set(sjalvskattning, anvandare)
    sjalvskattning.save(update_fields=["status", *falt])
    sjalvskattning_sammanfatta(sjalvskattning=sjalvskattning, forra_status=forra_status)
    fardplan_forbered(sjalvskattning)


@transaction.atomic
def sjalvskattning_submit(*, sjalvskattning: Sjalvskattning, anvandare) -> None:
    """Send the assessment for review: every criterion answered ("vet ej" counts, and is flagged)."""
    sjalvskattning_lock(sjalvskattning)
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
    """Lock the row, re-check that it still stands in ``fran`` in an open round, then move it
    to ``till`` (a closed round's statistics must not change, so no review there)."""
    sjalvskattning_lock(sjalvskattning)
    check_omgang_open(sjalvskattning)
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
    kommentar = kravd_text(
        kommentar,
        falt="kommentar",
        max_langd=KOMMENTAR_MAX,
        vad="Kommentaren",
        saknas="Skriv en kommentar som säger vad som behöver kompletteras.",
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
    anledning = kravd_text(
        anledning,
        falt="anledning",
        max_langd=ANLEDNING_MAX,
        vad="Anledningen",
        saknas="Skriv varför självskattningen öppnas igen.",
    )
    _status_review(
        sjalvskattning,
        fran=Sjalvskattning.Status.GODKAND,
        till=Sjalvskattning.Status.PAGAR,
        vad="öppnas igen",
        anvandare=anvandare,
        orsak=f"{ATEROPPNAD_PREFIX}{anledning}",
        godkand=None,
    )


@transaction.atomic
def granskningskommentarer_save(
    *, sjalvskattning: Sjalvskattning, kommentarer: dict[int, str], anvandare
) -> int:
    """Store the planner's comment per criterion (a blank one removes it) and mark the
    self-assessment reviewed. Only while it waits for review. Returns the comments kept."""
    sjalvskattning_lock(sjalvskattning)
    check_omgang_open(sjalvskattning)
    if sjalvskattning.status != Sjalvskattning.Status.INSKICKAD:
        raise ValidationError(
            f"Självskattningen är {sjalvskattning.get_status_display().lower()} och väntar inte "
            "på granskning. Kommentarerna sparades inte.",
            code="fel_status",
        )
    giltiga = set(
        Kriterium.objects.for_version(sjalvskattning.omgang.malbild_version_id).values_list(
            "pk", flat=True
        )
    )
    langst = max_length(Granskningskommentar, "text")
    fel = {}
    for kriterium_id, text in kommentarer.items():
        if kriterium_id not in giltiga:
            fel["allmant"] = "Formuläret stämmer inte med omgångens kriterier. Ladda om sidan."
        elif len(text.strip()) > langst:
            fel[f"k{kriterium_id}"] = f"Kommentaren får vara högst {langst} tecken."
    if fel:
        raise ValidationError(fel)
    for kriterium_id, text in kommentarer.items():
        if text.strip():
            Granskningskommentar.objects.update_or_create(
                sjalvskattning=sjalvskattning,
                kriterium_id=kriterium_id,
                defaults={"text": text.strip(), "skriven_av": anvandare},
            )
        else:
            Granskningskommentar.objects.filter(
                sjalvskattning=sjalvskattning, kriterium_id=kriterium_id
            ).delete()
    sjalvskattning.granskad = timezone.now()
    sjalvskattning.granskad_av = anvandare
    Sjalvskattning.objects.filter(pk=sjalvskattning.pk).update(
        granskad=sjalvskattning.granskad, granskad_av=anvandare
    )
    return Granskningskommentar.objects.filter(sjalvskattning=sjalvskattning).count()


def sjalvskattningar_approve(*, sjalvskattningar: list[Sjalvskattning], anvandare) -> list[str]:
    """Approve several reviewed self-assessments, each in its own transaction with its lock.

    One that has changed status since (returned, reopened) is left as it is and named in
    the returned list of refusals; the others are approved.
    """
    vagrade = []
    for s in sjalvskattningar:
        try:
            sjalvskattning_approve(sjalvskattning=s, anvandare=anvandare)
        except ValidationError as exc:
            vagrade.append(f"{s.vardcentral.namn}: {' '.join(exc.messages)}")
    return vagrade


@transaction.atomic
def granskning_return(
    *, sjalvskattning: Sjalvskattning, kommentar: str, kommentarer: dict[int, str], anvandare
) -> None:
    """Return with a comment, pointing at criteria through the per-criterion comments:
    both are stored, or neither."""
    granskningskommentarer_save(
        sjalvskattning=sjalvskattning, kommentarer=kommentarer, anvandare=anvandare
    )
    sjalvskattning_return(sjalvskattning=sjalvskattning, kommentar=kommentar, anvandare=anvandare)
