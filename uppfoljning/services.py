"""Writes of the follow-up: ZIP jobs of the round's färdplaner."""

from django.db import transaction

from vardcentraler.models import Omgang

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
