from django.db.models import QuerySet

from .models import Installning, Notis


def notis_list_for_user(user) -> QuerySet[Notis]:
    """The user's own notices, newest first. One query when evaluated."""
    return Notis.objects.filter(mottagare=user)


def veckosammanfattning_for(user) -> bool:
    """Does the user get the weekly digest (on unless switched off)? One query."""
    return not Installning.objects.filter(anvandare=user, veckosammanfattning=False).exists()
