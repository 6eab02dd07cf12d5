"""Writes for rounds, targets, answers, actions and review.

Every service validates its input and raises ``ValidationError`` with a Swedish
message (keyed by field where there is one) before it changes anything; the
multi-row ones run in one transaction. Changes are recorded by django-simple-history:
``_history_user`` is set explicitly so the trace names the user also outside a request.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from lib.forms import har_kontrolltecken
from malbild.models import HOGSTA_NIVA, LAGSTA_NIVA, Kriterium, MalbildVersion
from malbild.services import malbild_version_lock
from uppfoljning.sammanfattning import (
    omgang_sammanfatta,
    sjalvskattning_sammanfatta,
    version_bump,
)

from ..models import (
    Atgard,
    Malniva,
    Omgang,
    Region,
    Sjalvskattning,
    Svar,
    Vardcentral,
    max_length,
)
from .selectors import malnivaer_for
from .services_krav import krav_carry_over

MOTIVERING_MAX = max_length(Svar, "motivering")
UNDERLAG_MAX = max_length(Svar, "underlag")
KOMMENTAR_MAX = max_length(Sjalvskattning, "kommentar")
BESKRIVNING_MAX = max_length(Atgard, "beskrivning")
ANSVARIG_MAX = max_length(Atgard, "ansvarig")
# The reopen reason is kept as the history row's change reason, after this prefix.
ATEROPPNAD_PREFIX = "Återöppnad: "
ANLEDNING_MAX = max_length(Sjalvskattning.history.model, "history_change_reason") - len(
    ATEROPPNAD_PREFIX
)
# Two posts of the same new action within this window are one double click: one action.
DUBBLETT_FONSTER = datetime.timedelta(seconds=60)


class SvarKonflikt(Exception):
    """A save based on a stale version: someone else changed the answer first."""

    def __init__(self, svar: Svar):
        super().__init__("Svaret har ändrats av någon annan.")
        self.svar = svar


def history_user_set(obj, anvandare) -> None:
    obj._history_user = anvandare


LAST_FALT = ("status", "kommentar", "inskickad", "godkand", "senast_andrad")


def sjalvskattning_lock(sjalvskattning: Sjalvskattning) -> Sjalvskattning:
    """Lock the assessment row (``SELECT … FOR UPDATE``) and refresh what writes depend on.

    Every write whose outcome depends on the assessment's status (answers, theme save, submit,
    review, actions) calls this first inside its transaction, then checks the status it read
    here: a concurrent submit, approve or return waits for the lock and then sees the new
    status. Only the assessment row is locked for update, so other units' saves in the round
    never wait. One query (the round's status comes along).

    On PostgreSQL the round's row is locked too, ``FOR KEY SHARE``: it does not conflict with
    other units' saves, but it does with ``omgang_close``'s ``FOR UPDATE``. So a save or a
    reopen that started before the close finishes first and the close waits for it, and one
    that waits for the close re-reads the round's row and sees it closed. (Without it, a
    reopen that had read "open" went through after the round was closed.)
    """
    if connection.vendor == "postgresql":
        s_tabell, o_tabell = Sjalvskattning._meta.db_table, Omgang._meta.db_table
        kolumner = ", ".join(
            f"s.{Sjalvskattning._meta.get_field(falt).column}" for falt in LAST_FALT
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {kolumner}, o.status FROM {s_tabell} s "  # noqa: S608 - names from _meta
                f"JOIN {o_tabell} o ON o.id = s.omgang_id WHERE s.id = %s "
                "FOR UPDATE OF s FOR KEY SHARE OF o",
                [sjalvskattning.pk],
            )
            rad = cursor.fetchone()
        if rad is None:
            raise Sjalvskattning.DoesNotExist
        *varden, omgang_status = rad
    else:  # SQLite serialises whole writes
        aktuell = (
            Sjalvskattning.objects.only(*LAST_FALT)
            .annotate(omgang_status=F("omgang__status"))
            .get(pk=sjalvskattning.pk)
        )
        varden = [getattr(aktuell, falt) for falt in LAST_FALT]
        omgang_status = aktuell.omgang_status
    for falt, varde in zip(LAST_FALT, varden, strict=True):
        setattr(sjalvskattning, falt, varde)
    sjalvskattning.omgang.status = omgang_status
    return sjalvskattning


def check_omgang_open(sjalvskattning: Sjalvskattning) -> None:
    if sjalvskattning.omgang.status == Omgang.Status.STANGD:
        raise ValidationError(
            "Omgången är stängd. Inget kan ändras, och ingen självskattning kan godkännas, "
            "återsändas eller öppnas igen.",
            code="stangd",
        )


def check_open(sjalvskattning: Sjalvskattning) -> None:
    check_omgang_open(sjalvskattning)
    if sjalvskattning.ar_last:
        raise ValidationError(
            f"Självskattningen är {sjalvskattning.get_status_display().lower()} och därför låst. "
            "Inget har ändrats.",
            code="last",
        )


def check_kriterium(sjalvskattning: Sjalvskattning, kriterium: Kriterium) -> None:
    if kriterium.tema.version_id != sjalvskattning.omgang.malbild_version_id:
        raise ValidationError(
            "Kriteriet hör inte till omgångens målbildsversion. Inget har ändrats.",
            code="fel_version",
        )


# --- Rounds and targets ---------------------------------------------------------------------


@transaction.atomic
def omgang_create(
    *,
    region: Region,
    namn: str,
    malbild_version: MalbildVersion,
    period_start: datetime.date,
    period_slut: datetime.date,
    sista_dag: datetime.date,
    anvandare,
) -> Omgang:
    """Open a round: targets for every criterion, one assessment per active unit, version frozen.

    A criterion's target is the previous round's target for the same criterion (or the one it
    replaces), else the top level; the previous round's requirements carry over the same way.
    """
    namn = namn.strip()
    # Two planners opening the same round at once: the second waits here, then sees the first.
    Region.objects.select_for_update().filter(pk=region.pk).first()
    fel = {}
    if not namn:
        fel["namn"] = "Ange ett namn, t.ex. ”2026”."
    elif har_kontrolltecken(namn):
        fel["namn"] = "Namnet innehåller otillåtna tecken (kontrolltecken)."
    elif len(namn) > max_length(Omgang, "namn"):
        fel["namn"] = f"Namnet får vara högst {max_length(Omgang, 'namn')} tecken."
    elif namn.casefold() in {
        # In Python: SQLite's LOWER() and LIKE fold only ASCII ("Vår" ≠ "VÅR" there). The
        # database's UniqueConstraint on Lower(namn) backs this up against a race.
        n.casefold()
        for n in Omgang.objects.filter(region=region).values_list("namn", flat=True)
    }:
        fel["namn"] = f"Regionen har redan en omgång som heter ”{namn}”."
    if period_slut < period_start:
        fel["period_slut"] = "Periodens slut kan inte ligga före dess början."
    if not period_start <= sista_dag <= period_slut:
        fel["sista_dag"] = "Sista dag för inskickning ska ligga inom perioden."
    if fel:
        raise ValidationError(fel)

    omgang = Omgang(
        region=region,
        namn=namn,
        malbild_version=malbild_version,
        period_start=period_start,
        period_slut=period_slut,
        sista_dag=sista_dag,
        skapad_av=anvandare,
    )
    history_user_set(omgang, anvandare)
    try:
        with transaction.atomic():
            omgang.save()
    except IntegrityError:
        # The name check above ran before another transaction's insert became visible.
        raise ValidationError(
            {"namn": f"Regionen har redan en omgång som heter ”{namn}”. Inget har skapats."}
        ) from None
    foregaende = Omgang.objects.fore(region_id=region.pk, period_start=period_start).first()
    tidigare = malnivaer_for(foregaende)
    kriterier = list(Kriterium.objects.for_version(malbild_version).only("pk", "ersatter_id"))
    Malniva.objects.bulk_create(
        Malniva(
            omgang=omgang,
            kriterium=k,
            niva=tidigare.get(k.pk) or tidigare.get(k.ersatter_id) or HOGSTA_NIVA,
        )
        for k in kriterier
    )
    krav_carry_over(omgang=omgang, foregaende=foregaende, kriterier=kriterier)
    Sjalvskattning.objects.bulk_create(
        Sjalvskattning(omgang=omgang, vardcentral=vardcentral)
        for vardcentral in Vardcentral.objects.filter(region=region).aktiva()
    )
    malbild_version_lock(version=malbild_version)
    return omgang


@transaction.atomic
def malniva_update(*, omgang: Omgang, nivaer: dict[int, int], anvandare) -> int:
    """Set the round's target level per criterion (by criterion pk). Returns how many changed."""
    if omgang.status == Omgang.Status.STANGD:
        raise ValidationError("Omgången är stängd. Målnivåerna kan inte ändras.")
    befintliga = {m.kriterium_id: m for m in omgang.malnivaer.select_for_update()}
    fel = {}
    for kriterium_id, niva in nivaer.items():
        if kriterium_id not in befintliga:
            fel[f"k{kriterium_id}"] = "Kriteriet hör inte till omgångens målbildsversion."
        elif not isinstance(niva, int) or not LAGSTA_NIVA <= niva <= HOGSTA_NIVA:
            fel[f"k{kriterium_id}"] = (
                f"Målnivån ska vara en nivå mellan {LAGSTA_NIVA} och {HOGSTA_NIVA}."
            )
    if fel:
        raise ValidationError(fel)
    andrade = 0
    for kriterium_id, niva in nivaer.items():
        malniva = befintliga[kriterium_id]
        if malniva.niva != niva:
            malniva.niva = niva
            history_user_set(malniva, anvandare)
            malniva.save(update_fields=["niva"])
            andrade += 1
    if andrade:
        omgang_sammanfatta(omgang=omgang)  # the themes' gaps to target
    return andrade


