"""The follow-up's tables: background jobs that build a region's ZIP of färdplaner, the
summaries kept on write, and the färdplaner rendered ahead.

For the ZIP the queue itself is django-tasks-db's (``django_tasks_db``); its row is what the
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


# --- Summaries kept on write (uppfoljning/sammanfattning.py keeps them) ----------------------


class Antal(models.Model):
    """Answers per category: levels 1–4, vet ej, ej tillämpligt (``statistik.KATEGORIER``)."""

    n1 = models.PositiveIntegerField("nivå 1", default=0)
    n2 = models.PositiveIntegerField("nivå 2", default=0)
    n3 = models.PositiveIntegerField("nivå 3", default=0)
    n4 = models.PositiveIntegerField("nivå 4", default=0)
    n_vet_ej = models.PositiveIntegerField("vet ej", default=0)
    n_ej = models.PositiveIntegerField("ej tillämpligt", default=0)

    class Meta:
        abstract = True


class Temasammanfattning(Antal):
    """One counted (submitted or approved) self-assessment's answers in one theme.

    Only counted self-assessments have rows, and only for themes with a confirmed answer;
    the region dashboard and the national view read these instead of the answers. Kept in
    the same transaction as every write that changes them (``uppfoljning.sammanfattning``);
    ``manage.py sammanfattning_rebuild`` builds them again from the answers.
    """

    sjalvskattning = models.ForeignKey(
        "vardcentraler.Sjalvskattning", on_delete=models.CASCADE, related_name="+"
    )
    # Copies of the self-assessment's, so that the pages filter without a join.
    omgang = models.ForeignKey(Omgang, on_delete=models.CASCADE, related_name="+")
    vardcentral = models.ForeignKey(
        "vardcentraler.Vardcentral", on_delete=models.CASCADE, related_name="+"
    )
    tema = models.ForeignKey("malbild.Tema", on_delete=models.CASCADE, related_name="+")
    niva = models.FloatField("nivå (median)", null=True)
    gap = models.FloatField("gap till temats målnivå", null=True)

    class Meta:
        verbose_name = "temasammanfattning"
        verbose_name_plural = "temasammanfattningar"
        constraints = [
            models.UniqueConstraint(
                fields=["sjalvskattning", "tema"], name="temasammanfattning_unik"
            ),
        ]
        indexes = [models.Index(fields=["omgang", "vardcentral"], name="temasamm_omgang_vc")]

    def __str__(self) -> str:
        return f"{self.sjalvskattning_id} × {self.tema_id}"


class Kriteriesammanfattning(Antal):
    """A round's counted answers to one criterion (the gap report's region and national
    medians), kept and rebuilt together with ``Temasammanfattning``."""

    omgang = models.ForeignKey(Omgang, on_delete=models.CASCADE, related_name="+")
    kriterium = models.ForeignKey("malbild.Kriterium", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "kriteriesammanfattning"
        verbose_name_plural = "kriteriesammanfattningar"
        constraints = [
            models.UniqueConstraint(
                fields=["omgang", "kriterium"], name="kriteriesammanfattning_unik"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.omgang_id} × {self.kriterium_id}"


class Sammanfattningsversion(models.Model):
    """A counter per round (so per region and round), raised in the same transaction as any
    change to the round's summaries: part of the cache keys of the shared comparison figures."""

    omgang = models.OneToOneField(
        Omgang, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveBigIntegerField("version", default=0)
    # New with every raise: a counter alone would repeat after a rolled-back transaction
    # or a restored backup, and a cached figure of the old data would then look current.
    nyckel = models.UUIDField("cachenyckel", default=uuid.uuid4)

    class Meta:
        verbose_name = "sammanfattningsversion"
        verbose_name_plural = "sammanfattningsversioner"

    def __str__(self) -> str:
        return f"{self.omgang_id} v{self.version}"


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
