"""Rounds and their self-assessments, answers, actions and requirements.

A region runs assessment rounds (``Omgang``) against one frozen målbild version.
In a round each vårdcentral has one self-assessment (``Sjalvskattning``) with one
answer (``Svar``) per criterion. Actions (``Atgard``) belong to the unit and the
criterion, not to a round, so open actions carry over to the next round.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from lib.historik import historik
from malbild.models import HOGSTA_NIVA, LAGSTA_NIVA, Kriterium, MalbildVersion

from .organisation import Region, Vardcentral

niva_validators = [MinValueValidator(LAGSTA_NIVA), MaxValueValidator(HOGSTA_NIVA)]


def niva_pa_skalan(**villkor) -> models.Q:
    """The database's twin of ``niva_validators``: ``niva`` is a level of the scale (and
    ``villkor`` holds), for the check constraints of every model with a level. Written as one
    ``Q`` with the conditions side by side, so that the constraints' migrations stay as they are.
    """
    return models.Q(niva__gte=LAGSTA_NIVA, niva__lte=HOGSTA_NIVA, **villkor)


class OmgangQuerySet(models.QuerySet):
    def fore(self, *, region_id: int, period_start: datetime.date) -> "OmgangQuerySet":
        """The region's rounds that started before ``period_start``, newest first.

        The one definition of "the previous round": ``.first()`` of this. No query until evaluated.
        """
        return self.filter(region_id=region_id, period_start__lt=period_start).order_by(
            "-period_start", "-pk"
        )


class Omgang(models.Model):
    """An assessment round of one region, against one frozen målbild version."""

    class Status(models.TextChoices):
        OPPEN = "oppen", "Öppen"
        STANGD = "stangd", "Stängd"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="omgangar")
    namn = models.CharField("namn", max_length=60)
    malbild_version = models.ForeignKey(
        MalbildVersion, on_delete=models.PROTECT, related_name="omgangar"
    )
    period_start = models.DateField("periodens början")
    period_slut = models.DateField("periodens slut")
    sista_dag = models.DateField("sista dag för inskickning")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.OPPEN)
    skapad = models.DateTimeField("skapad", auto_now_add=True)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # issue 15: the units' team members rate on their own; the consensus is the answer.
    teambedomning = models.BooleanField(
        "teambedömning",
        default=False,
        help_text="Teamets medlemmar skattar var för sig och enheten sätter ett gemensamt svar.",
    )

    objects = OmgangQuerySet.as_manager()
    history = historik()

    class Meta:
        verbose_name = "bedömningsomgång"
        verbose_name_plural = "bedömningsomgångar"
        ordering = ["region", "-period_start"]
        constraints = [
            # "Vår 2026" and "vår 2026" are the same round to a reader.
            models.UniqueConstraint(
                "region", Lower("namn"), name="omgang_unikt_namn_per_region_skiftlage"
            ),
            models.CheckConstraint(
                condition=models.Q(period_slut__gte=models.F("period_start")),
                name="omgang_period_ordning",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.namn}"

    def foregaende(self) -> "Omgang | None":
        """The region's round before this one (by period start). One query."""
        return Omgang.objects.fore(region_id=self.region_id, period_start=self.period_start).first()