# --- Answers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SvarData:
    """One criterion's answer as the user gave it. ``version`` is the one the edit was based on."""

    kriterium: Kriterium
    typ: str
    niva: int | None
    motivering: str
    underlag: str
    version: int


def svar_validate(data: SvarData) -> None:
    fel = {}
    if data.typ not in {"", *Svar.Typ.values}:
        fel["svar"] = "Välj en nivå, ”vet ej” eller ”ej tillämpligt”."
    elif data.typ == Svar.Typ.NIVA and (
        data.niva is None or not LAGSTA_NIVA <= data.niva <= HOGSTA_NIVA
    ):
        fel["svar"] = f"Nivån ska vara mellan {LAGSTA_NIVA} och {HOGSTA_NIVA}."
    elif data.typ != Svar.Typ.NIVA and data.niva is not None:
        fel["svar"] = "”Vet ej” och ”ej tillämpligt” har ingen nivå."
    if len(data.motivering) > MOTIVERING_MAX:
        fel["motivering"] = (
            f"Motiveringen får vara högst {MOTIVERING_MAX} tecken (den har {len(data.motivering)})."
        )
    if len(data.underlag) > UNDERLAG_MAX:
        fel["underlag"] = (
            f"Underlaget får vara högst {UNDERLAG_MAX} tecken (det har {len(data.underlag)})."
        )
    if data.version < 0:
        fel["svar"] = "Ogiltig version. Ladda om sidan."
    if fel:
        raise ValidationError(fel)


