"""History rows that keep the actor's name (django-simple-history).

simple-history records ``history_user`` as a foreign key that becomes NULL when the user
is deleted, and then every past change would read "Systemet". Models declare
``history = historik()`` instead of ``HistoricalRecords()``: their history table gets
``history_user_namn``, filled from the acting user (``_history_user`` set by a service, or
the request's user via ``HistoryRequestMiddleware``) just before the row is written, by the
``pre_create_historical_record`` receiver below. Readers show ``history_user_namn`` first.

To apply it to another model (e.g. ``Profil`` or ``User``): ``history = historik()`` on the
model, or ``register(User, bases=[AktorHistorik])`` for a model you do not own, then
``makemigrations``. Nothing else: the receiver serves every history model with the field.
"""

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

NAMN_MAX = 150


class AktorHistorik(models.Model):
    """Abstract base of history models: the actor's name as it was when the change was made."""

    history_user_namn = models.CharField("utförd av", max_length=NAMN_MAX, blank=True)

    class Meta:
        abstract = True


def historik(**kwargs) -> HistoricalRecords:
    """``HistoricalRecords`` whose rows keep the actor's name (see the module docstring)."""
    bases = [AktorHistorik, *kwargs.pop("bases", [])]
    return HistoricalRecords(bases=bases, **kwargs)


def aktorens_namn(user) -> str:
    """The name shown for a user in a history: full name, else user name."""
    if user is None:
        return ""
    namn = (user.get_full_name() or user.get_username() or "").strip()
    return namn[:NAMN_MAX]


def visat_namn(post) -> str:
    """Who made the change recorded in ``post`` (a history row): kept name, live user, or system."""
    namn = getattr(post, "history_user_namn", "")
    if namn:
        return namn
    return aktorens_namn(post.history_user) or "Systemet"


@receiver(pre_create_historical_record, dispatch_uid="lib.historik.aktorens_namn")
def _spara_aktorens_namn(sender, history_instance, history_user=None, **kwargs) -> None:
    if isinstance(history_instance, AktorHistorik) and history_user is not None:
        history_instance.history_user_namn = aktorens_namn(history_user)
