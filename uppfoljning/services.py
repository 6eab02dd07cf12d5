"""Writes of the follow-up: ZIP jobs of the round's färdplaner."""

from django.db import transaction

from vardcentraler.models import Omgang

from .models import FardplanArkiv


def fardplan_arkiv_create(
    *, omgang: Omgang, anvandare, med_inskickade: bool = False
) -> FardplanArkiv:
    """Queue a ZIP of the round's approved färdplaner (and, on request, the submitted ones);
    the worker fills in progress and file."""
    from .tasks import fardplan_arkiv_build

    with transaction.atomic():
        arkiv = FardplanArkiv.objects.create(
            omgang=omgang, skapad_av=anvandare, med_inskickade=med_inskickade
        )
        resultat = fardplan_arkiv_build.enqueue(str(arkiv.pk))
        FardplanArkiv.objects.filter(pk=arkiv.pk).update(task_id=str(resultat.id)[:64])
    arkiv.refresh_from_db()
    return arkiv
