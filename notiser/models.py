"""What happened in a round that someone should hear about, and who heard it.

One ``Notis`` per event and recipient: it is the in-app list on the start page and the
record that the e-mail was sent. Its ``nyckel`` makes an event happen once per recipient
(a deadline reminder, a week's digest), however often the daily command runs.
"""

from django.conf import settings
from django.db import models


class Notis(models.Model):
    class Typ(models.TextChoices):
        INSKICKAD = "inskickad", "Självskattning inskickad"
        ATERSAND = "atersand", "Självskattning återsänd"
        GODKAND = "godkand", "Självskattning godkänd"
        PAMINNELSE = "paminnelse", "Påminnelse om sista dag"
        VECKOSAMMANFATTNING = "vecka", "Försenade åtgärder (veckosammanfattning)"

    mottagare = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notiser"
    )
    typ = models.CharField("typ", max_length=12, choices=Typ.choices)
    nyckel = models.CharField("nyckel", max_length=100)
    rubrik = models.CharField("rubrik", max_length=200)
    text = models.TextField("text")
    lank = models.CharField("länk", max_length=300)
    skapad = models.DateTimeField("skapad", auto_now_add=True)
    skickad = models.DateTimeField("e-post skickad", null=True, blank=True)
    last = models.DateTimeField("läst", null=True, blank=True)

    class Meta:
        verbose_name = "notis"
        verbose_name_plural = "notiser"
        ordering = ["-skapad", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mottagare", "typ", "nyckel"], name="notis_en_per_mottagare_och_handelse"
            ),
        ]
        indexes = [models.Index(fields=["mottagare", "-skapad"], name="notis_mottagare_skapad")]

    def __str__(self) -> str:
        return f"{self.rubrik} → {self.mottagare}"


class Installning(models.Model):
    """A user's choices about mail: today only the weekly digest, which is on by default."""

    anvandare = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notisinstallning"
    )
    veckosammanfattning = models.BooleanField(
        "veckosammanfattning om försenade åtgärder", default=True
    )

    class Meta:
        verbose_name = "notisinställning"
        verbose_name_plural = "notisinställningar"

    def __str__(self) -> str:
        return f"Notisinställning för {self.anvandare}"
