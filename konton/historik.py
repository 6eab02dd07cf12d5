"""The audit trail of accounts: the actor's NAME is stored in every history row.

django-simple-history links a row to the acting user by a foreign key. Users are
never deleted here, but a name copied into the row survives even if an
administrator deletes an account in Django admin, and it reads without a join.
The documented extension point for extra history fields is the
``pre_create_historical_record`` signal, so that is used (audit plumbing, not
business logic).
"""

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

NAMN_MAX = 300


class HistorikMedNamn(models.Model):
    """Abstract base of history models that also keep the actor's name."""

    history_user_namn = models.CharField("ändrad av", max_length=NAMN_MAX, blank=True)

    class Meta:
        abstract = True


def anvandarnamn(user) -> str:
    """How a person is named in the trail: full name, else username; "" for nobody."""
    if user is None:
        return ""
    return (user.get_full_name() or user.get_username())[:NAMN_MAX]


@receiver(pre_create_historical_record)
def _spara_namn(sender, history_instance, history_user=None, **kwargs) -> None:
    if isinstance(history_instance, HistorikMedNamn):
        history_instance.history_user_namn = anvandarnamn(history_user)


class AnvandarHistorik(HistoricalRecords):
    """History of the user model that ignores a login's ``last_login`` update.

    Django saves ``last_login`` with ``update_fields=["last_login"]`` at every
    login; that is not a change to the account and would drown the trail.
    """

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= {"last_login"}:
            return
        super().post_save(instance, created, using=using, **kwargs)
