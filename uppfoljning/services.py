"""Writes of the follow-up: ZIP jobs of the round's färdplaner."""

from django.db import transaction

from vardcentraler.models import Omgang

from .models import FardplanArkiv


def fardplan_arkiv_create(*, omgang: Omgang, anvandare) -> FardplanArkiv:
    """Queue a ZIP of every färdplan of the round; the worker fills in progress and file."""
    from .tasks import fardplan_arkiv_build

    with transaction.atomic():
        arkiv = FardplanArkiv.objects.create(omgang=omgang, skapad_av=anvandare)
        resultat = fardplan_arkiv_build.enqueue(str(arkiv.pk))
        FardplanArkiv.objects.filter(pk=arkiv.pk).update(task_id=str(resultat.id)[:64])
    arkiv.refresh_from_db()
    return arkiv
