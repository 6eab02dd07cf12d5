"""What operations needs in the database: the background worker's heartbeat."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running worker (``manage.py run_worker``), updated every few seconds.

    django-tasks-db records when a job was claimed and finished, but nothing while the
    worker waits for work, so an idle worker and a dead one look the same without this.
    """

    worker_id = models.CharField("arbetarens id", max_length=64, unique=True)
    host = models.CharField("värd", max_length=255)
    pid = models.PositiveIntegerField("process-id")
    startad = models.DateTimeField("startad")
    senast = models.DateTimeField("senaste puls", db_index=True)

    class Meta:
        verbose_name = "arbetarpuls"
        verbose_name_plural = "arbetarpulser"

    def __str__(self) -> str:
        return f"{self.host}:{self.pid} ({self.senast:%Y-%m-%d %H:%M:%S})"
