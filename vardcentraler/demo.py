"""Clearly fictional demo data at demo or national scale.

Nothing here resembles a real unit: names are "Demo vårdcentral …", HSA-ids carry the
organisation-number prefix SE23210000<region code> and the suffix DEMO<nnnn>. The kommuner
and regions are the real ones (from the reference data), so the spread looks like Sweden.

What is made, per region: vårdcentraler spread over its kommuner roughly by population,
three rounds ("2024", "2025" closed, "2026" open) with target levels that step up, one
self-assessment per unit and round with answers drawn from a latent model (unit capacity +
theme effect + criterion effect + persistent noise, improving unevenly over the rounds),
actions for gaps in every status (some overdue) and a few contract requirements per round.

Deterministic from ``seed``: every region and unit draws from its own random stream, so
the same seed gives the same rows. Idempotent: when the planned demo units and the demo
rounds are already there nothing is written; otherwise the demo rows (and only those) are
removed and rebuilt. Everything is built in memory first and written with bulk_create in
one transaction; bulk_create writes no history rows, which is right for generated data.
"""

import contextlib
import datetime as dt
import math
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from malbild.models import HOGSTA_NIVA, LAGSTA_NIVA, Kriterium, MalbildVersion
from malbild.selectors import malbild_version_senaste
from malbild.services import malbild_version_lock

from .models import (
    Atgard,
    Kommun,
    Krav,
    Malniva,
    Omgang,
    Profil,
    Region,
    Sjalvskattning,
    Svar,
    Vardcentral,
)
from .referensdata import kommun_rows

DEMO_LOSENORD = "malbild-demo"
DEMO_REGION_KOD = "01"  # Region Stockholm
DEMO_HSA_MARKOR = "-DEMO"

# Units per region at national scale (≈ 1 200, roughly by population; sparse regions
# have more units per inhabitant, as in reality).
ANTAL_NATIONELLT = {
    "01": 230,
    "03": 50,
    "04": 35,
    "05": 50,
    "06": 45,
    "07": 30,
    "08": 36,
    "09": 7,
    "10": 20,
    "12": 157,
    "13": 50,
    "14": 205,
    "17": 35,
    "18": 30,
    "19": 30,
    "20": 30,
    "21": 30,
    "22": 30,
    "23": 28,
    "24": 40,
    "25": 32,
}
SKALOR = ("demo", "national")

# Population in thousands (2024, rounded) of the larger kommuner; the rest count as 10.
# Only used to weight where units are placed.
KOMMUN_INVANARE = {
    "Stockholm": 990,
    "Göteborg": 600,
    "Malmö": 360,
    "Uppsala": 245,
    "Linköping": 167,
    "Örebro": 160,
    "Västerås": 160,
    "Helsingborg": 152,
    "Jönköping": 146,
    "Norrköping": 145,
    "Umeå": 132,
    "Lund": 128,
    "Huddinge": 115,
    "Borås": 115,
    "Nacka": 110,
    "Eskilstuna": 107,
    "Halmstad": 105,
    "Gävle": 103,
    "Södertälje": 102,
    "Sundsvall": 100,
    "Växjö": 97,
    "Karlstad": 96,
    "Botkyrka": 96,
    "Haninge": 96,
    "Kristianstad": 86,
    "Kungsbacka": 86,
    "Solna": 85,
    "Järfälla": 85,
    "Luleå": 80,
    "Skellefteå": 77,
    "Sollentuna": 75,
    "Täby": 75,
    "Kalmar": 72,
    "Mölndal": 70,
    "Varberg": 67,
    "Karlskrona": 67,
    "Norrtälje": 63,
    "Gotland": 61,
    "Trollhättan": 60,
    "Falun": 60,
    "Nyköping": 57,
    "Skövde": 57,
    "Uddevalla": 57,
    "Örnsköldsvik": 56,
    "Sundbyberg": 55,
    "Hässleholm": 53,
    "Borlänge": 52,
    "Sigtuna": 50,
    "Tyresö": 49,
    "Upplands Väsby": 48,
    "Lidingö": 48,
    "Kungälv": 48,
    "Enköping": 47,
    "Falkenberg": 47,
    "Österåker": 47,
    "Värmdö": 46,
    "Landskrona": 46,
    "Trelleborg": 46,
    "Lerum": 44,
    "Motala": 44,
    "Ängelholm": 43,
    "Piteå": 42,
    "Alingsås": 42,
    "Östersund": 65,
    "Lidköping": 40,
    "Sandviken": 40,
    "Vänersborg": 40,
    "Karlskoga": 30,
    "Kristinehamn": 24,
    "Boden": 28,
    "Kiruna": 22,
    "Gällivare": 17,
    "Mora": 20,
    "Ludvika": 26,
    "Hudiksvall": 37,
    "Söderhamn": 25,
    "Bollnäs": 26,
    "Västervik": 36,
    "Oskarshamn": 27,
    "Värnamo": 35,
    "Nässjö": 31,
    "Ljungby": 28,
    "Karlshamn": 32,
    "Ronneby": 29,
    "Härnösand": 25,
    "Kumla": 22,
    "Köping": 27,
    "Strängnäs": 38,
    "Katrineholm": 34,
    "Mjölby": 28,
    "Arvika": 26,
    "Eslöv": 35,
    "Ystad": 31,
    "Höganäs": 28,
    "Vellinge": 37,
    "Kävlinge": 33,
    "Staffanstorp": 27,
    "Burlöv": 20,
    "Lomma": 26,
    "Härryda": 39,
    "Partille": 40,
    "Stenungsund": 28,
    "Falköping": 33,
    "Mark": 35,
    "Ulricehamn": 25,
    "Mariestad": 24,
}

