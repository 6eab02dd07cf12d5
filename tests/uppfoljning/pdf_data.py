"""Realistic rounds for the PDF tests and the benchmark, written with bulk_create.

A region gets ``antal`` units, two rounds (2025 and 2026) with targets, answers
with motivations (some "vet ej"), actions across the rounds and requirements.
Deterministic from ``seed``.
"""

import datetime
import random
from dataclasses import dataclass

from malbild.models import Kriterium, MalbildVersion
from tests.factories import OmgangFactory
from uppfoljning.sammanfattning import sammanfattning_rebuild
from vardcentraler.models import (
    Atgard,
    Kommun,
    Krav,
    Malniva,
    Omgang,
    Region,
    Sjalvskattning,
    Svar,
    Vardcentral,
)

MOTIVERINGAR = {
    1: "Vi saknar en gemensam rutin; arbetet beror på vem patienten träffar. Frågan har lyfts på arbetsplatsträff men inget är beslutat.",
    2: "Delar av arbetssättet finns hos psykosociala teamet, men läkare och sjuksköterskor känner inte till det och det är inte dokumenterat.",
    3: "Rutinen är beslutad i ledningsgruppen och finns i ledningssystemet. Alla yrkesgrupper har fått introduktion under våren.",
    4: "Arbetssättet tillämpas i hela verksamheten och följs upp kvartalsvis i verksamhetsplanen; senaste uppföljningen ledde till ändrad bokningsrutin.",
}
ATGARDER = [
    "Ta fram en skriftlig rutin och förankra den på arbetsplatsträff",
    "Utbilda läkare och sjuksköterskor i strukturerad bedömning (två halvdagar)",
    "Inför screening med PHQ-9 och GAD-7 vid besök för långvarig smärta och sömnbesvär",
    "Utse en samordnare för samverkan med socialtjänst och elevhälsa",
    "Följ upp väntetider till psykosocial behandling månadsvis i ledningsgruppen",
    "Erbjud internetbaserad KBT via 1177 för mild till måttlig ångest",
    "Skriv överenskommelse med BUP om konsultation och remissvägar",
]
ANSVARIGA = [
    "Verksamhetschef",
    "Medicinskt ansvarig läkare",
    "Kurator, psykosociala teamet",
    "Distriktssköterska Åsa Öberg",
    "Samordnare psykisk hälsa",
]


def omgangar_skapa(region: Region, *, antal: int, seed: int = 7) -> tuple[Omgang, Omgang]:
    rng = random.Random(seed)
    version = MalbildVersion.objects.get(slug="2024-10-9251")
    kriterier = list(Kriterium.objects.for_version(version))
    kommuner = list(Kommun.objects.filter(region=region))
    start = Vardcentral.objects.count()
    enheter = Vardcentral.objects.bulk_create(
        [
            Vardcentral(
                hsa_id=f"SE23210000{region.kod}-BNCH{start + i:05d}",
                namn=f"Vårdcentralen {['Åsen', 'Ängby', 'Öster', 'Källbrink', 'Fjällbo', 'Söder'][i % 6]} {start + i}",
                region=region,
                kommun=kommuner[i % len(kommuner)],
                driftsform=Vardcentral.Driftsform.PRIVAT
                if rng.random() < 0.4
                else Vardcentral.Driftsform.REGIONAL,
                listade_patienter=rng.randint(2500, 24000),
            )
            for i in range(antal)
        ]
    )
    fore = OmgangFactory(
        region=region,
        namn="2025",
        malbild_version=version,
        period_start=datetime.date(2025, 1, 1),
        period_slut=datetime.date(2025, 12, 31),
        sista_dag=datetime.date(2025, 10, 31),
        status=Omgang.Status.STANGD,
    )
    nu = OmgangFactory(
        region=region,
        namn="2026",
        malbild_version=version,
        period_start=datetime.date(2026, 1, 1),
        period_slut=datetime.date(2026, 12, 31),
        sista_dag=datetime.date(2026, 10, 31),
    )
    for omgang, mal in ((fore, 2), (nu, 3)):
        Malniva.objects.bulk_create(
            [
                Malniva(
                    omgang=omgang,
                    kriterium=k,
                    niva=mal + (1 if k.ordning == 1 and omgang is nu else 0),
                )
                for k in kriterier
            ]
        )
    krav_niva = [Krav.Kravniva.SKA, Krav.Kravniva.BOR, Krav.Kravniva.EJ]
    Krav.objects.bulk_create(
        [
            Krav(
                omgang=nu,
                kriterium=k,
                kravniva=krav_niva[i % 3],
                formulering=(
                    f"Vårdcentralen ska ha ett dokumenterat arbetssätt som motsvarar kriterium {k.kod} och kunna redovisa det vid uppföljning."
                    if i % 3 != 2
                    else ""
                ),
                dokument="Förfrågningsunderlag vårdval primärvård 2026" if i % 3 != 2 else "",
                avsnitt=f"4.{k.tema.ordning}.{k.ordning}" if i % 3 != 2 else "",
            )
            for i, k in enumerate(kriterier)
        ]
    )
    for omgang, bas in ((fore, 1.8), (nu, 2.3)):
        sk = Sjalvskattning.objects.bulk_create(
            [
                Sjalvskattning(omgang=omgang, vardcentral=vc, status=Sjalvskattning.Status.GODKAND)
                for vc in enheter
            ]
        )
        svar = []
        for s in sk:
            styrka = rng.gauss(0, 0.6)
            for k in kriterier:
                r = rng.random()
                if r < 0.05:
                    svar.append(
                        Svar(
                            sjalvskattning=s,
                            kriterium=k,
                            typ=Svar.Typ.VET_EJ,
                            motivering="Vi har inte underlag för att bedöma detta ännu.",
                        )
                    )
                elif r < 0.07:
                    svar.append(
                        Svar(
                            sjalvskattning=s,
                            kriterium=k,
                            typ=Svar.Typ.EJ_TILLAMPLIGT,
                            motivering="Vårdcentralen har inga listade barn under 6 år.",
                        )
                    )
                else:
                    niva = max(1, min(4, round(bas + styrka + rng.gauss(0, 0.7))))
                    svar.append(
                        Svar(
                            sjalvskattning=s,
                            kriterium=k,
                            typ=Svar.Typ.NIVA,
                            niva=niva,
                            motivering=MOTIVERINGAR[niva],
                        )
                    )
        Svar.objects.bulk_create(svar)
    atgarder = []
    for vc in enheter:
        for k in rng.sample(kriterier, 6):
            omgang = rng.choice([fore, nu])
            startdatum = omgang.period_start + datetime.timedelta(days=rng.randint(0, 120))
            atgarder.append(
                Atgard(
                    vardcentral=vc,
                    kriterium=k,
                    omgang=omgang,
                    beskrivning=rng.choice(ATGARDER),
                    ansvarig=rng.choice(ANSVARIGA),
                    start=startdatum,
                    klar_senast=startdatum + datetime.timedelta(days=rng.randint(60, 300)),
                    status=rng.choice(list(Atgard.Status.values)),
                    mal_niva=3,
                )
            )
    Atgard.objects.bulk_create(atgarder)
    sammanfattning_rebuild()  # bulk_create writes past the services that keep the summaries
    return fore, nu