def _samma(svar: Svar, data: SvarData) -> bool:
    return (svar.typ, svar.niva, svar.motivering, svar.underlag) == (
        data.typ,
        data.niva,
        data.motivering,
        data.underlag,
    )


def _svar_write(
    *, sjalvskattning: Sjalvskattning, data: SvarData, anvandare
) -> tuple[Svar | None, bool]:
    """Optimistic write of one answer inside the caller's transaction: (answer, changed?)."""
    svar = (
        Svar.objects.select_for_update()
        .filter(sjalvskattning=sjalvskattning, kriterium=data.kriterium)
        .first()
    )
    if svar is None:
        if not (data.typ or data.motivering or data.underlag):
            return None, False  # nothing typed yet, nothing to keep
        if data.version != 0:
            raise ValidationError({"svar": "Ogiltig version. Ladda om sidan."})
        svar = Svar(sjalvskattning=sjalvskattning, kriterium=data.kriterium, version=1)
    elif _samma(svar, data):
        return svar, False  # a repeated save of what is already stored changes nothing
    elif svar.version != data.version:
        raise SvarKonflikt(svar)
    else:
        svar.version += 1
    svar.typ, svar.niva = data.typ, data.niva
    svar.motivering, svar.underlag = data.motivering, data.underlag
    svar.utkast = False  # a copied answer the user changes is theirs
    svar.andrad_av = anvandare
    history_user_set(svar, anvandare)
    if svar.pk is None:
        try:
            with transaction.atomic():
                svar.save()
        except IntegrityError:
            # Someone else created the answer between our read and our insert.
            raise SvarKonflikt(
                Svar.objects.get(sjalvskattning=sjalvskattning, kriterium=data.kriterium)
            ) from None
    else:
        svar.save()
    return svar, True


