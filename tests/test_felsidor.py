"""Swedish error pages in the site's layout, 413 before the body is read, no-store for the
signed-in, and a 503 with Retry-After while the database is away (issue 14, issue 10)."""

import re
import socket

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from lib.felsidor import server_error

pytestmark = pytest.mark.django_db


def test_404_in_swedish_with_a_way_back_and_what_may_have_happened(client, planerare):
    client.force_login(planerare)
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Sidan finns inte" in text and 'href="/"' in text
    assert "annan region" in text and 'class="site-header' in text


def test_another_regions_object_stays_404_and_says_nothing_more(
    client, planerare, vc_uppsala, vc_stockholm
):
    client.force_login(planerare)
    annan = client.get(reverse("vardcentraler:vardcentral_detail", args=[vc_uppsala.hsa_id]))
    finns_inte = client.get(
        reverse("vardcentraler:vardcentral_detail", args=["SE2321000016-FINNSINTE"])
    )
    assert annan.status_code == finns_inte.status_code == 404
    assert vc_uppsala.namn not in annan.content.decode()

    # Byte for byte the same page but for the per-response CSRF tokens and CSP nonces.
    def utan_token(r):
        return re.sub(r'(X-CSRFToken": |value=|nonce=)"[^"]*"', "", r.content.decode())

    assert utan_token(annan) == utan_token(finns_inte)


@pytest.mark.parametrize("segment", ["SE2321000016-A%00B", "%00", "SE" + "1" * 5000, "x%1b"])
def test_malformed_url_segments_are_404_not_500(client, planerare, segment):
    client.force_login(planerare)
    assert client.get(f"/vardcentraler/{segment}/").status_code == 404
    assert client.get(f"/uppfoljning/region/{segment}/").status_code == 404


def test_500_page_in_swedish_without_the_database():
    request = RequestFactory().get("/")
    try:
        raise ValueError("fel")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.content.decode()


def test_a_database_error_is_a_503_with_retry_after():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "tillfälligt otillgänglig" in response.content.decode()


def test_csrf_failure_is_swedish(client, planerare):
    from django.test import Client

    strikt = Client(enforce_csrf_checks=True)
    strikt.force_login(planerare)
    response = strikt.post(reverse("vardcentraler:omgang_create"), {"namn": "x"})
    assert response.status_code == 403 and "Formuläret har gått ut" in response.content.decode()


def test_a_too_large_upload_is_refused_from_its_content_length(client, planerare):
    """The body is never read: the test sends a header that promises more than it sends."""
    client.force_login(planerare)
    response = client.generic(
        "POST",
        reverse("vardcentraler:vardcentral_import"),
        b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_UPLOAD_BYTES + 1),
    )
    assert response.status_code == 413 and "Filen är för stor" in response.content.decode()


def test_upload_within_the_limit_reaches_the_view(client, planerare):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(planerare)
    fil = SimpleUploadedFile("a.csv", b"HSA-id;Namn\n", content_type="text/csv")
    response = client.post(reverse("vardcentraler:vardcentral_import"), {"fil": fil})
    assert response.status_code == 422 and "Kolumner saknas" in response.content.decode()


def test_signed_in_pages_exports_and_pdfs_are_private_no_store(
    client, planerare, vc_stockholm, omgang_med_sjalvskattning
):
    client.force_login(planerare)
    omgang = omgang_med_sjalvskattning
    for url in (
        reverse("start"),
        reverse("uppfoljning:region_export_csv", args=["01"]),
        reverse("uppfoljning:region_export_xlsx", args=["01"]),
        reverse("uppfoljning:fardplan_pdf", args=[omgang.pk, vc_stockholm.hsa_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        varden = {v.strip() for v in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= varden, url


@pytest.fixture
def omgang_med_sjalvskattning(stockholm, vc_stockholm, malbild_version):
    import datetime

    from vardcentraler.omgangar import services

    return services.omgang_create(
        region=stockholm,
        namn="2026",
        malbild_version=malbild_version,
        period_start=datetime.date(2026, 1, 1),
        period_slut=datetime.date(2026, 12, 31),
        sista_dag=datetime.date(2026, 10, 31),
        anvandare=None,
    )


def _stangd_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket closes


@pytest.mark.django_db(transaction=True)
def test_pages_answer_503_while_the_database_is_away_and_recover_by_themselves(client):
    """A transactional test (it closes the connection): it needs no reference data, which an
    earlier transactional test may have flushed."""
    from tests.factories import UserFactory

    if connection.vendor != "postgresql":
        pytest.skip(
            "Points the connection at a closed port: needs a database server (PostgreSQL, as "
            "in CI); an in-memory SQLite test database would be lost."
        )
    client.force_login(UserFactory(username="u-503"))
    assert client.get(reverse("start")).status_code == 200
    client.raise_request_exception = False
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(_stangd_port())
    try:
        for url in (reverse("start"), reverse("vardcentraler:omgang_list"), "/finns-inte/"):
            response = client.get(url)
            assert response.status_code == 503, url
            assert response["Retry-After"] == "30"
            assert "tillfälligt otillgänglig" in response.content.decode()
        assert client.get(reverse("healthz")).status_code == 503
    finally:
        connection.settings_dict["PORT"] = port
    # Nobody closes or resets anything: the next request simply works again.
    assert client.get(reverse("start")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
