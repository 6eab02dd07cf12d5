"""The background worker's log: a line when a job starts, ends or fails, with its duration.

Receivers of Django's task signals (sent by django-tasks-db's worker and by the immediate
backend alike). The job's id is put in the log context, so every line the job itself
writes carries it as ``task_id``.
"""

import logging

from django.dispatch import receiver
from django.tasks.base import TaskResultStatus
from django.tasks.signals import task_finished, task_started

from lib.loggning import aktuellt_jobb

logger = logging.getLogger("drift.jobb")


@receiver(task_started)
def jobb_startat(sender, task_result, **kwargs) -> None:
    aktuellt_jobb.set(str(task_result.id))
    logger.info(
        "Jobb startat",
        extra={
            "event": "task_started",
            "task_id": str(task_result.id),
            "task": task_result.task.module_path,
        },
    )


@receiver(task_finished)
def jobb_klart(sender, task_result, **kwargs) -> None:
    start, slut = task_result.started_at, task_result.finished_at
    misslyckat = task_result.status == TaskResultStatus.FAILED
    logger.log(
        logging.ERROR if misslyckat else logging.INFO,
        "Jobb misslyckades" if misslyckat else "Jobb klart",
        extra={
            "event": "task_failed" if misslyckat else "task_finished",
            "task_id": str(task_result.id),
            "task": task_result.task.module_path,
            "task_status": str(task_result.status),
            "duration_ms": round((slut - start).total_seconds() * 1000) if start and slut else None,
        },
    )
    aktuellt_jobb.set(None)