def _sjalvskattning_touch(sjalvskattning: Sjalvskattning, anvandare) -> None:
    """After the answers changed: the time stamp, "pågår", and the summaries."""
    sjalvskattning_sammanfatta(sjalvskattning=sjalvskattning)
    nu = timezone.now()
    sjalvskattning.senast_andrad = nu
    if sjalvskattning.status == Sjalvskattning.Status.EJ_PABORJAD:
        sjalvskattning.status = Sjalvskattning.Status.PAGAR
        history_user_set(sjalvskattning, anvandare)
        sjalvskattning.save(update_fields=["status", "senast_andrad"])
    else:
        # The time stamp alone is bookkeeping, not a change worth a history row.
        Sjalvskattning.objects.filter(pk=sjalvskattning.pk).update(senast_andrad=nu)


@transaction.atomic
def svar_save(*, sjalvskattning: Sjalvskattning, data: SvarData, anvandare) -> Svar | None:
    """Save one answer if it is based on the stored version; else raise ``SvarKonflikt``.

    The first save moves the assessment from "ej påbörjad" to "pågår".
    """
    sjalvskattning_lock(sjalvskattning)
    check_open(sjalvskattning)
    check_kriterium(sjalvskattning, data.kriterium)
    svar_validate(data)
    svar, andrad = _svar_write(sjalvskattning=sjalvskattning, data=data, anvandare=anvandare)
    if andrad:
        _sjalvskattning_touch(sjalvskattning, anvandare)
    return svar


class _Aterstall(Exception):
    """Rolls back a theme save that met a conflict."""


@transaction.atomic
def svar_save_many(
    *, sjalvskattning: Sjalvskattning, data: list[SvarData], anvandare
) -> tuple[list[Svar], dict[int, Svar]]:
    """Save a theme's answers together (the form without JavaScript): all or none.

    Returns the saved answers and, when any was stale, the other person's answers by
    criterion pk; then nothing is saved.
    """
    sjalvskattning_lock(sjalvskattning)
    check_open(sjalvskattning)
    fel = {}
    for d in data:
        check_kriterium(sjalvskattning, d.kriterium)
        try:
            svar_validate(d)
        except ValidationError as exc:
            for falt, meddelanden in exc.message_dict.items():
                fel[f"k{d.kriterium.pk}-{falt}"] = meddelanden
    if fel:
        raise ValidationError(fel)
    sparade, konflikter = [], {}
    try:
        with transaction.atomic():
            for d in data:
                try:
                    svar, andrad = _svar_write(
                        sjalvskattning=sjalvskattning, data=d, anvandare=anvandare
                    )
                except SvarKonflikt as konflikt:
                    konflikter[d.kriterium.pk] = konflikt.svar
                else:
                    if andrad:
                        sparade.append(svar)
            if konflikter:
                raise _Aterstall
    except _Aterstall:
        return [], konflikter
    if sparade:
        _sjalvskattning_touch(sjalvskattning, anvandare)
    return sparade, {}


@transaction.atomic
def omgang_close(*, omgang: Omgang, anvandare) -> None:
    """Close the round: from then on read-only (answers, targets, requirements, decisions)."""
    aktuell = Omgang.objects.select_for_update().get(pk=omgang.pk)
    if aktuell.status == Omgang.Status.STANGD:
        raise ValidationError("Omgången är redan stängd. Inget har ändrats.", code="stangd")
    omgang.status = Omgang.Status.STANGD
    history_user_set(omgang, anvandare)
    omgang.save(update_fields=["status"])
    version_bump(omgang.pk)  # the national view's default round may change
