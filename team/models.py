"""The team's self-assessment (issue 15): members, their personal links and ratings; evidence.

A round with ``Omgang.teambedomning`` lets the verksamhetschef invite team members of the unit
(``Teammedlem``), each by a personal link (``Teamlank``: only its hash is stored). A member
rates every criterion (``Teamsvar``: a level or "vet ej", with a comment). The consensus is the
unit's real answer (``vardcentraler.Svar``), written through the answer service.

Evidence (``Underlag``) is a file or a link per criterion of one self-assessment, with a short
description; files live under ``MEDIA_ROOT/underlag/`` with a random name.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from malbild.models import Kriterium
from vardcentraler.models import (
    Omgang,
    Sjalvskattning,
    Vardcentral,
    niva_pa_skalan,
    niva_validators,
)


class Yrke(models.TextChoices):
    LAKARE = "lakare", "Läkare"
    SJUKSKOTERSKA = "sjukskoterska", "Sjuksköterska"
    PSYKOLOG = "psykolog", "Psykolog"
    KURATOR = "kurator", "Kurator"
    FYSIOTERAPEUT = "fysioterapeut", "Fysioterapeut"
    ARBETSTERAPEUT = "arbetsterapeut", "Arbetsterapeut"
    UNDERSKOTERSKA = "underskoterska", "Undersköterska"
    MEDICINSK_SEKRETERARE = "medicinsk_sekreterare", "Medicinsk sekreterare"
    LEDNING = "ledning", "Ledning"
    ANNAN = "annan", "Annan"


class Teammedlem(models.Model):
    """A member of the unit's team in one round: rates on their own, by a personal link."""

    omgang = models.ForeignKey(Omgang, on_delete=models.CASCADE, related_name="teammedlemmar")
    vardcentral = models.ForeignKey(
        Vardcentral, on_delete=models.CASCADE, related_name="teammedlemmar"
    )
    namn = models.CharField("namn", max_length=120)
    yrke = models.CharField("profession", max_length=24, choices=Yrke.choices)
    skapad = models.DateTimeField("inbjuden", auto_now_add=True)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    inskickad = models.DateTimeField("skattningen inskickad", null=True, blank=True)
    borttagen = models.BooleanField("borttagen ur teamet", default=False)

    class Meta:
        verbose_name = "teammedlem"
        verbose_name_plural = "teammedlemmar"
        ordering = ["yrke", "namn", "pk"]

    def __str__(self) -> str:
        return f"{self.namn} ({self.get_yrke_display()})"


class TeamlankQuerySet(models.QuerySet):
    def giltiga(self) -> "TeamlankQuerySet":
        """Links not revoked and not expired. No query until evaluated."""
        return self.filter(makulerad=False, giltig_till__gt=timezone.now())


class Teamlank(models.Model):
    """A member's personal link. Only the SHA-256 of the token is kept; a new link revokes
    the old one (``makulerad``), which is never valid again."""

    medlem = models.ForeignKey(Teammedlem, on_delete=models.CASCADE, related_name="lankar")
    token_hash = models.CharField("tokenens hash", max_length=64, unique=True)
    giltig_till = models.DateTimeField("giltig till")
    makulerad = models.BooleanField("återkallad", default=False)
    skapad = models.DateTimeField("skapad", auto_now_add=True)

    objects = TeamlankQuerySet.as_manager()

    class Meta:
        verbose_name = "personlig länk"
        verbose_name_plural = "personliga länkar"

    def __str__(self) -> str:
        return f"Länk till {self.medlem}"


class Teamsvar(models.Model):
    """One member's rating of one criterion: a level or "vet ej", with an optional comment."""

    class Typ(models.TextChoices):
        NIVA = "niva", "Nivå"
        VET_EJ = "vet_ej", "Vet ej"

    medlem = models.ForeignKey(Teammedlem, on_delete=models.CASCADE, related_name="svar")
    kriterium = models.ForeignKey(Kriterium, on_delete=models.PROTECT, related_name="+")
    typ = models.CharField("svarstyp", max_length=8, choices=Typ.choices)
    niva = models.PositiveSmallIntegerField(
        "nivå", null=True, blank=True, validators=niva_validators
    )
    kommentar = models.TextField("kommentar", blank=True, max_length=2000)
    andrad = models.DateTimeField("ändrad", auto_now=True)

    class Meta:
        verbose_name = "teamsvar"
        verbose_name_plural = "teamsvar"
        constraints = [
            models.UniqueConstraint(
                fields=["medlem", "kriterium"], name="teamsvar_ett_per_kriterium"
            ),
            models.CheckConstraint(
                condition=niva_pa_skalan(typ="niva") | models.Q(typ="vet_ej", niva__isnull=True),
                name="teamsvar_niva_endast_for_nivasvar",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.medlem} {self.kriterium_id}: {self.niva or 'vet ej'}"


class Underlag(models.Model):
    """Evidence for one criterion of one self-assessment: a stored file or a link."""

    class Typ(models.TextChoices):
        FIL = "fil", "Fil"
        LANK = "lank", "Länk"

    sjalvskattning = models.ForeignKey(
        Sjalvskattning, on_delete=models.CASCADE, related_name="underlag_filer"
    )
    kriterium = models.ForeignKey(Kriterium, on_delete=models.PROTECT, related_name="+")
    typ = models.CharField("typ", max_length=4, choices=Typ.choices)
    beskrivning = models.CharField("beskrivning", max_length=200)
    url = models.URLField("länk", max_length=500, blank=True)
    filnamn = models.CharField("filens namn", max_length=200, blank=True)
    lagrat_namn = models.CharField("lagrat namn", max_length=80, blank=True, editable=False)
    filtyp = models.CharField("filtyp", max_length=8, blank=True)
    storlek = models.PositiveIntegerField("storlek (byte)", default=0)
    skapad = models.DateTimeField("tillagd", auto_now_add=True)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    fran = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="förd över från",
    )

    class Meta:
        verbose_name = "underlag"
        verbose_name_plural = "underlag"
        ordering = ["kriterium__tema__ordning", "kriterium__ordning", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(typ="fil", url="") & ~models.Q(lagrat_namn="")
                    | models.Q(typ="lank", lagrat_namn="") & ~models.Q(url="")
                ),
                name="underlag_fil_eller_lank",
            ),
        ]

    def __str__(self) -> str:
        return self.beskrivning

    @property
    def namn(self) -> str:
        """What lists show: the file's name or the link's address (never contents)."""
        return self.filnamn if self.typ == self.Typ.FIL else self.url