FORLEDER = [
    "Lärkan",
    "Linden",
    "Eken",
    "Björken",
    "Rönnen",
    "Tranan",
    "Svalan",
    "Hägern",
    "Vitsippan",
    "Blåklockan",
    "Kastanjen",
    "Måsen",
    "Ugglan",
    "Enen",
    "Tallen",
    "Aspen",
    "Näktergalen",
    "Sjöstjärnan",
    "Fyren",
    "Bryggan",
    "Ängen",
    "Kvarnen",
    "Torget",
    "Hamnen",
    "Källan",
    "Dalen",
    "Backen",
    "Udden",
    "Holmen",
    "Strand",
    "Granen",
    "Lönnen",
    "Almen",
    "Hasseln",
    "Videt",
    "Syrenen",
    "Flädern",
    "Nyponet",
    "Hjortronet",
    "Lingonet",
    "Blåbäret",
    "Vallmon",
    "Prästkragen",
    "Kornblixten",
    "Liljan",
    "Vassen",
    "Näckrosen",
    "Bäcken",
    "Forsen",
    "Åsen",
    "Kullen",
    "Gläntan",
    "Lunden",
    "Hagen",
    "Tegen",
    "Gärdet",
    "Stigen",
    "Bron",
    "Slussen",
    "Tornet",
    "Gården",
    "Parken",
    "Vinden",
    "Stjärnan",
    "Solrosen",
    "Ekorren",
    "Haren",
    "Räven",
    "Lodjuret",
    "Älgen",
    "Tjädern",
    "Orren",
    "Svanen",
    "Storken",
    "Sparven",
    "Staren",
    "Trasten",
    "Siskan",
    "Domherren",
    "Mesen",
    "Vågen",
    "Skären",
    "Viken",
    "Näset",
    "Berget",
    "Myren",
    "Heden",
    "Lövet",
    "Mossen",
    "Sjön",
    "Ådran",
    "Ankaret",
    "Seglet",
    "Kompassen",
    "Fjärden",
    "Sundet",
    "Ljungen",
    "Klövern",
    "Smultronet",
    "Hallonet",
]

# Theme effects on the latent level, by theme order (1–6): psychologist access and
# somatic follow-up lag behind, as the målbild itself describes.
TEMA_EFFEKT = {1: 0.35, 2: 0.1, 3: -0.05, 4: 0.3, 5: -0.35, 6: -0.45}
TEMA_PSYKOLOG = 5
TEMA_SOMATIK = 6

OMGANGAR = (
    # name, period start, period end, last day, status
    ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 10, 31), "stangd"),
    ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2025, 10, 31), "stangd"),
    ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 11), "oppen"),
)
OMGANG_NAMN = tuple(o[0] for o in OMGANGAR)

S = Sjalvskattning.Status
STATUS_STANGD = [(S.GODKAND, 0.88), (S.INSKICKAD, 0.05), (S.ATERSAND, 0.02), (S.PAGAR, 0.03)]
STATUS_STANGD.append((S.EJ_PABORJAD, 1 - sum(p for _, p in STATUS_STANGD)))
STATUS_AKTUELL = [
    (S.EJ_PABORJAD, 0.12),
    (S.PAGAR, 0.33),
    (S.INSKICKAD, 0.22),
    (S.ATERSAND, 0.06),
    (S.GODKAND, 0.27),
]
A = Atgard.Status
ATGARD_STATUS = {  # by the round the action was added in
    "2024": [(A.KLAR, 0.72), (A.AVBRUTEN, 0.18), (A.PAGAR, 0.07), (A.PLANERAD, 0.03)],
    "2025": [(A.KLAR, 0.48), (A.PAGAR, 0.3), (A.PLANERAD, 0.12), (A.AVBRUTEN, 0.1)],
    "2026": [(A.PLANERAD, 0.55), (A.PAGAR, 0.38), (A.KLAR, 0.05), (A.AVBRUTEN, 0.02)],
}

