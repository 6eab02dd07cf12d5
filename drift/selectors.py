"""Reads for /healthz and /metrics: counts and ages only, never a person or a unit."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from vardcentraler.models import Omgang, Sjalvskattning

from .models import WorkerHeartbeat

# The worker beats every PULS_SEKUNDER; three missed beats and it counts as silent.
PULS_SEKUNDER = 10
TYST_EFTER_SEKUNDER = 3 * PULS_SEKUNDER


@dataclass(frozen=True)
class KoLage:
    vantande: int
    aldsta_sekunder: float | None


def worker_heartbeat_latest() -> datetime | None:
    """The newest heartbeat of any worker. One query."""
    return WorkerHeartbeat.objects.aggregate(senast=Max("senast"))["senast"]


def task_queue_state() -> KoLage:
    """Jobs waiting in django-tasks-db's queue and the age of the oldest. One query."""
    lage = DBTaskResult.objects.filter(status="READY").aggregate(
        n=Count("id"), aldsta=Min("enqueued_at")
    )
    aldsta = lage["aldsta"]
    return KoLage(
        vantande=lage["n"],
        aldsta_sekunder=(timezone.now() - aldsta).total_seconds() if aldsta else None,
    )


def sjalvskattning_status_counts() -> dict[str, int]:
    """Self-assessments of open rounds per status, over all regions. One query."""
    rader = (
        Sjalvskattning.objects.filter(omgang__status=Omgang.Status.OPPEN)
        .values("status")
        .annotate(n=Count("id"))
    )
    antal = dict.fromkeys(Sjalvskattning.Status.values, 0)
    antal.update({r["status"]: r["n"] for r in rader})
    return antal
