"""Invitations: the planner's form, the mail, the one-time expiring link."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from konton.models import Inbjudan
from vardcentraler.models import Profil

pytestmark = pytest.mark.django_db
User = get_user_model()


def _bjud_in(client, vc, **extra):
    data = {
        "fornamn": "Åsa",
        "efternamn": "Öberg",
        "epost": "Asa.Oberg@Region.test",
        "roll": "verksamhetschef",
        "vardcentraler": [vc.pk],
        **extra,
    }
    return client.post(reverse("konton:inbjudan_create"), data)


def _lank(meddelande) -> str:
    return re.search(r"http://testserver(/inbjudan/[^/\s]+/)", meddelande.body).group(1)


def test_a_planner_invites_a_manager_tied_to_a_unit(client, planerare, vc_stockholm):
    client.force_login(planerare)
    response = _bjud_in(client, vc_stockholm)
    assert response.status_code == 302
    ny = User.objects.get(username="asa.oberg@region.test")
    assert ny.email == "asa.oberg@region.test" and not ny.has_usable_password()
    assert ny.profil.roll == Profil.Roll.VERKSAMHETSCHEF
    assert list(ny.profil.vardcentraler.all()) == [vc_stockholm]
    assert ny.profil.region == planerare.profil.region
    (meddelande,) = mail.outbox
    assert meddelande.to == ["asa.oberg@region.test"]
    assert meddelande.subject == "Inbjudan till Målbild psykisk ohälsa"
    assert "verksamhetschef" in meddelande.body
    html, typ = meddelande.alternatives[0]
    assert typ == "text/html" and 'lang="sv"' in html and _lank(meddelande) in html
    # Only a hash of the token is stored.
    token = _lank(meddelande).split("/")[2]
    assert not Inbjudan.objects.filter(token_hash__contains=token).exists()
    # The trail names the planner, by name, on the user and the role rows.
    rad = User.history.filter(id=ny.pk).latest("history_date")
    assert rad.history_user_namn == (planerare.get_full_name() or planerare.username)
    profilrader = Profil.history.filter(anvandare_id=ny.pk)
    assert {r.history_user_id for r in profilrader} == {planerare.pk}


def test_the_link_sets_a_password_once(client, planerare, vc_stockholm):
    client.force_login(planerare)
    _bjud_in(client, vc_stockholm)
    client.logout()
    lank = _lank(mail.outbox[0])
    assert client.get(lank).status_code == 200
    svag = client.post(lank, {"new_password1": "123", "new_password2": "123"})
    assert svag.status_code == 422
    assert "för kort" in svag.content.decode() or "för vanligt" in svag.content.decode()
    losen = "Blåbärssylt-i-Ärlinge-42"
    response = client.post(lank, {"new_password1": losen, "new_password2": losen})
    assert response.status_code == 302
    assert client.get(reverse("start")).status_code == 200  # logged in
    client.logout()
    again = client.get(lank)
    assert again.status_code == 404
    assert "gäller inte längre" in again.content.decode()
    assert client.post(lank, {"new_password1": losen, "new_password2": losen}).status_code == 404
    assert client.login(
        request=RequestFactory().get("/"), username="asa.oberg@region.test", password=losen
    )


def test_an_expired_or_resent_link_is_refused(client, planerare, vc_stockholm):
    client.force_login(planerare)
    _bjud_in(client, vc_stockholm)
    forsta = _lank(mail.outbox[0])
    ny = User.objects.get(email="asa.oberg@region.test")
    client.post(reverse("konton:inbjudan_resend", args=[ny.username]))
    andra = _lank(mail.outbox[1])
    client.logout()
    assert client.get(forsta).status_code == 404  # voided by the new one
    assert client.get(andra).status_code == 200
    Inbjudan.objects.filter(anvandare=ny).update(
        giltig_till=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(andra).status_code == 404
    assert client.get("/inbjudan/forfalskad-token/").status_code == 404


@pytest.mark.parametrize(
    ("extra", "falt"),
    [
        ({"vardcentraler": []}, "Välj minst en vårdcentral"),
        ({"roll": "nationell"}, "Välj ett giltigt alternativ"),
        ({"epost": "inte-en-adress"}, "giltig e-postadress"),
        ({"hsa_id": "ABC"}, "Ogiltigt HSA-id"),
    ],
)
def test_bad_input_is_refused_in_swedish_and_changes_nothing(
    client, planerare, vc_stockholm, extra, falt
):
    client.force_login(planerare)
    fore = User.objects.count()
    response = _bjud_in(client, vc_stockholm, **extra)
    assert response.status_code == 422
    assert falt in response.content.decode()
    assert User.objects.count() == fore and not mail.outbox


def test_a_unit_of_another_region_cannot_be_given(client, planerare, vc_uppsala):
    client.force_login(planerare)
    response = _bjud_in(client, vc_uppsala)
    assert response.status_code == 422
    assert not User.objects.filter(email="asa.oberg@region.test").exists()


def test_an_address_in_use_is_refused(client, planerare, vc_stockholm, chef):
    chef.email = "asa.oberg@region.test"
    chef.save()
    client.force_login(planerare)
    response = _bjud_in(client, vc_stockholm)
    assert response.status_code == 422
    assert "används redan" in response.content.decode()


def test_a_failing_mail_server_rolls_back(client, planerare, vc_stockholm, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    client.force_login(planerare)
    response = _bjud_in(client, vc_stockholm)
    assert response.status_code == 422
    assert "kunde inte skickas" in response.content.decode()
    assert not User.objects.filter(email="asa.oberg@region.test").exists()


def test_the_admin_chooses_a_region_or_none_and_may_invite_national_roles(client, admin_user):
    client.force_login(admin_user)
    val = client.get(reverse("konton:inbjudan_create"))
    assert "Vilken region" in val.content.decode()
    url = reverse("konton:inbjudan_create") + "?region="
    response = client.post(
        url,
        {
            "fornamn": "Nils",
            "efternamn": "Läsare",
            "epost": "nils@myndighet.test",
            "roll": "nationell",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="nils@myndighet.test").profil.roll == Profil.Roll.NATIONELL
    admin = client.post(
        url,
        {"fornamn": "Ada", "efternamn": "Admin", "epost": "ada@myndighet.test", "roll": "admin"},
    )
    assert admin.status_code == 302
    ny_admin = User.objects.get(email="ada@myndighet.test")
    assert ny_admin.is_superuser and ny_admin.is_staff
    assert client.get(reverse("konton:inbjudan_create") + "?region=9999").status_code == 404


def test_a_planner_cannot_invite_national_roles(client, planerare):
    client.force_login(planerare)
    response = client.post(
        reverse("konton:inbjudan_create") + "?region=",
        {"fornamn": "X", "efternamn": "Y", "epost": "x@y.test", "roll": "admin"},
    )
    assert response.status_code == 422
    assert not User.objects.filter(email="x@y.test").exists()


def test_a_simultaneous_invitation_of_the_same_address_is_a_message_not_a_500(
    planerare, vc_stockholm, monkeypatch
):
    from django.core.exceptions import ValidationError

    from konton import services

    User.objects.create_user("asa.oberg@region.test")  # the other invitation got in first
    # The early uniqueness check saw nothing (it ran before the other insert).
    monkeypatch.setattr(
        services.User.objects, "filter", lambda **kw: User.objects.none(), raising=False
    )
    with pytest.raises(ValidationError, match="används redan"):
        services.inbjudan_create(
            av=planerare,
            fornamn="Åsa",
            efternamn="Öberg",
            epost="asa.oberg@region.test",
            roll="verksamhetschef",
            region=vc_stockholm.region,
            vardcentraler=[vc_stockholm],
            bas_url="http://testserver",
        )
    assert not mail.outbox
