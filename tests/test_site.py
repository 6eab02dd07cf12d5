from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["databas"] == "ok"


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("config.views.connection.cursor", side_effect=DatabaseError("nere")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_healthz_only_get(client):
    assert client.post("/healthz").status_code == 405


def test_login_page_is_swedish_and_labelled(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    for text in ("Användarnamn", "Lösenord", "Logga in", "Hoppa till huvudinnehållet"):
        assert text in html
    assert html.count("<h1") == 1


def test_login_with_wrong_password_shows_a_swedish_error(client, planerare):
    response = client.post(reverse("login"), {"username": "p-sthlm", "password": "fel"})
    assert response.status_code == 200
    assert "Inloggningen misslyckades" in response.content.decode()


def test_login_and_logout(client, planerare):
    response = client.post(reverse("login"), {"username": "p-sthlm", "password": "losenord-test"})
    assert response.status_code == 302
    assert client.get(reverse("start")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("start")).status_code == 302


def test_csp_header_forbids_other_hosts_and_inline_script(client, planerare):
    client.force_login(planerare)
    response = client.get(reverse("start"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp


def test_pages_load_nothing_from_another_host(client, planerare, malbild_version):
    client.force_login(planerare)
    for url in (reverse("start"), reverse("malbild:malbild_detail", args=[malbild_version.slug])):
        html = client.get(url).content.decode()
        assert 'src="http' not in html and 'href="http' not in html.replace(
            'href="http://testserver', ""
        )


def test_htmx_is_served_from_the_app_and_sends_the_csrf_header(client, planerare):
    client.force_login(planerare)
    html = client.get(reverse("start")).content.decode()
    assert "/static/django_htmx/htmx" in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


@pytest.mark.parametrize(
    ("url_name", "sektion"),
    [
        ("start", "Start"),
        ("malbild:malbild_detail", "Nationell målbild"),
        ("vardcentraler:vardcentral_list", "Vårdcentraler"),
        ("vardcentraler:omgang_list", "Omgångar"),
        ("uppfoljning:rapport_index", "Rapporter"),
    ],
)
def test_exactly_one_menu_entry_is_current(client, planerare, malbild_version, url_name, sektion):
    client.force_login(planerare)
    args = [malbild_version.slug] if url_name == "malbild:malbild_detail" else []
    response = client.get(reverse(url_name, args=args), follow=True)
    html = response.content.decode()
    nav = html[html.index('aria-label="Huvudmeny"') : html.index("</nav>", html.index("Huvudmeny"))]
    assert nav.count('aria-current="page"') == 1
    assert f'aria-current="page">{sektion}<' in nav
