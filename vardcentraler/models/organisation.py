"""Regions, kommuner, vårdcentraler and who may see them (``Profil``)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from lib.historik import historik

HSA_ID_RE = re.compile(r"^SE\d{10}-[A-Za-z0-9]+$")
HSA_ID_MAX = 31


def validate_hsa_id(value: str) -> None:
    if len(value) > HSA_ID_MAX or not HSA_ID_RE.match(value):
        raise ValidationError(
            "Ogiltigt HSA-id. Formatet är SE, tio siffror, bindestreck och bokstäver "
            "(a–z utan å, ä, ö) eller siffror, högst 31 tecken, t.ex. SE2321000016-ABC1.",
            code="ogiltigt_hsa_id",
        )


class Region(models.Model):
    kod = models.CharField("länskod", max_length=2, unique=True)
    namn = models.CharField("namn", max_length=100, unique=True)
    lan = models.CharField("län", max_length=100)

    class Meta:
        verbose_name = "region"
        verbose_name_plural = "regioner"
        ordering = ["kod"]

    def __str__(self) -> str:
        return self.namn


class Kommun(models.Model):
    kod = models.CharField("kommunkod", max_length=4, unique=True)
    namn = models.CharField("namn", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="kommuner")

    class Meta:
        verbose_name = "kommun"
        verbose_name_plural = "kommuner"
        ordering = ["namn"]

    def __str__(self) -> str:
        return self.namn


class VardcentralQuerySet(models.QuerySet):
    def aktiva(self) -> "VardcentralQuerySet":
        """Units in service. No query until evaluated."""
        return self.filter(aktiv=True)


class Vardcentral(models.Model):
    class Driftsform(models.TextChoices):
        REGIONAL = "regional", "Regional"
        PRIVAT = "privat", "Privat"

    hsa_id = models.CharField(
        "HSA-id", max_length=HSA_ID_MAX, unique=True, validators=[validate_hsa_id]
    )
    namn = models.CharField("namn", max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="vardcentraler")
    kommun = models.ForeignKey(Kommun, on_delete=models.PROTECT, related_name="vardcentraler")
    driftsform = models.CharField("driftsform", max_length=10, choices=Driftsform.choices)
    listade_patienter = models.PositiveIntegerField("antal listade patienter")
    aktiv = models.BooleanField("aktiv", default=True)

    objects = VardcentralQuerySet.as_manager()
    history = historik()

    class Meta:
        verbose_name = "vårdcentral"
        verbose_name_plural = "vårdcentraler"
        ordering = ["namn"]
        indexes = [models.Index(fields=["region", "aktiv"], name="vardcentral_region_aktiv")]

    def __str__(self) -> str:
        return self.namn

    def get_absolute_url(self) -> str:
        return reverse("vardcentraler:vardcentral_detail", args=[self.hsa_id])

    def clean(self) -> None:
        if self.kommun_id and self.region_id and self.kommun.region_id != self.region_id:
            raise ValidationError({"kommun": "Kommunen ligger inte i vårdcentralens region."})


class Profil(models.Model):
    """What a user may see and do. Superusers are administrators and need no profile."""

    class Roll(models.TextChoices):
        PLANERARE = "planerare", "Regional planerare"
        VERKSAMHETSCHEF = "verksamhetschef", "Verksamhetschef"
        NATIONELL = "nationell", "Nationell läsare"

    anvandare = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profil"
    )
    roll = models.CharField("roll", max_length=20, choices=Roll.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiler",
        help_text="Planerarens region.",
    )
    vardcentraler = models.ManyToManyField(
        Vardcentral,
        blank=True,
        related_name="chefer",
        help_text="Verksamhetschefens vårdcentraler.",
    )

    class Meta:
        verbose_name = "profil"
        verbose_name_plural = "profiler"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(roll="planerare") | models.Q(region__isnull=False),
                name="profil_planerare_har_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anvandare} ({self.get_roll_display()})"