MOTIVERING = {
    1: [
        "Arbetssätt saknas i dag. Frågan ska tas upp på nästa APT.",
        "Vi har inte kommit igång; bemanningen har prioriterats.",
        "Finns inte beskrivet. Enstaka medarbetare gör det på eget initiativ.",
        "Saknas, vi behöver stöd från regionen för att komma vidare.",
    ],
    2: [
        "Påbörjat under året, rutin under framtagande.",
        "Arbetssättet finns men används inte av alla yrkesgrupper än.",
        "En arbetsgrupp är tillsatt; utkast till rutin finns.",
        "Delvis infört, främst på dagtid och för vuxna.",
    ],
    3: [
        "Rutin finns i ledningssystemet och används i det dagliga arbetet.",
        "Infört för alla patientgrupper sedan våren.",
        "Fungerar väl, följs upp på teamträffar.",
        "Infört; utbildning av nyanställda ingår i introduktionen.",
    ],
    4: [
        "Infört och följs upp med mätningar varje kvartal.",
        "Etablerat arbetssätt som utvärderas och förbättras löpande.",
        "Följs upp systematiskt i kvalitetsregister och på ledningsgrupp.",
    ],
    "vet_ej": [
        "Osäkert hur det fungerar i praktiken, behöver stämmas av med MAL.",
        "Uppgift saknas, vi har ingen mätning av detta.",
        "Oklart efter byte av verksamhetschef, återkommer.",
    ],
    "ej_tillampligt": [
        "Enheten saknar egen psykologtjänst; insatsen köps från grannenhet.",
        "Ej aktuellt för vår patientgrupp enligt avtal med regionen.",
    ],
}
UNDERLAG = [
    "Rutin i ledningssystemet",
    "Journalgranskning av 20 journaler",
    "Verksamhetsplan 2025",
    "Protokoll från APT",
    "Uppföljning i Primärvårdskvalitet",
    "Schema och bemanningsplan",
    "Patientenkät våren",
]
ATGARD_TEXT = {
    1: [
        "Ta fram en beskrivning av utbudet vid psykisk ohälsa och publicera den på 1177.",
        "Inför gemensam screening för psykisk ohälsa vid somatiska besök.",
        "Ta fram rutin för stöd till närstående.",
    ],
    2: [
        "Beskriv modellen för stegvis vård och förankra den i hela teamet.",
        "Inför lågintensiva insatser och digitalt stöd som första steg.",
        "Ta fram kliniska spår med brådskandegrad per patientgrupp.",
    ],
    3: [
        "Inför veckovisa teamträffar med läkare, psykolog, kurator och sjuksköterska.",
        "Utse vårdkoordinator för patienter med psykisk ohälsa.",
        "Skapa gemensam struktur för teambaserad vårdplanering.",
    ],
    4: [
        "Utbilda all personal i bemötande vid psykisk ohälsa.",
        "Genomför utbildning i suicidriskbedömning för läkare och sjuksköterskor.",
        "Inför kollegial handledning i samtalsmetodik.",
    ],
    5: [
        "Rekrytera psykolog, minst 0,5 tjänst.",
        "Avtala om psykologtid med grannvårdcentral.",
        "Inför psykologisk behandling via videobesök.",
    ],
    6: [
        "Inför årlig hälsokontroll för patienter med psykisk funktionsnedsättning.",
        "Ta fram rutin för uppföljning av metabola biverkningar vid antipsykotika.",
        "Samverka med psykiatrin om somatisk uppföljning.",
    ],
}
ANSVARIGA = [
    "Verksamhetschef",
    "Medicinskt ansvarig läkare",
    "Kurator",
    "Psykolog",
    "Distriktssköterska, team psykisk hälsa",
    "Vårdkoordinator",
    "Biträdande verksamhetschef",
]


def hsa_id_demo(region_kod: str, nummer: int) -> str:
    return f"SE23210000{region_kod}{DEMO_HSA_MARKOR}{nummer:04d}"


def listade_patienter_slump(rng: random.Random, *, kommun_tusental: float = 10) -> int:
    """Listed patients: skewed like the real spread, from under 1,000 to over 30,000.

    Units in small kommuner are smaller; the median is about 8,000 in towns.
    """
    if kommun_tusental <= 10 and rng.random() < 0.05:
        return rng.randint(650, 2200)  # a small unit in a sparsely populated kommun
    mu = 8.55 + 0.12 * math.log(max(kommun_tusental, 2))
    return int(min(max(rng.lognormvariate(mu, 0.62), 600), 34000))


def antal_per_region(scale: str) -> dict[str, int]:
    """Units per region: national ≈ 1 200; demo 25 in Stockholm and 6–10 elsewhere."""
    if scale == "national":
        return dict(ANTAL_NATIONELLT)
    if scale == "demo":
        return {
            kod: 25 if kod == DEMO_REGION_KOD else min(max(round(n / 15), 6), 10)
            for kod, n in ANTAL_NATIONELLT.items()
        }
    raise ValueError(f"Okänd skala: {scale}")


@dataclass(frozen=True)
class Enhetsplan:
    hsa_id: str
    namn: str
    region_kod: str
    kommun_kod: str
    driftsform: str
    listade_patienter: int


def _vikt(namn: str) -> float:
    return KOMMUN_INVANARE.get(namn, 10)


