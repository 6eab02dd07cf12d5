"""Password change and reset by e-mail: Django's views, Swedish pages and mails."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db
User = get_user_model()
NYTT = "Lingonris-vid-Åkerby-77"


def test_change_password(client, planerare):
    client.force_login(planerare)
    sida = client.get(reverse("konton:password_change"))
    assert "Byt lösenord" in sida.content.decode()
    fel = client.post(
        reverse("konton:password_change"),
        {"old_password": "fel", "new_password1": NYTT, "new_password2": NYTT},
    )
    assert fel.status_code == 200 and "Lösenordet kunde inte bytas" in fel.content.decode()
    ok = client.post(
        reverse("konton:password_change"),
        {"old_password": "losenord-test", "new_password1": NYTT, "new_password2": NYTT},
    )
    assert ok.status_code == 302 and ok["Location"] == reverse("konton:password_change_done")
    assert User.objects.get(pk=planerare.pk).check_password(NYTT)


@pytest.mark.parametrize(
    ("losenord", "fel"),
    [
        ("kort1", "för kort"),
        ("password123", "för vanligt"),
        ("12345678901", "enbart numeriskt"),
        ("p-sthlm-12", "alltför likt"),
    ],
)
def test_djangos_validators_answer_in_swedish(client, planerare, losenord, fel):
    client.force_login(planerare)
    response = client.post(
        reverse("konton:password_change"),
        {"old_password": "losenord-test", "new_password1": losenord, "new_password2": losenord},
    )
    assert fel in response.content.decode()
    assert User.objects.get(pk=planerare.pk).check_password("losenord-test")


def test_reset_by_mail_in_swedish_text_and_html(client, planerare):
    planerare.email = "petra@region.test"
    planerare.save()
    response = client.post(reverse("konton:password_reset"), {"email": "Petra@Region.test"})
    assert response.status_code == 302
    (meddelande,) = mail.outbox
    assert meddelande.subject == "Nytt lösenord till Målbild psykisk ohälsa"
    assert "Välj ett nytt lösenord här" in meddelande.body
    html, typ = meddelande.alternatives[0]
    assert typ == "text/html" and 'lang="sv"' in html
    lank = re.search(r"http://testserver(/losenord/aterstall/\S+/)", meddelande.body).group(1)
    sida = client.get(lank, follow=True)
    assert "Välj ett nytt lösenord" in sida.content.decode()
    post_url = sida.redirect_chain[-1][0]
    klart = client.post(post_url, {"new_password1": NYTT, "new_password2": NYTT})
    assert klart.status_code == 302
    assert User.objects.get(pk=planerare.pk).check_password(NYTT)
    # One use only.
    assert "gäller inte längre" in client.get(lank, follow=True).content.decode()


def test_reset_does_not_reveal_whether_an_account_exists(client, planerare):
    planerare.email = "petra@region.test"
    planerare.save()
    finns = client.post(reverse("konton:password_reset"), {"email": "petra@region.test"})
    finns_inte = client.post(reverse("konton:password_reset"), {"email": "ingen@region.test"})
    assert finns.status_code == finns_inte.status_code == 302
    assert finns["Location"] == finns_inte["Location"]
    assert len(mail.outbox) == 1


def test_an_invited_account_without_password_gets_no_reset_mail(client, planerare):
    planerare.email = "petra@region.test"
    planerare.set_unusable_password()
    planerare.save()
    client.post(reverse("konton:password_reset"), {"email": "petra@region.test"})
    assert mail.outbox == []
