"""Builds a region's rounds in memory: targets, requirements, self-assessments with answers
drawn from a latent model, and actions for gaps."""

import datetime as dt
import math
import random

from django.utils import timezone

from malbild.models import HOGSTA_NIVA, LAGSTA_NIVA, Kriterium, MalbildVersion
from vardcentraler.models import (
    Atgard,
    Krav,
    Malniva,
    Omgang,
    Region,
    Sjalvskattning,
    Svar,
    Vardcentral,
)

from .tabeller import (
    ANSVARIGA,
    ATERSAND_KOMMENTARER,
    ATGARD_STATUS,
    ATGARD_TEXT,
    MOTIVERING,
    OMGANGAR,
    STATUS_AKTUELL,
    STATUS_STANGD,
    TEMA_EFFEKT,
    TEMA_PSYKOLOG,
    TEMA_SOMATIK,
    UNDERLAG,
    S,
)


def _choose(rng: random.Random, fordelning) -> str:
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


class Bygge:
    """Builds every row in memory, then writes them in large batches."""

    BATCH = 2000

    def __init__(self, *, seed: int, versioner: list[MalbildVersion], nu: dt.datetime):
        """``versioner``: the målbild versions the rounds use, newest last.

        A unit's answers follow one criterion across versions through ``ersatter``
        (its ``rot``), so a round on version 2 continues from the round on version 1.
        """
        self.seed = seed
        self.nu = nu
        self.idag = timezone.localdate(nu)
        alla = list(
            Kriterium.objects.filter(tema__version__in=versioner)
            .select_related("tema")
            .order_by("tema__version__nummer", "tema__ordning", "ordning")
        )
        self.per_version: dict[int, list[Kriterium]] = {v.pk: [] for v in versioner}
        self.rot: dict[int, int] = {}
        for k in alla:
            self.per_version[k.tema.version_id].append(k)
            self.rot[k.pk] = self.rot.get(k.ersatter_id, k.ersatter_id or k.pk)
        self.kriterier = self.per_version[versioner[-1].pk]  # the newest version's
        rng = random.Random(f"kriterier-{seed}")
        self.krit_effekt = {self.rot[k.pk]: rng.gauss(0, 0.25) for k in alla}

    def kriterier_for(self, omgang: Omgang) -> list[Kriterium]:
        return self.per_version[omgang.malbild_version_id]

    def i_omgang(self, omgang: Omgang) -> dict[int, Kriterium]:
        """root criterion id → the round's criterion with that root."""
        return {self.rot[k.pk]: k for k in self.kriterier_for(omgang)}

    def malnivaer(self, region: Region, omgangar: list[Omgang]) -> dict[tuple[int, int], int]:
        """Targets step up over the rounds: mostly 3 in 2024, more 4s by 2026."""
        rng = random.Random(f"mal-{self.seed}-{region.kod}")
        mal: dict[tuple[int, int], int] = {}
        per_omgang = [self.i_omgang(o) for o in omgangar]
        for k in self.kriterier:
            svar_tema = k.tema.ordning in (TEMA_PSYKOLOG, TEMA_SOMATIK)
            niva = 2 if svar_tema and rng.random() < 0.6 else 3
            for i, omgang in enumerate(omgangar):
                if i and rng.random() < (0.45 if i == 1 else 0.55):
                    niva = min(niva + 1, HOGSTA_NIVA)
                if (kriterium := per_omgang[i].get(self.rot[k.pk])) is not None:
                    mal[(omgang.pk, kriterium.pk)] = niva
        return mal

    def region_rader(
        self, region: Region, vardcentraler: list[Vardcentral], omgangar: list[Omgang]
    ):
        mal = self.malnivaer(region, omgangar)
        malnivaer = [Malniva(omgang_id=o, kriterium_id=k, niva=n) for (o, k), n in mal.items()]
        krav = self.krav(region, omgangar)
        region_effekt = random.Random(f"reg-{self.seed}-{region.kod}").gauss(0, 0.3)
        sjalv_svar = []  # (Sjalvskattning, [Svar])
        atgarder = []
        for vardcentral in vardcentraler:
            s, a = self.vardcentral_rader(vardcentral, omgangar, mal, region_effekt)
            sjalv_svar.extend(s)
            atgarder.extend(a)
        return malnivaer, krav, sjalv_svar, atgarder

    def krav(self, region: Region, omgangar: list[Omgang]) -> list[Krav]:
        rng = random.Random(f"krav-{self.seed}-{region.kod}")
        valda = rng.sample(self.kriterier, k=min(len(self.kriterier), rng.randint(6, 10)))
        rader = []
        for i, omgang in enumerate(omgangar):
            ar = omgang.namn
            i_omgang = self.i_omgang(omgang)
            for k in (i_omgang[self.rot[v.pk]] for v in valda if self.rot[v.pk] in i_omgang):
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
                formulering = k.som_krav(verb) if verb else ""
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

    def vardcentral_rader(self, vardcentral: Vardcentral, omgangar, mal, region_effekt):
        rng = random.Random(f"vardcentral-{self.seed}-{vardcentral.hsa_id}")
        storlek = math.log(vardcentral.listade_patienter / 8000)
        kapacitet = rng.gauss(0, 0.55) + region_effekt + 0.15 * storlek
        tema_vardcentral = {t: rng.gauss(0, 0.35) for t in TEMA_EFFEKT}
        osakerhet = rng.lognormvariate(0, 0.5)  # some units answer "vet ej" more often
        # Progress per round: most improve, unevenly; some drop.
        steg1 = rng.gauss(0.35, 0.35)
        framsteg = [0.0, steg1, steg1 + rng.gauss(0.3, 0.35)]
        residual = {rot: rng.gauss(0, 0.45) for rot in self.krit_effekt}
        liten = vardcentral.listade_patienter < 5000
        rader = []
        atgarder = []
        oppna: dict[int, Atgard] = {}
        for i, omgang in enumerate(omgangar):
            namn, start, slut, sista, _ = OMGANGAR[i]
            status = _choose(rng, STATUS_AKTUELL if omgang.status == "oppen" else STATUS_STANGD)
            sjalv = Sjalvskattning(omgang=omgang, vardcentral=vardcentral, status=status)
            svar: list[Svar] = []
            if status != S.EJ_PABORJAD:
                andel = rng.uniform(0.2, 0.9) if status == S.PAGAR else 1.0
                oppnad = start + dt.timedelta(days=rng.randint(20, 120))
                sista_svar = min(sista - dt.timedelta(days=rng.randint(0, 40)), self.idag)
                for k in self.kriterier_for(omgang):
                    rot = self.rot[k.pk]
                    if i:  # persistent per criterion, partly renewed each round
                        residual[rot] = 0.5 * residual[rot] + rng.gauss(0, 0.35)
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
                            + tema_vardcentral[tema]
                            + self.krit_effekt[rot]
                            + framsteg[i]
                            + residual[rot]
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
                    sjalv.kommentar = rng.choice(ATERSAND_KOMMENTARER)
            rader.append((sjalv, svar))
            atgarder.extend(self.atgarder(rng, vardcentral, omgang, i, svar, mal, oppna))
        return rader, atgarder

    def atgarder(self, rng, vardcentral, omgang, i, svar, mal, oppna) -> list[Atgard]:
        """Actions for some of the gaps; an open action on a criterion carries over."""
        gap = [
            s
            for s in svar
            if s.typ == Svar.Typ.NIVA
            and s.niva < mal.get((omgang.pk, s.kriterium.pk), LAGSTA_NIVA)
            and self.rot[s.kriterium.pk] not in oppna
        ]
        if not gap:
            return []
        gap.sort(key=lambda s: (s.niva - mal[(omgang.pk, s.kriterium.pk)], rng.random()))
        antal = min(len(gap), rng.randint(1, 5))
        ar = int(omgang.namn)
        nya = []
        for s in gap[:antal]:
            status = _choose(rng, ATGARD_STATUS[omgang.namn])
            start, _ = _halvar(ar, rng.choice((1, 2)))
            _, klar_senast = _halvar(start.year + rng.randint(0, 1), rng.choice((1, 2)))
            if klar_senast < start:
                klar_senast = _halvar(start.year, 2)[1]
            skapad = _tid(rng, dt.date(ar, 2, 1), dt.date(ar, 11, 30), self.nu)
            andrad = _tid(rng, skapad.date(), self.idag, self.nu)
            a = Atgard(
                vardcentral=vardcentral,
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
                oppna[self.rot[s.kriterium.pk]] = a
            nya.append(a)
        return nya
