"""factory_boy factories for the domain. Regions and kommuner come from the reference-data migration."""

import datetime

import factory
from django.contrib.auth import get_user_model

from vardcentraler.models import (
    Atgard,
    Kommun,
    Omgang,
    Profil,
    Region,
    Sjalvskattning,
    Svar,
    Vardcentral,
)


def region(kod: str = "01") -> Region:
    return Region.objects.get(kod=kod)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"anvandare{n}")
    password = factory.django.Password("losenord-test")


class VardcentralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vardcentral

    hsa_id = factory.Sequence(lambda n: f"SE2321000016-TEST{n:05d}")
    namn = factory.Sequence(lambda n: f"Testvårdcentral {n}")
    region = factory.LazyFunction(lambda: region("01"))
    kommun = factory.LazyAttribute(
        lambda o: Kommun.objects.filter(region=o.region).order_by("kod").first()
    )
    driftsform = Vardcentral.Driftsform.REGIONAL
    listade_patienter = 8000


class ProfilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profil

    anvandare = factory.SubFactory(UserFactory)
    roll = Profil.Roll.PLANERARE
    region = factory.LazyFunction(lambda: region("01"))


class OmgangFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Omgang

    region = factory.LazyFunction(lambda: region("01"))
    namn = factory.Sequence(lambda n: f"{2026 + n}")
    period_start = datetime.date(2026, 1, 1)
    period_slut = datetime.date(2026, 12, 31)
    sista_dag = datetime.date(2026, 10, 31)


class SjalvskattningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sjalvskattning

    omgang = factory.SubFactory(OmgangFactory)
    vardcentral = factory.SubFactory(VardcentralFactory)


class SvarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Svar

    sjalvskattning = factory.SubFactory(SjalvskattningFactory)
    typ = Svar.Typ.NIVA
    niva = 2


class AtgardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Atgard

    beskrivning = "Ta fram en rutin för första bedömning"
    ansvarig = "Verksamhetschef"
    start = datetime.date(2026, 1, 1)
    klar_senast = datetime.date(2026, 6, 30)
    mal_niva = 3
