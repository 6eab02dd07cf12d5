"""History rows that keep the actor's name (django-simple-history), for any model.

simple-history records ``history_user`` as a foreign key that becomes NULL when the user
is deleted, and then every past change would read "Systemet". The accounts app owns the
mechanism (``konton/historik.py``): history models built on ``HistorikMedNamn`` get
``history_user_namn``, filled from the acting user (``_history_user`` set by a service, or
the request's user via ``HistoryRequestMiddleware``) by its ``pre_create_historical_record``
receiver. This module is the short way to use it on a model and to read it back:

- ``history = historik()`` on a model instead of ``HistoricalRecords()``, then
  ``makemigrations`` (vårdcentraler, rounds, answers, actions, targets and requirements do);
- ``visat_namn(post)`` for who made a change: the kept name, else the live user, else "Systemet".
"""

from simple_history.models import HistoricalRecords

from konton.historik import HistorikMedNamn, anvandarnamn


def historik(**kwargs) -> HistoricalRecords:
    """``HistoricalRecords`` whose rows keep the actor's name (see the module docstring)."""
    bases = [HistorikMedNamn, *kwargs.pop("bases", [])]
    return HistoricalRecords(bases=bases, **kwargs)


def visat_namn(post) -> str:
    """Who made the change recorded in ``post`` (a history row)."""
    return getattr(post, "history_user_namn", "") or anvandarnamn(post.history_user) or "Systemet"
