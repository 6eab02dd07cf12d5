"""The national instrument: a målbild version, its themes, criteria and level anchors.

The content lives in ``malbild/data/*.yaml`` and is loaded by ``load_malbild``;
these tables are its read-only mirror. A version that an assessment round has
used is frozen (``last``): the loader refuses to change it, so a result always
means what it meant when it was given.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

NIVAER = (1, 2, 3, 4)
LAGSTA_NIVA = NIVAER[0]
HOGSTA_NIVA = NIVAER[-1]
MANADER = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


class MalbildVersion(models.Model):
    slug = models.SlugField("kortnamn", max_length=40, unique=True)
    nummer = models.PositiveSmallIntegerField(
        "versionsnummer",
        default=1,
        help_text="Instrumentets löpnummer; den högsta är den senaste och används för nya omgångar.",
    )
    titel = models.CharField("titel", max_length=300)
    utgivare = models.CharField("utgivare", max_length=200)
    artikelnummer = models.CharField("artikelnummer", max_length=40)
    publicerad = models.DateField("publicerad")
    skalnamn = models.JSONField("nivåernas namn", default=dict)
    skalkallor = models.JSONField(
        "källor för skalan",
        default=list,
        blank=True,
        help_text="Citat som skalans formuleringar (t.ex. nivå 4:s ”följs upp”) vilar på.",
    )
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
        ordering = ["-nummer", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["nummer"], name="malbildversion_unikt_nummer"),
        ]

    def __str__(self) -> str:
        return f"{self.utgivare} {self.artikelnummer}, version {self.nummer}"

    def get_absolute_url(self) -> str:
        return reverse("malbild:malbild_detail", args=[self.slug])

    @property
    def publicerad_text(self) -> str:
        """The document gives only month and year ("november 2024"), so no day is shown."""
        return f"{MANADER[self.publicerad.month - 1]} {self.publicerad.year}"

    def niva_namn(self, niva: int) -> str:
        return self.skalnamn.get(str(niva), str(niva))


class Tema(models.Model):
    version = models.ForeignKey(MalbildVersion, on_delete=models.CASCADE, related_name="teman")
    ordning = models.PositiveSmallIntegerField("ordning")
    kod = models.SlugField("kod", max_length=40)
    kortnamn = models.CharField("kortnamn", max_length=200)
    malbild = models.TextField("målbildsformulering")
    forklaring = models.TextField("förklarande text")
    konsensus_procent = models.PositiveSmallIntegerField(
        "konsensus (andel av de svarande regionerna, %)"
    )
    konsensus_not = models.TextField(
        "not till konsensusandelen",
        blank=True,
        help_text="Socialstyrelsens egen not i Tabell 1, t.ex. att formuleringen ändrades efter remissen.",
    )
    forklaring_utdrag = models.BooleanField(
        "förklarande text är ett utdrag",
        default=True,
        help_text="Sant när temasidan visar bara en del av Socialstyrelsens förklarande text.",
    )
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
    andring = models.TextField(
        "ändring",
        blank=True,
        help_text="Vad som ändrats mot kriteriet det ersätter; tomt när det är oförändrat.",
    )
    tolkning = models.TextField(
        "verktygets tolkning",
        blank=True,
        help_text="Var källans ”kan” eller ”till exempel” har blivit ett bedömt krav, eller en annan källa än Socialstyrelsen bär kravet.",
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

    def som_krav(self, verb: str) -> str:
        """The criterion as a requirement sentence with "ska" or "bör" (``krav_mening``)."""
        return krav_mening(self.text, verb)


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


class Exempel(models.Model):
    """A practice example ("Så har andra gjort"): what was done, where, for which criteria.

    Examples from the source documents are loaded from ``malbild/data/exempel_*.yaml``
    (``ursprung=kalla``, no region) and quote their source exactly. A planner can add
    the region's own examples (``ursprung=region``); those are shown to that region only.
    """

    class Ursprung(models.TextChoices):
        KALLA = "kalla", "Ur källdokumenten"
        REGION = "region", "Regionens eget exempel"

    slug = models.SlugField("kortnamn", max_length=80, unique=True)
    titel = models.CharField("rubrik", max_length=200)
    plats = models.CharField("var", max_length=200)
    beskrivning = models.TextField("vad de gjorde")
    resultat = models.TextField("resultat", blank=True)
    kallor = models.JSONField(
        "källor",
        default=list,
        blank=True,
        help_text="Källor med dokument, avsnitt och ordagrant citat (tomt för regionens egna exempel).",
    )
    kriterier = models.ManyToManyField(Kriterium, related_name="exempel", verbose_name="kriterier")
    ursprung = models.CharField(
        "ursprung", max_length=10, choices=Ursprung.choices, default=Ursprung.KALLA
    )
    region = models.ForeignKey(
        "vardcentraler.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exempel",
        verbose_name="region",
    )
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="skapad av",
    )
    biblioteksversion = models.CharField("biblioteksversion", max_length=40, blank=True)
    skapad = models.DateTimeField("skapad", auto_now_add=True)

    class Meta:
        verbose_name = "exempel"
        verbose_name_plural = "exempel"
        ordering = ["titel"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ursprung="kalla", region__isnull=True)
                | models.Q(ursprung="region", region__isnull=False),
                name="exempel_region_endast_for_egna",
            ),
        ]

    def __str__(self) -> str:
        return self.titel


# The criteria say what a vårdcentral does, in the present tense ("Vårdcentralen erbjuder
# …"); a requirement needs the infinitive after "ska"/"bör" ("Vårdcentralen ska erbjuda …").
INFINITIV = {"ger": "ge", "har": "ha", "tar": "ta", "gör": "göra", "är": "vara", "får": "få"}


def _infinitiv(verb: str) -> str:
    if verb in INFINITIV:
        return INFINITIV[verb]
    if verb.endswith("ar"):  # samarbetar → samarbeta, informerar → informera
        return verb[:-1]
    if verb.endswith("er"):  # erbjuder → erbjuda, använder → använda
        return verb[:-2] + "a"
    return verb


def krav_mening(text: str, verb: str) -> str:
    """A criterion's text as a requirement on the vårdcentral: "ska"/"bör" + infinitive.

    "Vårdcentralen erbjuder stöd …" → "Vårdcentralen ska erbjuda stöd …"; a criterion
    with another subject ("Psykologen deltar i …") becomes "Vårdcentralen ska
    säkerställa att psykologen deltar i …".
    """
    text = text.strip().rstrip(".")
    forsta, _, rest = text.partition(" ")
    if forsta == "Vårdcentralen" and rest:
        predikat, _, resten = rest.partition(" ")
        return f"Vårdcentralen {verb} {_infinitiv(predikat)} {resten}".rstrip() + "."
    if not forsta.isupper():  # keep acronyms (BUP, KBT) as they are
        text = text[0].lower() + text[1:]
    return f"Vårdcentralen {verb} säkerställa att {text}."
