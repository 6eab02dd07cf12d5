"""The one table the follow-up needs: background jobs that build a region's ZIP of färdplaner.

The queue itself is django-tasks-db's (``django_tasks_db``); this row is what the
user sees and comes back to: progress, the finished file under MEDIA_ROOT, or the
error. The UUID is the public id in URLs.
"""

import uuid

from django.conf import settings
from django.db import models

from vardcentraler.models import Omgang


class FardplanArkiv(models.Model):
    class Status(models.TextChoices):
        VANTAR = "vantar", "Väntar på att starta"
        PAGAR = "pagar", "Pågår"
        KLAR = "klar", "Klar"
        MISSLYCKAD = "misslyckad", "Misslyckades"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    omgang = models.ForeignKey(Omgang, on_delete=models.CASCADE, related_name="fardplan_arkiv")
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    skapad = models.DateTimeField("skapad", auto_now_add=True)
    klar = models.DateTimeField("klar", null=True, blank=True)
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.VANTAR
    )
    antal_klara = models.PositiveIntegerField("färdiga färdplaner", default=0)
    antal_totalt = models.PositiveIntegerField("färdplaner totalt", default=0)
    fil = models.FileField("ZIP-fil", upload_to="fardplaner/", blank=True)
    fel = models.TextField("fel", blank=True)
    task_id = models.CharField("jobbets id i kön", max_length=64, blank=True)
    med_inskickade = models.BooleanField(
        "med inskickade, ej granskade",
        default=False,
        help_text="Arkivet har alltid de godkända färdplanerna; de inskickade bara på begäran.",
    )
    senast_aktiv = models.DateTimeField(
        "senaste livstecken",
        null=True,
        blank=True,
        help_text="Jobbets puls (uppfoljning/arkiv.py).",
    )

    class Meta:
        verbose_name = "färdplansarkiv"
        verbose_name_plural = "färdplansarkiv"
        ordering = ["-skapad"]
        indexes = [models.Index(fields=["omgang", "-skapad"], name="fardplanarkiv_omgang")]
        constraints = [
            # One waiting or running job per region and round (uppfoljning/arkiv.py).
            models.UniqueConstraint(
                fields=["omgang"],
                condition=models.Q(status__in=["vantar", "pagar"]),
                name="fardplanarkiv_ett_pagaende_per_omgang",
            ),
        ]

    def __str__(self) -> str:
        return f"Färdplaner {self.omgang} ({self.get_status_display()})"

    @property
    def pagaende(self) -> bool:
        return self.status in (self.Status.VANTAR, self.Status.PAGAR)

    @property
    def procent(self) -> int:
        if self.status == self.Status.KLAR:
            return 100
        return round(100 * self.antal_klara / self.antal_totalt) if self.antal_totalt else 0


class LagradFardplan(models.Model):
    """A self-assessment's färdplan PDF rendered ahead by the worker (uppfoljning/fardplanlager.py).

    ``nyckel`` fingerprints everything the PDF was built from (data, date, code); the download
    serves ``fil`` only while the fingerprint of today's data is the same. One row per
    self-assessment: a new rendering replaces the row and deletes the old file.
    """

    sjalvskattning = models.OneToOneField(
        "vardcentraler.Sjalvskattning",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="lagrad_fardplan",
        verbose_name="självskattning",
    )
    nyckel = models.CharField("fingeravtryck av underlaget", max_length=64)
    fil = models.FileField("PDF-fil", upload_to="fardplaner-lager/", max_length=200)
    skapad = models.DateTimeField("skapad")

    class Meta:
        verbose_name = "lagrad färdplan"
        verbose_name_plural = "lagrade färdplaner"

    def __str__(self) -> str:
        return f"Lagrad färdplan {self.sjalvskattning_id} ({self.nyckel[:12]})"