class Malniva(models.Model):
    """The region's target level for a criterion in a round (its own färdplan step)."""

    omgang = models.ForeignKey(Omgang, on_delete=models.CASCADE, related_name="malnivaer")
    kriterium = models.ForeignKey(Kriterium, on_delete=models.PROTECT, related_name="+")
    niva = models.PositiveSmallIntegerField("målnivå", validators=niva_validators)

    history = historik()

    class Meta:
        verbose_name = "målnivå"
        verbose_name_plural = "målnivåer"
        constraints = [
            models.UniqueConstraint(fields=["omgang", "kriterium"], name="malniva_unik"),
            models.CheckConstraint(
                condition=niva_pa_skalan(),
                name="malniva_inom_skalan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.omgang} {self.kriterium.kod}: {self.niva}"


class Sjalvskattning(models.Model):
    """One vårdcentral's self-assessment in one round."""

    class Status(models.TextChoices):
        EJ_PABORJAD = "ej_paborjad", "Ej påbörjad"
        PAGAR = "pagar", "Pågår"
        INSKICKAD = "inskickad", "Inskickad"
        ATERSAND = "atersand", "Återsänd"
        GODKAND = "godkand", "Godkänd"

    # "Not submitted" is one group for the planner: not started, in progress and returned.
    EJ_INSKICKADE = (Status.EJ_PABORJAD, Status.PAGAR, Status.ATERSAND)
    EJ_INSKICKADE_FILTER = "ej_inskickad"  # its value in the round's status filter

    omgang = models.ForeignKey(Omgang, on_delete=models.PROTECT, related_name="sjalvskattningar")
    vardcentral = models.ForeignKey(
        Vardcentral, on_delete=models.PROTECT, related_name="sjalvskattningar"
    )
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.EJ_PABORJAD
    )
    kommentar = models.TextField("kommentar vid återsändning", blank=True, max_length=2000)
    inskickad = models.DateTimeField("inskickad", null=True, blank=True)
    godkand = models.DateTimeField("godkänd", null=True, blank=True)
    senast_andrad = models.DateTimeField("senast ändrad", null=True, blank=True)
    # The planner has read it since it was (re)submitted: it may be approved in bulk.
    granskad = models.DateTimeField("granskad", null=True, blank=True)
    granskad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = historik()

    class Meta:
        verbose_name = "självskattning"
        verbose_name_plural = "självskattningar"
        constraints = [
            models.UniqueConstraint(
                fields=["omgang", "vardcentral"], name="sjalvskattning_en_per_omgang"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vardcentral} – {self.omgang.namn}"

    @property
    def ar_last(self) -> bool:
        return self.status in {self.Status.INSKICKAD, self.Status.GODKAND}


class SvarQuerySet(models.QuerySet):
    def besvarade(self) -> "SvarQuerySet":
        """Answers with a level, "vet ej" or "ej tillämpligt"; not a motivation typed before
        the answer was chosen (typ blank), nor a copy of last round's answer the user has not
        confirmed (``utkast``). No query until evaluated."""
        return self.exclude(typ="").filter(utkast=False)


class Svar(models.Model):
    """The answer to one criterion: a level, or "vet ej" / "ej tillämpligt" (never a level)."""

    class Typ(models.TextChoices):
        NIVA = "niva", "Nivå"
        VET_EJ = "vet_ej", "Vet ej"
        EJ_TILLAMPLIGT = "ej_tillampligt", "Ej tillämpligt"

    sjalvskattning = models.ForeignKey(
        Sjalvskattning, on_delete=models.CASCADE, related_name="svar"
    )
    kriterium = models.ForeignKey(Kriterium, on_delete=models.PROTECT, related_name="svar")
    # Blank until a level or "vet ej"/"ej tillämpligt" is chosen: a motivation typed
    # before the level is saved at once rather than lost.
    typ = models.CharField("svarstyp", max_length=16, choices=Typ.choices, blank=True)
    niva = models.PositiveSmallIntegerField(
        "nivå", null=True, blank=True, validators=niva_validators
    )
    motivering = models.TextField("motivering", blank=True, max_length=4000)
    underlag = models.TextField("underlag", blank=True, max_length=2000)
    version = models.PositiveIntegerField(
        "version", default=1, help_text="Räknas upp vid varje ändring; skyddar mot att skriva över."
    )
    # Copied from last round's answer ("Utgå från förra omgångens svar") and not yet confirmed:
    # shown and editable, but not answered (progress, submit) until the user confirms or changes it.
    utkast = models.BooleanField(
        "utkast",
        default=False,
        help_text="Kopierat från förra omgången och ännu inte bekräftat.",
    )
    andrad = models.DateTimeField("ändrad", auto_now=True)
    andrad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SvarQuerySet.as_manager()
    history = historik()

    class Meta:
        verbose_name = "svar"
        verbose_name_plural = "svar"
        constraints = [
            models.UniqueConstraint(
                fields=["sjalvskattning", "kriterium"], name="svar_ett_per_kriterium"
            ),
            models.CheckConstraint(
                condition=(
                    niva_pa_skalan(typ="niva")
                    | (~models.Q(typ="niva") & models.Q(niva__isnull=True))
                ),
                name="svar_niva_endast_for_nivasvar",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sjalvskattning} {self.kriterium.kod}: {self.visning}"

    @property
    def visning(self) -> str:
        if not self.typ:
            return "Ej besvarat"
        return f"Nivå {self.niva}" if self.typ == self.Typ.NIVA else self.get_typ_display()

    @property
    def ar_besvarat(self) -> bool:
        """Answered and, if copied from last round, confirmed."""
        return bool(self.typ) and not self.utkast


class Atgard(models.Model):
    """An action in a unit's färdplan to close the gap on one criterion."""

    class Status(models.TextChoices):
        PLANERAD = "planerad", "Planerad"
        PAGAR = "pagar", "Pågår"
        KLAR = "klar", "Klar"
        AVBRUTEN = "avbruten", "Avbruten"

    OPPNA = (Status.PLANERAD, Status.PAGAR)

    vardcentral = models.ForeignKey(Vardcentral, on_delete=models.PROTECT, related_name="atgarder")
    kriterium = models.ForeignKey(Kriterium, on_delete=models.PROTECT, related_name="atgarder")
    omgang = models.ForeignKey(
        Omgang,
        on_delete=models.PROTECT,
        related_name="atgarder",
        help_text="Omgången då åtgärden lades till.",
    )
    beskrivning = models.TextField("åtgärd", max_length=2000)
    ansvarig = models.CharField("ansvarig", max_length=200)
    start = models.DateField("start")
    klar_senast = models.DateField("klar senast")
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PLANERAD
    )
    mal_niva = models.PositiveSmallIntegerField("ska leda till nivå", validators=niva_validators)
    skapad = models.DateTimeField("skapad", auto_now_add=True)
    andrad = models.DateTimeField("ändrad", auto_now=True)

    history = historik()

    class Meta:
        verbose_name = "åtgärd"
        verbose_name_plural = "åtgärder"
        ordering = ["klar_senast", "pk"]
        indexes = [
            models.Index(fields=["vardcentral", "status"], name="atgard_vc_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(klar_senast__gte=models.F("start")),
                name="atgard_datum_ordning",
            ),
        ]

    def __str__(self) -> str:
        return self.beskrivning[:60]

    @property
    def ar_oppen(self) -> bool:
        return self.status in self.OPPNA


class Krav(models.Model):
    """How the region's contract with its vårdcentraler treats a criterion in a round."""

    class Kravniva(models.TextChoices):
        SKA = "ska", "Ska-krav"
        BOR = "bor", "Bör-krav"
        EJ = "ej", "Inget krav"

    omgang = models.ForeignKey(Omgang, on_delete=models.CASCADE, related_name="krav")
    kriterium = models.ForeignKey(Kriterium, on_delete=models.PROTECT, related_name="+")
    kravniva = models.CharField("kravnivå", max_length=3, choices=Kravniva.choices)
    formulering = models.TextField("kravets formulering", blank=True, max_length=4000)
    dokument = models.CharField("dokument", max_length=200, blank=True)
    avsnitt = models.CharField("avsnitt", max_length=100, blank=True)

    history = historik()

    class Meta:
        verbose_name = "krav"
        verbose_name_plural = "krav"
        constraints = [
            models.UniqueConstraint(fields=["omgang", "kriterium"], name="krav_unikt"),
        ]

    def __str__(self) -> str:
        return f"{self.omgang} {self.kriterium.kod}: {self.get_kravniva_display()}"


class Granskningskommentar(models.Model):
    """The planner's comment on one criterion of a submitted self-assessment (the review).

    The verksamhetschef sees it under the criterion when the self-assessment is returned.
    """

    sjalvskattning = models.ForeignKey(
        Sjalvskattning, on_delete=models.CASCADE, related_name="granskningskommentarer"
    )
    kriterium = models.ForeignKey(Kriterium, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("kommentar", max_length=2000)
    skriven_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    andrad = models.DateTimeField("ändrad", auto_now=True)

    class Meta:
        verbose_name = "granskningskommentar"
        verbose_name_plural = "granskningskommentarer"
        constraints = [
            models.UniqueConstraint(
                fields=["sjalvskattning", "kriterium"], name="granskningskommentar_en_per_kriterium"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sjalvskattning}: {self.kriterium.kod}"