def _privat_andel(region_kod: str, kommun_tusental: float) -> float:
    bas = {"01": 0.55, "12": 0.45, "14": 0.42}.get(region_kod)
    if bas is None:
        bas = 0.15 if region_kod in ("22", "23", "24", "25") else 0.3
    # Private units cluster in the larger towns.
    return min(bas + 0.06 * math.log10(max(kommun_tusental, 1) / 10), 0.85)


def vardcentraler_plan(*, scale: str, seed: int) -> list[Enhetsplan]:
    """The demo units to exist, in HSA-id order. Pure: reads only the reference CSV."""
    kommuner: dict[str, list[tuple[str, str]]] = {}
    for row in kommun_rows():
        kommuner.setdefault(row["county_code"], []).append(
            (row["municipality_code"], row["municipality_name_short"])
        )
    planer = []
    for region_kod, antal in sorted(antal_per_region(scale).items()):
        rng = random.Random(f"vc-{seed}-{region_kod}")
        region_kommuner = sorted(kommuner[region_kod])
        vikter = [_vikt(namn) for _, namn in region_kommuner]
        if antal >= len(region_kommuner):
            # Every kommun has a vårdcentral; the rest go where people live.
            val = list(region_kommuner)
            val += rng.choices(region_kommuner, weights=vikter, k=antal - len(val))
        else:
            val = rng.choices(region_kommuner, weights=vikter, k=antal)
        rng.shuffle(val)
        anvanda: dict[str, int] = {}
        for nummer, (kommun_kod, kommun_namn) in enumerate(val, start=1):
            i = anvanda.get(kommun_kod, 0)
            anvanda[kommun_kod] = i + 1
            forled = FORLEDER[(i * 7 + int(kommun_kod)) % len(FORLEDER)]
            varv = i // len(FORLEDER)
            namn = f"Demo vårdcentral {forled}{f' {varv + 1}' if varv else ''} {kommun_namn}"
            tusental = _vikt(kommun_namn)
            privat = rng.random() < _privat_andel(region_kod, tusental)
            listade = listade_patienter_slump(rng, kommun_tusental=tusental)
            if privat:
                listade = int(listade * 0.85)
            planer.append(
                Enhetsplan(
                    hsa_id=hsa_id_demo(region_kod, nummer),
                    namn=namn,
                    region_kod=region_kod,
                    kommun_kod=kommun_kod,
                    driftsform=(
                        Vardcentral.Driftsform.PRIVAT if privat else Vardcentral.Driftsform.REGIONAL
                    ),
                    listade_patienter=max(listade, 600),
                )
            )
    return planer


def vardcentraler_demo_create(*, per_region: int, seed: int = 2024) -> list[Vardcentral]:
    """Only units, ``per_region`` in every region, without rounds (for tests that need few).

    The full demo (rounds, answers, actions) is ``demodata_create``.
    """
    rng = random.Random(seed)
    skapade = []
    kommuner_per_region: dict[int, list[Kommun]] = {}
    for kommun in Kommun.objects.order_by("kod"):
        kommuner_per_region.setdefault(kommun.region_id, []).append(kommun)
    befintliga = set(Vardcentral.objects.values_list("hsa_id", flat=True))
    nya = []
    for region in Region.objects.order_by("kod"):
        kommuner = kommuner_per_region[region.pk]
        for nummer in range(1, per_region + 1):
            # The first kommun (often the largest town) gets more units, as in reality.
            kommun = kommuner[0] if rng.random() < 0.3 else rng.choice(kommuner)
            forled = FORLEDER[(nummer - 1) % len(FORLEDER)]
            omgang = (nummer - 1) // len(FORLEDER)
            namn = (
                f"Demo vårdcentral {forled}{' ' + str(omgang + 1) if omgang else ''} {kommun.namn}"
            )
            driftsform = (
                Vardcentral.Driftsform.PRIVAT
                if rng.random() < (0.55 if region.kod in ("01", "12", "14") else 0.3)
                else Vardcentral.Driftsform.REGIONAL
            )
            listade = listade_patienter_slump(rng)
            hsa_id = hsa_id_demo(region.kod, nummer)
            if hsa_id in befintliga:
                continue
            nya.append(
                Vardcentral(
                    hsa_id=hsa_id,
                    namn=namn,
                    region=region,
                    kommun=kommun,
                    driftsform=driftsform,
                    listade_patienter=listade,
                )
            )
    skapade = Vardcentral.objects.bulk_create(nya, batch_size=500)
    return skapade


def _valj(rng: random.Random, fordelning) -> str:
    x = rng.random()
    for varde, p in fordelning:
        x -= p
        if x < 0:
            return varde
    return fordelning[-1][0]


def _tid(rng: random.Random, fran: dt.date, till: dt.date, nu: dt.datetime) -> dt.datetime:
    """A working-hours moment between two dates, never in the future."""
    dagar = max((till - fran).days, 0)
    dag = fran + dt.timedelta(days=rng.randint(0, dagar))
    t = timezone.make_aware(
        dt.datetime.combine(dag, dt.time(rng.randint(8, 16), rng.randint(0, 59)))
    )
    return min(t, nu - dt.timedelta(hours=1))


