"""History keeps the actor's name; users are deactivated, never deleted (issue 14)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lib.historik import visat_namn
from tests.factories import UserFactory
from vardcentraler.models import Omgang, Vardcentral
from vardcentraler.omgangar import services, services_granskning

pytestmark = pytest.mark.django_db


def _omgang(region, version, anvandare, namn="2026"):
    return services.omgang_create(
        region=region,
        namn=namn,
        malbild_version=version,
        period_start=datetime.date(2026, 1, 1),
        period_slut=datetime.date(2026, 12, 31),
        sista_dag=datetime.date(2026, 10, 31),
        anvandare=anvandare,
    )


def test_a_round_has_history_with_the_actors_name_after_the_user_is_gone(
    stockholm, malbild_version
):
    anna = UserFactory(username="anna", first_name="Anna", last_name="Åberg")
    omgang = _omgang(stockholm, malbild_version, anna)
    post = omgang.history.get()
    assert post.history_user_namn == "Anna Åberg"
    anna.delete()  # only possible outside the admin; the name survives anyway
    post = Omgang.history.get(pk=post.pk)
    assert post.history_user is None and visat_namn(post) == "Anna Åberg"


def test_a_units_change_in_the_admin_is_recorded_with_the_actor(client, admin_user, vc_stockholm):
    client.force_login(admin_user)
    url = reverse("admin:vardcentraler_vardcentral_change", args=[vc_stockholm.pk])
    data = {
        "hsa_id": vc_stockholm.hsa_id,
        "namn": "Nytt namn",
        "region": vc_stockholm.region_id,
        "kommun": vc_stockholm.kommun_id,
        "driftsform": "privat",
        "listade_patienter": 9000,
        "aktiv": "",
    }
    assert client.post(url, data).status_code == 302
    senaste = Vardcentral.history.filter(id=vc_stockholm.pk).first()
    assert (senaste.namn, senaste.aktiv, senaste.history_user_namn) == (
        "Nytt namn",
        False,
        admin_user.username,
    )


def test_review_history_shows_the_kept_name(stockholm, malbild_version, vc_stockholm, planerare):
    from vardcentraler.models import Sjalvskattning
    from vardcentraler.omgangar.selectors_historik import sjalvskattning_history

    omgang = _omgang(stockholm, malbild_version, planerare)
    Sjalvskattning.objects.filter(omgang=omgang).update(status="inskickad")
    s = Sjalvskattning.objects.select_related("omgang", "vardcentral").get(omgang=omgang)
    services_granskning.sjalvskattning_approve(sjalvskattning=s, anvandare=planerare)
    get_user_model().objects.filter(pk=planerare.pk).delete()
    assert {h.vem for h in sjalvskattning_history(s)} == {"p-sthlm"}


def test_users_cannot_be_deleted_in_the_admin_only_deactivated(client, admin_user):
    anvandare = UserFactory(username="slutar")
    client.force_login(admin_user)
    radera = reverse("admin:auth_user_delete", args=[anvandare.pk])
    assert client.post(radera, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "inaktivera", "_selected_action": [anvandare.pk]},
    )
    assert response.status_code == 302
    anvandare.refresh_from_db()
    assert get_user_model().objects.filter(pk=anvandare.pk).exists() and not anvandare.is_active
