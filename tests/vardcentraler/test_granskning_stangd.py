"""Review refuses in a closed round (reopening there used to work and could not be undone)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from vardcentraler.models import Omgang, Sjalvskattning
from vardcentraler.omgangar import services, services_granskning

pytestmark = pytest.mark.django_db


@pytest.fixture
def stangd(stockholm, vc_stockholm, malbild_version):
    omgang = services.omgang_create(
        region=stockholm,
        namn="2025",
        malbild_version=malbild_version,
        period_start=datetime.date(2025, 1, 1),
        period_slut=datetime.date(2025, 12, 31),
        sista_dag=datetime.date(2025, 10, 31),
        anvandare=None,
    )
    return omgang


def _s(omgang):
    return Sjalvskattning.objects.select_related("omgang", "vardcentral").get(omgang=omgang)


@pytest.mark.parametrize(
    "handling,status",
    [("approve", "inskickad"), ("return", "inskickad"), ("reopen", "godkand")],
)
def test_review_refuses_in_a_closed_round(stangd, planerare, handling, status):
    Sjalvskattning.objects.filter(omgang=stangd).update(status=status)
    Omgang.objects.filter(pk=stangd.pk).update(status=Omgang.Status.STANGD)
    s = _s(stangd)
    with pytest.raises(ValidationError, match="Omgången är stängd"):
        if handling == "approve":
            services_granskning.sjalvskattning_approve(sjalvskattning=s, anvandare=planerare)
        elif handling == "return":
            services_granskning.sjalvskattning_return(
                sjalvskattning=s, kommentar="x", anvandare=planerare
            )
        else:
            services_granskning.sjalvskattning_reopen(
                sjalvskattning=s, anledning="x", anvandare=planerare
            )
    assert _s(stangd).status == status


def test_reopen_in_a_closed_round_over_http_is_422_and_changes_nothing(
    client, stangd, planerare, vc_stockholm
):
    Sjalvskattning.objects.filter(omgang=stangd).update(status="godkand")
    Omgang.objects.filter(pk=stangd.pk).update(status=Omgang.Status.STANGD)
    client.force_login(planerare)
    url = reverse("vardcentraler:sjalvskattning_reopen", args=[stangd.pk, vc_stockholm.hsa_id])
    response = client.post(url, {"anledning": "Fel nivå"})
    assert response.status_code == 422 and "Omgången är stängd" in response.content.decode()
    assert _s(stangd).status == "godkand"


@pytest.mark.parametrize(
    "falt,varde,meddelande",
    [
        ("anledning", "a\x00b", "otillåtna tecken"),
        ("anledning", "å" * 100, "högst 88 tecken"),
        ("kommentar", "\x00", "otillåtna tecken"),
        ("kommentar", "x" * 2001, "högst 2000 tecken"),
    ],
)
def test_review_text_is_validated_by_a_form(
    client, stangd, planerare, vc_stockholm, falt, varde, meddelande
):
    """NUL and "Återöppnad: " + 100 characters were 500s (the history's change reason is 100)."""
    status = "godkand" if falt == "anledning" else "inskickad"
    Sjalvskattning.objects.filter(omgang=stangd).update(status=status)
    client.force_login(planerare)
    vy = "sjalvskattning_reopen" if falt == "anledning" else "sjalvskattning_return"
    url = reverse(f"vardcentraler:{vy}", args=[stangd.pk, vc_stockholm.hsa_id])
    response = client.post(url, {falt: varde})
    assert response.status_code == 422 and meddelande in response.content.decode()
    assert _s(stangd).status == status
