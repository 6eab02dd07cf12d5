"""Writes of the follow-up: ZIP jobs of the round's färdplaner, färdplaner rendered ahead."""

from django.conf import settings
from django.db import transaction

from vardcentraler.models import Omgang, Sjalvskattning

from .arkiv import arkiv_avbryt_inaktiva
from .models import FardplanArkiv


def fardplan_arkiv_create(
    *, omgang: Omgang, anvandare, med_inskickade: bool = False
) -> FardplanArkiv:
    """Queue a ZIP of the round's approved färdplaner (and, on request, the submitted ones);
    the worker fills in progress and file.

    One job per round at a time: while one waits or runs (and still beats), ordering again
    hands back that job instead of starting another (uppfoljning/arkiv.py).
    """
    from .tasks import fardplan_arkiv_build

    with transaction.atomic():
        Omgang.objects.select_for_update().filter(pk=omgang.pk).first()
        arkiv_avbryt_inaktiva(omgang=omgang)
        pagaende = FardplanArkiv.objects.filter(
            omgang=omgang, status__in=[FardplanArkiv.Status.VANTAR, FardplanArkiv.Status.PAGAR]
        ).first()
        if pagaende is not None:
            return pagaende
        arkiv = FardplanArkiv.objects.create(
            omgang=omgang, skapad_av=anvandare, med_inskickade=med_inskickade
        )
        resultat = fardplan_arkiv_build.enqueue(str(arkiv.pk))
        FardplanArkiv.objects.filter(pk=arkiv.pk).update(task_id=str(resultat.id)[:64])
    arkiv.refresh_from_db()
    return arkiv


def fardplan_forbered(
    sjalvskattning: Sjalvskattning | None = None, *, omgang: Omgang | None = None
) -> None:
    """Have the worker render and store the färdplan of ``sjalvskattning`` (or of every
    self-assessment of ``omgang``: one task for the round) once the current transaction
    commits, so a download finds it ready (``uppfoljning/fardplanlager.py``).

    Called by the writes that change what a färdplan prints: submit, approve, return, reopen,
    an action created or followed up, the round's requirements saved. Nothing is enqueued when
    ``FARDPLAN_FORBERED`` is off. No query (the enqueue runs after commit).
    """
    if not settings.FARDPLAN_FORBERED:
        return
    from .tasks import fardplan_lagra, fardplaner_lagra_omgang

    if sjalvskattning is not None:
        pk = sjalvskattning.pk
        transaction.on_commit(lambda: fardplan_lagra.enqueue(pk))
    if omgang is not None:
        omgang_id = omgang.pk
        transaction.on_commit(lambda: fardplaner_lagra_omgang.enqueue(omgang_id))
