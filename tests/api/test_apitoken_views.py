"""The token page: create (shown once, stored hashed), refuse bad input, revoke one's own."""

import pytest
from django.urls import reverse

from api.models import ApiToken
from lib.tokens import token_hash

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_and_stored_hashed(client, planerare):
    client.force_login(planerare)
    response = client.post(reverse("api:apitoken_list"), {"namn": "R-skript", "giltig_dagar": 30})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"].split(", ")  # and "private", for every session
    token = response.context["ny_token"]
    rad = ApiToken.objects.get(anvandare=planerare)
    assert rad.nyckel_hash == token_hash(token) and rad.namn == "R-skript"
    assert 29 <= (rad.giltig_till - rad.skapad).days <= 30
    assert token in response.content.decode()
    assert token not in client.get(reverse("api:apitoken_list")).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"namn": "", "giltig_dagar": 30},
        {"namn": "x", "giltig_dagar": 7},
        {"namn": "x" * 101, "giltig_dagar": 30},
    ],
)
def test_bad_input_is_a_400_with_a_message_and_creates_nothing(client, planerare, data):
    client.force_login(planerare)
    response = client.post(reverse("api:apitoken_list"), data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_ones_own_token_makes_it_401(client, planerare, anropa):
    from tests.api.conftest import token_for

    token = token_for(planerare)
    assert anropa(reverse("api-v1:region_list"), token).status_code == 200
    rad = ApiToken.objects.get()
    client.force_login(planerare)
    response = client.post(reverse("api:apitoken_revoke", args=[rad.pk]), follow=True)
    assert "är återkallad" in response.content.decode()
    rad.refresh_from_db()
    assert rad.aterkallad is not None and rad.status == "Återkallad"
    client.logout()
    assert anropa(reverse("api-v1:region_list"), token).status_code == 401


def test_another_users_token_cannot_be_revoked(client, planerare, planerare_uppsala):
    from tests.api.conftest import token_for

    token_for(planerare)
    rad = ApiToken.objects.get()
    client.force_login(planerare_uppsala)
    assert client.post(reverse("api:apitoken_revoke", args=[rad.pk])).status_code == 404
    rad.refresh_from_db()
    assert rad.aterkallad is None
