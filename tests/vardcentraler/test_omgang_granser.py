"""A round's name and dates: bounded, unique regardless of case, no control characters."""

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse

from vardcentraler.models import Omgang

pytestmark = pytest.mark.django_db


def _post(client, **andrat):
    from malbild.models import MalbildVersion

    data = {
        "namn": "2027",
        "malbild_version": MalbildVersion.objects.get(slug="2024-10-9251").pk,
        "period_start": "2027-01-01",
        "period_slut": "2027-12-31",
        "sista_dag": "2027-10-31",
        **andrat,
    }
    return client.post(reverse("vardcentraler:omgang_create"), data)


@pytest.mark.parametrize(
    "andrat,meddelande",
    [
        ({"period_start": "0001-01-01"}, "mellan år 2000 och 2100"),
        ({"period_slut": "9999-12-31"}, "mellan år 2000 och 2100"),
        ({"sista_dag": "2028-01-15"}, "ska ligga inom perioden"),
        ({"sista_dag": "2026-12-01"}, "ska ligga inom perioden"),
        ({"namn": "2027\x07"}, "otillåtna tecken"),
        ({"namn": "a\x00b"}, "Null-tecken"),
        ({"namn": "x" * 61}, "högst 60 tecken"),
    ],
)
def test_bad_round_input_is_a_swedish_422_and_creates_nothing(
    client, planerare, malbild_version, andrat, meddelande
):
    client.force_login(planerare)
    response = _post(client, **andrat)
    assert response.status_code == 422
    assert meddelande.lower() in response.content.decode().lower()
    assert not Omgang.objects.exists()


def test_round_names_are_unique_regardless_of_case(client, planerare, malbild_version):
    client.force_login(planerare)
    assert _post(client, namn="Vår 2027").status_code == 302
    response = _post(client, namn="VÅR 2027")
    assert response.status_code == 422 and "redan en omgång" in response.content.decode()
    # The database says the same when the check is bypassed.
    with pytest.raises(IntegrityError):
        Omgang.objects.create(
            region=Omgang.objects.get().region,
            namn="vår 2027",
            malbild_version=malbild_version,
            period_start=datetime.date(2027, 1, 1),
            period_slut=datetime.date(2027, 12, 31),
            sista_dag=datetime.date(2027, 10, 31),
        )
