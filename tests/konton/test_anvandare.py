"""The "Användare" page: who sees whom, role changes, deactivation, the audit trail."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProfilFactory, UserFactory, VardcentralFactory
from vardcentraler.models import Profil

pytestmark = pytest.mark.django_db
User = get_user_model()


def _url(namn, u):
    return reverse(f"konton:{namn}", args=[u.username])


def test_the_planner_sees_the_own_regions_planners_and_managers_only(
    client, planerare, planerare_uppsala, chef, nationell, admin_user
):
    client.force_login(planerare)
    html = client.get(reverse("konton:anvandare_list")).content.decode()
    assert chef.username in html and planerare.username in html
    for annan in (planerare_uppsala, nationell, admin_user):
        assert annan.username not in html
        assert client.get(_url("anvandare_detail", annan)).status_code == 404


def test_the_admin_sees_everyone(client, admin_user, planerare, planerare_uppsala, nationell):
    client.force_login(admin_user)
    html = client.get(reverse("konton:anvandare_list")).content.decode()
    for u in (planerare, planerare_uppsala, nationell):
        assert u.username in html


def test_the_list_costs_the_same_whatever_the_number_of_users(client, planerare, stockholm):
    client.force_login(planerare)
    url = reverse("konton:anvandare_list")
    client.get(url)
    with CaptureQueriesContext(connection) as fa:
        client.get(url)
    for i in range(15):
        profil = ProfilFactory(
            anvandare=UserFactory(username=f"chef{i}"),
            roll=Profil.Roll.VERKSAMHETSCHEF,
            region=None,
        )
        profil.vardcentraler.set([VardcentralFactory(region=stockholm)])
    with CaptureQueriesContext(connection) as manga:
        response = client.get(url)
    assert response.content.decode().count("chef1") >= 1
    assert len(manga) == len(fa)


def test_a_manager_becomes_a_planner_and_the_trail_names_who(client, planerare, chef):
    client.force_login(planerare)
    response = client.post(_url("anvandare_update", chef), {"roll": "planerare"})
    assert response.status_code == 302
    chef.refresh_from_db()
    profil = Profil.objects.get(anvandare=chef)
    assert profil.roll == Profil.Roll.PLANERARE and profil.region == planerare.profil.region
    assert not profil.vardcentraler.exists()
    rad = Profil.history.filter(anvandare_id=chef.pk).latest("history_date")
    assert rad.history_user_namn == (planerare.get_full_name() or planerare.username)
    html = client.get(_url("anvandare_detail", chef)).content.decode()
    assert "Roll: Verksamhetschef → Regional planerare" in html


def test_a_manager_gets_more_units(client, planerare, chef, stockholm, vc_stockholm):
    annan = VardcentralFactory(region=stockholm, namn="Vårdcentralen Norr")
    client.force_login(planerare)
    response = client.post(
        _url("anvandare_update", chef),
        {"roll": "verksamhetschef", "vardcentraler": [vc_stockholm.pk, annan.pk]},
    )
    assert response.status_code == 302
    assert set(chef.profil.vardcentraler.all()) == {vc_stockholm, annan}


def test_a_planner_cannot_make_an_admin_nor_change_the_own_role(client, planerare, chef):
    client.force_login(planerare)
    response = client.post(_url("anvandare_update", chef), {"roll": "admin"})
    assert response.status_code == 422
    assert not User.objects.get(pk=chef.pk).is_superuser
    assert client.get(_url("anvandare_update", planerare)).status_code == 404


def test_the_admin_makes_a_national_reader_an_admin(client, admin_user, nationell):
    client.force_login(admin_user)
    response = client.post(_url("anvandare_update", nationell), {"roll": "admin"})
    assert response.status_code == 302
    nationell.refresh_from_db()
    assert nationell.is_superuser and not Profil.objects.filter(anvandare=nationell).exists()
    # The removed role is in the trail with the admin's name.
    rad = Profil.history.filter(anvandare_id=nationell.pk, history_type="-").get()
    assert rad.history_user_namn == admin_user.username


def test_deactivation_stops_sign_in_at_once_and_keeps_the_name(client, planerare, chef):
    from django.test import Client

    chefens = Client()
    chefens.force_login(chef)
    assert chefens.get(reverse("start")).status_code == 200
    client.force_login(planerare)
    assert client.get(_url("anvandare_deactivate", chef)).status_code == 200
    assert User.objects.get(pk=chef.pk).is_active  # GET asks, changes nothing
    response = client.post(_url("anvandare_deactivate", chef))
    assert response.status_code == 302
    assert User.objects.filter(pk=chef.pk, is_active=False).exists()  # never deleted
    assert chefens.get(reverse("start")).status_code == 302  # session no longer valid
    assert not Client().login(
        request=RequestFactory().get("/"), username=chef.username, password="losenord-test"
    )
    again = client.post(_url("anvandare_deactivate", chef))
    assert again.status_code == 422 and "redan inaktiverat" in again.content.decode()
    html = client.get(_url("anvandare_detail", chef)).content.decode()
    assert "Aktiv: ja → nej" in html and "Inaktiverad" in html
    client.post(_url("anvandare_reactivate", chef))
    assert User.objects.get(pk=chef.pk).is_active


def test_nobody_deactivates_themselves(client, planerare):
    client.force_login(planerare)
    response = client.post(_url("anvandare_deactivate", planerare))
    assert response.status_code == 422
    assert User.objects.get(pk=planerare.pk).is_active


def test_a_login_adds_no_history_row(client, planerare):
    fore = User.history.filter(id=planerare.pk).count()
    assert client.login(
        request=RequestFactory().get("/"), username=planerare.username, password="losenord-test"
    )
    assert User.history.filter(id=planerare.pk).count() == fore
    assert "password" not in {f.name for f in User.history.model._meta.fields}
