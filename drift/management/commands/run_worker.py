"""``manage.py run_worker``: django-tasks-db's ``db_worker`` plus a heartbeat for /healthz.

The same options as ``db_worker``. A daemon thread upserts this worker's row in
``WorkerHeartbeat`` every ``PULS_SEKUNDER`` seconds, also while a long job runs (the
queue's own rows only change when a job is claimed or finished). Logging is left to
LOGGING in settings (JSON lines) instead of db_worker's own stdout handlers.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from drift.models import WorkerHeartbeat
from drift.selectors import PULS_SEKUNDER

logger = logging.getLogger("drift.jobb")


def puls(*, worker_id: str, startad) -> None:
    """Write this worker's heartbeat now (one upsert)."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "startad": startad,
            "senast": timezone.now(),
        },
    )


def _puls_loop(worker_id: str, startad, stopp: threading.Event) -> None:
    while not stopp.wait(PULS_SEKUNDER):
        try:
            puls(worker_id=worker_id, startad=startad)
        except Exception:  # a missed beat is logged, the worker goes on
            logger.exception("Arbetarens puls kunde inte skrivas", extra={"worker_id": worker_id})
        finally:
            close_old_connections()
            connection.close()


class Command(DbWorkerCommand):
    help = "Kör bakgrundsjobben (django-tasks-db) och skriv arbetarens puls för /healthz."

    def configure_logging(self, verbosity: int) -> None:
        """Keep the project's LOGGING (JSON lines); db_worker would add stdout handlers."""

    def handle(self, *args, **options):
        reload = options.get("reload") and not options.get("batch")
        # With the autoreloader only the child process runs jobs, so only it beats.
        if reload and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            return super().handle(*args, **options)
        worker_id, startad, stopp = options["worker_id"], timezone.now(), threading.Event()
        puls(worker_id=worker_id, startad=startad)  # visible in /healthz at once
        # Each start has a new id: rows of workers silent for a week are dropped.
        WorkerHeartbeat.objects.filter(senast__lt=startad - timedelta(days=7)).delete()
        logger.info("Arbetaren startar", extra={"event": "worker_started", "worker_id": worker_id})
        threading.Thread(target=_puls_loop, args=(worker_id, startad, stopp), daemon=True).start()
        try:
            return super().handle(*args, **options)
        finally:
            stopp.set()