def _halvar(ar: int, halva: int) -> tuple[dt.date, dt.date]:
    if halva == 1:
        return dt.date(ar, 1, 1), dt.date(ar, 6, 30)
    return dt.date(ar, 7, 1), dt.date(ar, 12, 31)


@contextlib.contextmanager
def _egna_tidsstamplar(*modell_falt: tuple[type[models.Model], str]):
    """Let bulk_create keep the timestamps we set instead of auto_now/auto_now_add."""
    sparade = []
    for modell, namn in modell_falt:
        f = modell._meta.get_field(namn)
        sparade.append((f, f.auto_now, f.auto_now_add))
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in sparade:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@dataclass
class Resultat:
    vardcentraler: int = 0
    omgangar: int = 0
    sjalvskattningar: int = 0
    svar: int = 0
    atgarder: int = 0
    krav: int = 0
    malnivaer: int = 0
    borttagna_vardcentraler: int = 0
    oforandrat: bool = False
    antal: dict = field(default_factory=dict)


def _demo_vardcentraler() -> models.QuerySet:
    return Vardcentral.objects.filter(hsa_id__contains=DEMO_HSA_MARKOR)


def _raw_delete(qs: models.QuerySet) -> int:
    """Delete without loading rows or sending signals (no history rows for generated data)."""
    return qs._raw_delete(qs.db)


def demodata_delete() -> int:
    """Remove demo units and everything generated for them; never touches other data.

    A demo round ("2024"–"2026") that holds assessments or actions of a non-demo unit is
    kept, and so are its targets and requirements. Returns the number of units removed.
    """
    demo_vc = _demo_vardcentraler()
    sjalv = Sjalvskattning.objects.filter(vardcentral__in=demo_vc)
    _raw_delete(Svar.objects.filter(sjalvskattning__in=sjalv))
    _raw_delete(Atgard.objects.filter(vardcentral__in=demo_vc))
    _raw_delete(sjalv)
    tomma = (
        Omgang.objects.filter(namn__in=OMGANG_NAMN)
        .exclude(pk__in=Sjalvskattning.objects.values("omgang"))
        .exclude(pk__in=Atgard.objects.values("omgang"))
    )
    _raw_delete(Malniva.objects.filter(omgang__in=tomma))
    _raw_delete(Krav.objects.filter(omgang__in=tomma))
    _raw_delete(tomma)
    _raw_delete(Profil.vardcentraler.through.objects.filter(vardcentral__in=demo_vc))
    return _raw_delete(demo_vc)


def _ar_oforandrat(planer: list[Enhetsplan]) -> bool:
    """True when the planned units (same seed and scale) and their rounds are all there."""
    befintliga = set(
        _demo_vardcentraler().values_list(
            "hsa_id", "namn", "kommun__kod", "driftsform", "listade_patienter"
        )
    )
    planerade = {
        (p.hsa_id, p.namn, p.kommun_kod, p.driftsform, p.listade_patienter) for p in planer
    }
    if befintliga != planerade:
        return False
    regioner = {p.region_kod for p in planer}
    omgangar = set(
        Omgang.objects.filter(namn__in=OMGANG_NAMN, region__kod__in=regioner).values_list(
            "region__kod", "namn"
        )
    )
    return omgangar == {(r, n) for r in regioner for n in OMGANG_NAMN}


