"""What the API returns: one pydantic schema per resource, fields named as in the models.

References to other objects are their public ids, named for what they are
(``region_kod``, ``vardcentral_hsa_id``, ``kriterium_kod``, ``tema_kod``, ``omgang_id``).
"""

import datetime

from ninja import Schema


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
    driftsform: str
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
    status: str
    skapad: datetime.datetime


class Sjalvskattning(Schema):
    id: int
    omgang_id: int
    vardcentral_hsa_id: str
    status: str
    inskickad: datetime.datetime | None
    godkand: datetime.datetime | None
    senast_andrad: datetime.datetime | None


class Svar(Schema):
    id: int
    omgang_id: int
    vardcentral_hsa_id: str
    tema_kod: str
    kriterium_kod: str
    typ: str
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
    kravniva: str
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
    status: str
    mal_niva: int
    skapad: datetime.datetime
    andrad: datetime.datetime
