"""What the API returns: one pydantic schema per resource, fields named as in the models.

References to other objects are their public ids, named for what they are
(``region_kod``, ``vardcentral_hsa_id``, ``kriterium_kod``, ``tema_kod``, ``omgang_id``).
"""

import datetime
from typing import Literal

from ninja import Schema

from vardcentraler import models as m


def _val(choices) -> object:
    """The model's choices as a Literal: the schema lists the values, from one source."""
    return Literal[tuple(choices.values)]


Driftsform = _val(m.Vardcentral.Driftsform)
OmgangStatus = _val(m.Omgang.Status)
SjalvskattningStatus = _val(m.Sjalvskattning.Status)
SvarTyp = _val(m.Svar.Typ)
Kravniva = _val(m.Krav.Kravniva)
AtgardStatus = _val(m.Atgard.Status)


class MalbildVersionKort(Schema):
    slug: str
    titel: str
    utgivare: str
    artikelnummer: str
    publicerad: datetime.date
    last: bool


class Nivabeskrivning(Schema):
    niva: int
    beskrivning: str


class KriteriumRef(Schema):
    version_slug: str
    tema_kod: str
    kriterium_kod: str


class Kriterium(Schema):
    kod: str
    ordning: int
    text: str
    vagledning: str
    kallor: list
    ersatter: KriteriumRef | None
    nivaer: list[Nivabeskrivning]


class Tema(Schema):
    kod: str
    ordning: int
    kortnamn: str
    malbild: str
    forklaring: str
    konsensus_procent: int
    kalla: dict
    kriterier: list[Kriterium]


class MalbildVersion(MalbildVersionKort):
    skalnamn: dict[str, str]
    dokument: dict
    teman: list[Tema]


class Region(Schema):
    kod: str
    namn: str
    lan: str


class Kommun(Schema):
    kod: str
    namn: str
    region_kod: str


class Vardcentral(Schema):
    hsa_id: str
    namn: str
    region_kod: str
    kommun_kod: str
    driftsform: Driftsform
    listade_patienter: int
    aktiv: bool


class Omgang(Schema):
    id: int
    region_kod: str
    namn: str
    malbild_version_slug: str
    period_start: datetime.date
    period_slut: datetime.date
    sista_dag: datetime.date
    status: OmgangStatus
    skapad: datetime.datetime


class Sjalvskattning(Schema):
    id: int
    omgang_id: int
    vardcentral_hsa_id: str
    status: SjalvskattningStatus
    inskickad: datetime.datetime | None
    godkand: datetime.datetime | None
    senast_andrad: datetime.datetime | None


class Svar(Schema):
    id: int
    omgang_id: int
    vardcentral_hsa_id: str
    tema_kod: str
    kriterium_kod: str
    typ: SvarTyp
    niva: int | None
    motivering: str
    underlag: str
    version: int
    andrad: datetime.datetime


class Malniva(Schema):
    id: int
    omgang_id: int
    tema_kod: str
    kriterium_kod: str
    niva: int


class Krav(Schema):
    id: int
    omgang_id: int
    tema_kod: str
    kriterium_kod: str
    kravniva: Kravniva
    formulering: str
    dokument: str
    avsnitt: str


class Atgard(Schema):
    id: int
    vardcentral_hsa_id: str
    omgang_id: int
    tema_kod: str
    kriterium_kod: str
    beskrivning: str
    ansvarig: str
    start: datetime.date
    klar_senast: datetime.date
    status: AtgardStatus
    mal_niva: int
    skapad: datetime.datetime
    andrad: datetime.datetime


# --- Aggregated figures (the follow-up pages' own, small-group rule applied) ----------------


class Jamforelse(Schema):
    median: float | None  # null: no level answers, or fewer than 5 vårdcentraler (undertryckt)
    antal_vardcentraler: int
    undertryckt: bool


class Fordelningsantal(Schema):
    niva_1: int
    niva_2: int
    niva_3: int
    niva_4: int
    vet_ej: int
    ej_tillampligt: int


class Fordelning(Schema):
    antal: Fordelningsantal | None  # null when undertryckt
    antal_vardcentraler: int
    undertryckt: bool


class Trendpunkt(Jamforelse):
    period: str  # the round's name (region) or the year (nation)
    omgang_id: int | None
    andel_niva_3_4: float | None


class TemaSiffror(Jamforelse):
    tema_kod: str
    ordning: int
    kortnamn: str
    fordelning: Fordelning
    trend: list[Trendpunkt]


class RegionSammanstallning(Schema):
    region_kod: str
    omgang_id: int | None
    omgang_namn: str | None
    antal_vardcentraler: int
    teman: list[TemaSiffror]


class RegionTemaMedian(Jamforelse):
    tema_kod: str


class RegionRad(Schema):
    region_kod: str
    region_namn: str
    omgang_namn: str | None
    antal_vardcentraler: int
    teman: list[RegionTemaMedian]


class NationellSammanstallning(Schema):
    antal_vardcentraler: int
    teman: list[TemaSiffror]
    regioner: list[RegionRad]