class _Bygge:
    """Builds every row in memory, then writes them in large batches."""

    BATCH = 2000

    def __init__(self, *, seed: int, version: MalbildVersion, nu: dt.datetime):
        self.seed = seed
        self.version = version
        self.nu = nu
        self.idag = timezone.localdate(nu)
        kriterier = list(Kriterium.objects.for_version(version).select_related("tema"))
        self.kriterier = kriterier
        rng = random.Random(f"kriterier-{seed}")
        self.krit_effekt = {k.pk: rng.gauss(0, 0.25) for k in kriterier}

    def malnivaer(self, region: Region, omgangar: list[Omgang]) -> dict[tuple[int, int], int]:
        """Targets step up over the rounds: mostly 3 in 2024, more 4s by 2026."""
        rng = random.Random(f"mal-{self.seed}-{region.kod}")
        mal: dict[tuple[int, int], int] = {}
        for k in self.kriterier:
            svar_tema = k.tema.ordning in (TEMA_PSYKOLOG, TEMA_SOMATIK)
            niva = 2 if svar_tema and rng.random() < 0.6 else 3
            for i, omgang in enumerate(omgangar):
                if i and rng.random() < (0.45 if i == 1 else 0.55):
                    niva = min(niva + 1, HOGSTA_NIVA)
                mal[(omgang.pk, k.pk)] = niva
        return mal

    def region_rader(self, region: Region, enheter: list[Vardcentral], omgangar: list[Omgang]):
        mal = self.malnivaer(region, omgangar)
        malnivaer = [Malniva(omgang_id=o, kriterium_id=k, niva=n) for (o, k), n in mal.items()]
        krav = self.krav(region, omgangar)
        region_effekt = random.Random(f"reg-{self.seed}-{region.kod}").gauss(0, 0.3)
        sjalv_svar = []  # (Sjalvskattning, [Svar])
        atgarder = []
        for vc in enheter:
            s, a = self.enhet_rader(vc, omgangar, mal, region_effekt)
            sjalv_svar.extend(s)
            atgarder.extend(a)
        return malnivaer, krav, sjalv_svar, atgarder

    def krav(self, region: Region, omgangar: list[Omgang]) -> list[Krav]:
        rng = random.Random(f"krav-{self.seed}-{region.kod}")
        valda = rng.sample(self.kriterier, k=min(len(self.kriterier), rng.randint(6, 10)))
        rader = []
        for i, omgang in enumerate(omgangar):
            ar = omgang.namn
            for k in valda:
                p_ska = 0.25 + 0.12 * i
                x = rng.random()
                kravniva = (
                    Krav.Kravniva.SKA
                    if x < p_ska
                    else Krav.Kravniva.BOR
                    if x < p_ska + 0.45
                    else Krav.Kravniva.EJ
                )
                verb = {"ska": "ska", "bor": "bör", "ej": ""}[kravniva]
                text = k.text.removeprefix("Vårdcentralen ").rstrip(".")
                formulering = f"Vårdcentralen {verb} {text[0].lower()}{text[1:]}." if verb else ""
                rader.append(
                    Krav(
                        omgang=omgang,
                        kriterium=k,
                        kravniva=kravniva,
                        formulering=formulering,
                        dokument=(
                            f"Förfrågningsunderlag vårdval {region.namn} {ar}"
                            if region.kod != "14"
                            else f"Krav- och kvalitetsbok VG Primärvård {ar}"
                        ),
                        avsnitt=f"{rng.randint(3, 6)}.{k.tema.ordning}.{k.ordning}",
                    )
                )
        return rader

    def enhet_rader(self, vc: Vardcentral, omgangar, mal, region_effekt):
        rng = random.Random(f"enhet-{self.seed}-{vc.hsa_id}")
        storlek = math.log(vc.listade_patienter / 8000)
        kapacitet = rng.gauss(0, 0.55) + region_effekt + 0.15 * storlek
        tema_enhet = {t: rng.gauss(0, 0.35) for t in TEMA_EFFEKT}
        osakerhet = rng.lognormvariate(0, 0.5)  # some units answer "vet ej" more often
        # Progress per round: most improve, unevenly; some drop.
        steg1 = rng.gauss(0.35, 0.35)
        framsteg = [0.0, steg1, steg1 + rng.gauss(0.3, 0.35)]
        residual = {k.pk: rng.gauss(0, 0.45) for k in self.kriterier}
        liten = vc.listade_patienter < 5000
        rader = []
        atgarder = []
        oppna: dict[int, Atgard] = {}
        for i, omgang in enumerate(omgangar):
            namn, start, slut, sista, _ = OMGANGAR[i]
            status = _valj(rng, STATUS_AKTUELL if omgang.status == "oppen" else STATUS_STANGD)
            sjalv = Sjalvskattning(omgang=omgang, vardcentral=vc, status=status)
            svar: list[Svar] = []
            if status != S.EJ_PABORJAD:
                andel = rng.uniform(0.2, 0.9) if status == S.PAGAR else 1.0
                oppnad = start + dt.timedelta(days=rng.randint(20, 120))
                sista_svar = min(sista - dt.timedelta(days=rng.randint(0, 40)), self.idag)
                for k in self.kriterier:
                    if i:  # persistent per criterion, partly renewed each round
                        residual[k.pk] = 0.5 * residual[k.pk] + rng.gauss(0, 0.35)
                    if andel < 1 and rng.random() > andel:
                        continue
                    tema = k.tema.ordning
                    p_vet_ej = 0.035 * osakerhet + (0.015, 0.0, -0.01)[i]
                    if tema == TEMA_SOMATIK:
                        p_vet_ej += 0.06
                    if tema == TEMA_PSYKOLOG and liten:
                        p_vet_ej += 0.08
                    p_ej_till = 0.004 + (0.07 if tema == TEMA_PSYKOLOG and liten else 0)
                    x = rng.random()
                    if x < p_ej_till:
                        typ, niva = Svar.Typ.EJ_TILLAMPLIGT, None
                    elif x < p_ej_till + max(p_vet_ej, 0.005):
                        typ, niva = Svar.Typ.VET_EJ, None
                    else:
                        latent = (
                            2.25
                            + kapacitet
                            + TEMA_EFFEKT[tema]
                            + tema_enhet[tema]
                            + self.krit_effekt[k.pk]
                            + framsteg[i]
                            + residual[k.pk]
                            + (0.4 * storlek if tema == TEMA_PSYKOLOG else 0)
                        )
                        typ = Svar.Typ.NIVA
                        niva = min(max(round(latent), LAGSTA_NIVA), HOGSTA_NIVA)
                    nyckel = niva if typ == Svar.Typ.NIVA else typ.value
                    motivering = rng.choice(MOTIVERING[nyckel]) if rng.random() < 0.75 else ""
                    underlag = (
                        rng.choice(UNDERLAG) if niva and niva >= 2 and rng.random() < 0.4 else ""
                    )
                    svar.append(
                        Svar(
                            kriterium=k,
                            typ=typ,
                            niva=niva,
                            motivering=motivering,
                            underlag=underlag,
                            version=rng.randint(1, 3),
                            andrad=_tid(rng, oppnad, sista_svar, self.nu),
                        )
                    )
                sjalv.senast_andrad = max((s.andrad for s in svar), default=None)
                if status in (S.INSKICKAD, S.GODKAND, S.ATERSAND):
                    sjalv.inskickad = sjalv.senast_andrad + dt.timedelta(hours=rng.randint(1, 72))
                    sjalv.inskickad = min(sjalv.inskickad, self.nu - dt.timedelta(minutes=30))
                if status == S.GODKAND:
                    sjalv.godkand = min(
                        sjalv.inskickad + dt.timedelta(days=rng.randint(2, 30)),
                        self.nu - dt.timedelta(minutes=10),
                    )
                if status == S.ATERSAND:
                    sjalv.kommentar = rng.choice(
                        [
                            "Motivering saknas för flera kriterier i tema 3, komplettera.",
                            "Nivå 4 på 5.2 behöver underlag, vänligen bifoga.",
                            "Många vet ej-svar; stäm av med MAL och skicka in igen.",
                        ]
                    )
            rader.append((sjalv, svar))
            atgarder.extend(self.atgarder(rng, vc, omgang, i, svar, mal, oppna))
        return rader, atgarder

    def atgarder(self, rng, vc, omgang, i, svar, mal, oppna) -> list[Atgard]:
        """Actions for some of the gaps; an open action on a criterion carries over."""
        gap = [
            s
            for s in svar
            if s.typ == Svar.Typ.NIVA
            and s.niva < mal[(omgang.pk, s.kriterium.pk)]
            and s.kriterium.pk not in oppna
        ]
        if not gap:
            return []
        gap.sort(key=lambda s: (s.niva - mal[(omgang.pk, s.kriterium.pk)], rng.random()))
        antal = min(len(gap), rng.randint(1, 5))
        ar = int(omgang.namn)
        nya = []
        for s in gap[:antal]:
            status = _valj(rng, ATGARD_STATUS[omgang.namn])
            start, _ = _halvar(ar, rng.choice((1, 2)))
            _, klar_senast = _halvar(start.year + rng.randint(0, 1), rng.choice((1, 2)))
            if klar_senast < start:
                klar_senast = _halvar(start.year, 2)[1]
            skapad = _tid(rng, dt.date(ar, 2, 1), dt.date(ar, 11, 30), self.nu)
            andrad = _tid(rng, skapad.date(), self.idag, self.nu)
            a = Atgard(
                vardcentral=vc,
                kriterium=s.kriterium,
                omgang=omgang,
                beskrivning=rng.choice(ATGARD_TEXT[s.kriterium.tema.ordning]),
                ansvarig=rng.choice(ANSVARIGA),
                start=start,
                klar_senast=klar_senast,
                status=status,
                mal_niva=min(max(s.niva + 1, mal[(omgang.pk, s.kriterium.pk)]), HOGSTA_NIVA),
                skapad=skapad,
                andrad=max(andrad, skapad),
            )
            if a.ar_oppen:
                oppna[s.kriterium.pk] = a
            nya.append(a)
        return nya