@dataclass
class PdfFall:
    fore: Omgang
    nu: Omgang
    sjalvskattning: Sjalvskattning  # vc_stockholm's in the current round
    omgang_uppsala: Omgang


def pdf_fall_skapa(vc_stockholm: Vardcentral, vc_uppsala: Vardcentral) -> PdfFall:
    """Stockholm: 6 generated units plus vc_stockholm with known answers and actions; Uppsala: one round."""
    fore, nu = omgangar_skapa(vc_stockholm.region, antal=6)
    kriterier = list(
        Kriterium.objects.for_version(nu.malbild_version).order_by("tema__ordning", "ordning")
    )
    sk_fore = Sjalvskattning.objects.create(omgang=fore, vardcentral=vc_stockholm, status="godkand")
    sk = Sjalvskattning.objects.create(omgang=nu, vardcentral=vc_stockholm, status="inskickad")
    Svar.objects.bulk_create(
        [Svar(sjalvskattning=sk_fore, kriterium=k, typ=Svar.Typ.NIVA, niva=1) for k in kriterier]
    )
    svar = [
        Svar(
            sjalvskattning=sk,
            kriterium=k,
            typ=Svar.Typ.NIVA,
            niva=2 if i % 2 else 3,
            motivering=f"Rutinen för {k.kod} är påbörjad men inte förankrad i hela verksamheten; ångest och sömnbesvär följs upp först.",
        )
        for i, k in enumerate(kriterier)
    ]
    svar[0].typ, svar[0].niva = Svar.Typ.VET_EJ, None
    Svar.objects.bulk_create(svar)
    Atgard.objects.create(
        vardcentral=vc_stockholm,
        kriterium=kriterier[1],
        omgang=nu,
        beskrivning="Översyn av rutinen för bedömning av ångest och nedstämdhet",
        ansvarig="Åsa Öberg, kurator",
        start=datetime.date(2026, 2, 1),
        klar_senast=datetime.date(2026, 9, 30),
        status=Atgard.Status.PAGAR,
        mal_niva=3,
    )
    Atgard.objects.create(
        vardcentral=vc_stockholm,
        kriterium=kriterier[2],
        omgang=fore,
        beskrivning="Införa PHQ-9 vid årskontroller",
        ansvarig="Verksamhetschef",
        start=datetime.date(2025, 3, 1),
        klar_senast=datetime.date(2025, 11, 30),
        status=Atgard.Status.KLAR,
        mal_niva=3,
    )
    omgang_uppsala = OmgangFactory(
        region=vc_uppsala.region, namn="2026", malbild_version=nu.malbild_version
    )
    Sjalvskattning.objects.create(omgang=omgang_uppsala, vardcentral=vc_uppsala)
    sammanfattning_rebuild()  # as above
    return PdfFall(fore=fore, nu=nu, sjalvskattning=sk, omgang_uppsala=omgang_uppsala)
