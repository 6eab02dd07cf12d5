"""The national instrument: a målbild version, its themes, criteria and level anchors.

The content lives in ``malbild/data/*.yaml`` and is loaded by ``load_malbild``;
these tables are its read-only mirror. A version that an assessment round has
used is frozen (``last``): the loader refuses to change it, so a result always
means what it meant when it was given.
"""

from django.db import models
from django.urls import reverse

NIVAER = (1, 2, 3, 4)
LAGSTA_NIVA = NIVAER[0]
HOGSTA_NIVA = NIVAER[-1]


class MalbildVersion(models.Model):
    slug = models.SlugField("kortnamn", max_length=40, unique=True)
    titel = models.CharField("titel", max_length=300)
    utgivare = models.CharField("utgivare", max_length=200)
    artikelnummer = models.CharField("artikelnummer", max_length=40)
    publicerad = models.DateField("publicerad")
    skalnamn = models.JSONField("nivåernas namn", default=dict)
    dokument = models.JSONField("källdokument", default=dict)
    last = models.BooleanField(
        "låst",
        default=False,
        help_text="Låst när en bedömningsomgång har använt versionen; ändringar kräver en ny version.",
    )
    innehall_hash = models.CharField("innehållets kontrollsumma", max_length=64, editable=False)
    skapad = models.DateTimeField("skapad", auto_now_add=True)

    class Meta:
        verbose_name = "målbildsversion"
        verbose_name_plural = "målbildsversioner"
        ordering = ["-publicerad", "slug"]

    def __str__(self) -> str:
        return f"{self.utgivare} {self.artikelnummer} ({self.slug})"

    def get_absolute_url(self) -> str:
        return reverse("malbild:malbild_detail", args=[self.slug])

    def niva_namn(self, niva: int) -> str:
        return self.skalnamn.get(str(niva), str(niva))


class Tema(models.Model):
    version = models.ForeignKey(MalbildVersion, on_delete=models.CASCADE, related_name="teman")
    ordning = models.PositiveSmallIntegerField("ordning")
    kod = models.SlugField("kod", max_length=40)
    kortnamn = models.CharField("kortnamn", max_length=200)
    malbild = models.TextField("målbildsformulering")
    forklaring = models.TextField("förklarande text")
    konsensus_procent = models.PositiveSmallIntegerField("konsensus (andel ja-svar, %)")
    kalla = models.JSONField("källa", default=dict)

    class Meta:
        verbose_name = "tema"
        verbose_name_plural = "teman"
        ordering = ["version", "ordning"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kod"], name="tema_unik_kod_per_version"),
            models.UniqueConstraint(
                fields=["version", "ordning"], name="tema_unik_ordning_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordning}. {self.kortnamn}"

    def get_absolute_url(self) -> str:
        return reverse("malbild:tema_detail", args=[self.version.slug, self.kod])


class KriteriumQuerySet(models.QuerySet):
    def for_version(self, version: "MalbildVersion | int") -> "KriteriumQuerySet":
        """The version's criteria in the instrument's order (theme, then criterion).

        The one definition of "the criteria of a version in order"; no query until evaluated.
        """
        version_id = version if isinstance(version, int) else version.pk
        return self.filter(tema__version_id=version_id).order_by("tema__ordning", "ordning")


class Kriterium(models.Model):
    tema = models.ForeignKey(Tema, on_delete=models.CASCADE, related_name="kriterier")
    kod = models.CharField("kod", max_length=10)
    ordning = models.PositiveSmallIntegerField("ordning")
    text = models.TextField("kriterium")
    vagledning = models.TextField("vägledning", blank=True)
    kallor = models.JSONField("källor", default=list)
    ersatter = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ersatt_av",
        verbose_name="ersätter",
        help_text="Kriteriet i en tidigare version som detta ersätter, så att resultat kan jämföras över omgångar.",
    )

    objects = KriteriumQuerySet.as_manager()

    class Meta:
        verbose_name = "kriterium"
        verbose_name_plural = "kriterier"
        ordering = ["tema__ordning", "ordning"]
        constraints = [
            models.UniqueConstraint(fields=["tema", "kod"], name="kriterium_unik_kod_per_tema"),
        ]

    def __str__(self) -> str:
        return f"{self.kod} {self.text}"


class Nivabeskrivning(models.Model):
    kriterium = models.ForeignKey(Kriterium, on_delete=models.CASCADE, related_name="nivaer")
    niva = models.PositiveSmallIntegerField("nivå", choices=[(n, str(n)) for n in NIVAER])
    beskrivning = models.TextField("beskrivning")

    class Meta:
        verbose_name = "nivåbeskrivning"
        verbose_name_plural = "nivåbeskrivningar"
        ordering = ["kriterium", "niva"]
        constraints = [
            models.UniqueConstraint(fields=["kriterium", "niva"], name="nivabeskrivning_unik_niva"),
        ]

    def __str__(self) -> str:
        return f"{self.kriterium.kod} nivå {self.niva}"