def _statistik_uppdatera() -> None:
    """Refresh the query planner's statistics of the tables just bulk-loaded.

    Without it PostgreSQL plans the first queries after a seed from empty-table
    estimates, e.g. a sequential scan of all 120 000 answers for one unit (34 ms instead
    of 0.1 ms), until autovacuum gets round to it.
    """
    with connection.cursor() as cursor:
        for modell in (Vardcentral, Omgang, Malniva, Krav, Sjalvskattning, Svar, Atgard):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(modell._meta.db_table)}")


def demodata_create(
    *, scale: str = "demo", seed: int = 2024, nu=None, bygg_om: bool = False
) -> Resultat:
    """Create (or rebuild) the demo units, rounds, answers, actions and requirements."""
    nu = nu or timezone.now()
    planer = vardcentraler_plan(scale=scale, seed=seed)
    version = malbild_version_senaste()
    if version is None:
        raise ValueError("Ingen målbild är inläst; kör load_malbild först.")
    resultat = Resultat()
    with transaction.atomic():
        if not bygg_om and _ar_oforandrat(planer):
            resultat.oforandrat = True
            demo_users_create()
            return resultat
        resultat.borttagna_vardcentraler = demodata_delete()
        regioner = {r.kod: r for r in Region.objects.all()}
        kommuner = {k.kod: k for k in Kommun.objects.all()}
        upptagna = set(Vardcentral.objects.values_list("hsa_id", flat=True))
        enheter = Vardcentral.objects.bulk_create(
            [
                Vardcentral(
                    hsa_id=p.hsa_id,
                    namn=p.namn,
                    region=regioner[p.region_kod],
                    kommun=kommuner[p.kommun_kod],
                    driftsform=p.driftsform,
                    listade_patienter=p.listade_patienter,
                )
                for p in planer
                if p.hsa_id not in upptagna
            ],
            batch_size=_Bygge.BATCH,
        )
        resultat.vardcentraler = len(enheter)
        per_region: dict[int, list[Vardcentral]] = {}
        for vc in enheter:
            per_region.setdefault(vc.region_id, []).append(vc)

        befintliga_omgangar = set(
            Omgang.objects.filter(namn__in=OMGANG_NAMN).values_list("region_id", "namn")
        )
        if befintliga_omgangar & {(r, n) for r in per_region for n in OMGANG_NAMN}:
            raise ValueError(
                "Demoomgångarna 2024–2026 finns redan med data för andra vårdcentraler "
                "än demoenheterna; demodata rörs inte."
            )
        nya_omgangar = [
            Omgang(
                region_id=region_id,
                namn=namn,
                malbild_version=version,
                period_start=start,
                period_slut=slut,
                sista_dag=sista,
                status=status,
                skapad=timezone.make_aware(dt.datetime.combine(start, dt.time(9))),
            )
            for region_id in sorted(per_region)
            for namn, start, slut, sista, status in OMGANGAR
        ]
        with _egna_tidsstamplar(
            (Omgang, "skapad"), (Svar, "andrad"), (Atgard, "skapad"), (Atgard, "andrad")
        ):
            Omgang.objects.bulk_create(nya_omgangar, batch_size=_Bygge.BATCH)
            omgangar_per_region: dict[int, list[Omgang]] = {}
            for o in nya_omgangar:
                omgangar_per_region.setdefault(o.region_id, []).append(o)
            bygge = _Bygge(seed=seed, version=version, nu=nu)
            alla_mal, alla_krav, alla_sjalv, alla_atgarder = [], [], [], []
            for region_id, region_enheter in sorted(per_region.items()):
                region = next(r for r in regioner.values() if r.pk == region_id)
                region_enheter.sort(key=lambda v: v.hsa_id)
                m, k, s, a = bygge.region_rader(
                    region, region_enheter, omgangar_per_region[region_id]
                )
                alla_mal += m
                alla_krav += k
                alla_sjalv += s
                alla_atgarder += a
            Malniva.objects.bulk_create(alla_mal, batch_size=_Bygge.BATCH)
            Krav.objects.bulk_create(alla_krav, batch_size=_Bygge.BATCH)
            Sjalvskattning.objects.bulk_create([s for s, _ in alla_sjalv], batch_size=_Bygge.BATCH)
            alla_svar = []
            for sjalv, svar in alla_sjalv:
                for s in svar:
                    s.sjalvskattning = sjalv
                alla_svar += svar
            Svar.objects.bulk_create(alla_svar, batch_size=_Bygge.BATCH)
            Atgard.objects.bulk_create(alla_atgarder, batch_size=_Bygge.BATCH)
        malbild_version_lock(version=version)
        demo_users_create()
    _statistik_uppdatera()
    resultat.omgangar = len(nya_omgangar)
    resultat.malnivaer = len(alla_mal)
    resultat.krav = len(alla_krav)
    resultat.sjalvskattningar = len(alla_sjalv)
    resultat.svar = len(alla_svar)
    resultat.atgarder = len(alla_atgarder)
    return resultat


