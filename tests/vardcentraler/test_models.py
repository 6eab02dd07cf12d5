import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.factories import SjalvskattningFactory, SvarFactory
from vardcentraler.models import Kommun, Region, Svar, validate_hsa_id

pytestmark = pytest.mark.django_db


def test_all_21_regions_and_290_kommuner_with_official_codes():
    assert Region.objects.count() == 21
    assert Kommun.objects.count() == 290
    assert Region.objects.get(kod="14").namn == "Västra Götalandsregionen"
    assert Region.objects.get(kod="01").kommuner.count() == 26
    assert Kommun.objects.get(kod="0180").namn == "Stockholm"
    assert Kommun.objects.get(kod="2584").region.kod == "25"


@pytest.mark.parametrize(
    "hsa_id",
    ["SE2321000016-ABC1", "SE5566778899-BPAB1", "SE1234567890-1"],
)
def test_valid_hsa_ids(hsa_id):
    validate_hsa_id(hsa_id)


@pytest.mark.parametrize(
    "hsa_id",
    [
        "",
        "SE232100001-ABC",
        "SE2321000016ABC",
        "SE2321000016-ÅBC",
        "se2321000016-A",
        "SE2321000016-" + "A" * 20,
        "SE2321000016-A@B",
    ],
)
def test_invalid_hsa_ids(hsa_id):
    with pytest.raises(ValidationError):
        validate_hsa_id(hsa_id)


def test_an_answer_level_outside_the_scale_is_refused_by_the_database(malbild_version):
    kriterium = malbild_version.teman.first().kriterier.first()
    with pytest.raises(IntegrityError):
        SvarFactory(kriterium=kriterium, typ=Svar.Typ.NIVA, niva=7)


def test_vet_ej_carries_no_level(malbild_version):
    kriterium = malbild_version.teman.first().kriterier.first()
    with pytest.raises(IntegrityError):
        SvarFactory(
            sjalvskattning=SjalvskattningFactory(), kriterium=kriterium, typ=Svar.Typ.VET_EJ, niva=1
        )