def _user(username: str, *, first: str, last: str, superuser: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.invalid"},
    )
    if created or not user.check_password(DEMO_LOSENORD):
        user.set_password(DEMO_LOSENORD)
    user.is_superuser = user.is_staff = superuser
    user.save()
    return user


@transaction.atomic
def demo_users_create() -> None:
    """The four demo logins, all with password ``malbild-demo``."""
    stockholm = Region.objects.get(kod=DEMO_REGION_KOD)
    _user("admin", first="Ada", last="Administratör", superuser=True)

    planerare = _user("planerare", first="Petra", last="Planerare")
    Profil.objects.update_or_create(
        anvandare=planerare, defaults={"roll": Profil.Roll.PLANERARE, "region": stockholm}
    )
    nationell = _user("nationell", first="Nils", last="Nationell")
    Profil.objects.update_or_create(
        anvandare=nationell, defaults={"roll": Profil.Roll.NATIONELL, "region": None}
    )
    chef = _user("chef", first="Cecilia", last="Chef")
    profil, _ = Profil.objects.update_or_create(
        anvandare=chef, defaults={"roll": Profil.Roll.VERKSAMHETSCHEF, "region": None}
    )
    i_stockholm = Vardcentral.objects.filter(region=stockholm).order_by("hsa_id")
    forsta = i_stockholm.filter(hsa_id__contains=DEMO_HSA_MARKOR).first() or i_stockholm.first()
    if forsta:
        profil.vardcentraler.set([forsta])
