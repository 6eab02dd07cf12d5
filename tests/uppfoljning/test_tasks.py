"""The region's ZIP of färdplaner: the view, progress, download, and the real database queue."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.uppfoljning.pdf_data import pdf_fall_skapa
from uppfoljning.models import FardplanArkiv

pytestmark = pytest.mark.django_db


@pytest.fixture
def fall(vc_stockholm, vc_uppsala):
    return pdf_fall_skapa(vc_stockholm, vc_uppsala)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_planner_orders_follows_and_downloads_the_zip(client, planerare, fall):
    client.force_login(planerare)
    sida = client.get(reverse("uppfoljning:rapport_region", args=["01"])).content.decode()
    skapa = reverse("uppfoljning:fardplan_arkiv_create", args=["01", fall.nu.pk])
    assert skapa in sida
    response = client.post(skapa)
    arkiv = FardplanArkiv.objects.get()
    assert response["Location"] == reverse("uppfoljning:fardplan_arkiv_detail", args=[arkiv.pk])
    # Tests run tasks inline (immediate backend): the job is done. Approved ones only.
    assert (arkiv.status, arkiv.antal_klara, arkiv.antal_totalt) == ("klar", 6, 6)
    assert not arkiv.med_inskickade
    partial = client.get(
        reverse("uppfoljning:fardplan_arkiv_detail", args=[arkiv.pk]), HTTP_HX_REQUEST="true"
    )
    html = partial.content.decode()
    assert "<html" not in html and 'id="arkiv-status"' in html
    assert 'value="100"' in html and "hx-trigger" not in html  # finished: polling stops
    nedladdning = client.get(reverse("uppfoljning:fardplan_arkiv_download", args=[arkiv.pk]))
    assert nedladdning.status_code == 200
    namn = zipfile.ZipFile(io.BytesIO(b"".join(nedladdning.streaming_content))).namelist()
    assert len(namn) == 7 and sum(n.endswith(".pdf") for n in namn) == 6 and "index.csv" in namn


def test_planner_asks_for_the_submitted_ones_too(client, planerare, fall):
    client.force_login(planerare)
    sida = client.get(reverse("uppfoljning:rapport_region", args=["01"])).content.decode()
    assert 'name="med_inskickade"' in sida
    skapa = reverse("uppfoljning:fardplan_arkiv_create", args=["01", fall.nu.pk])
    client.post(skapa, {"med_inskickade": "on"})
    arkiv = FardplanArkiv.objects.get()
    assert arkiv.med_inskickade and (arkiv.antal_klara, arkiv.antal_totalt) == (7, 7)
    with arkiv.fil.open("rb") as f:
        namn = zipfile.ZipFile(f).namelist()
    assert any(fall.sjalvskattning.vardcentral.hsa_id in n for n in namn)


def test_the_checkbox_reads_as_a_checkbox_whatever_is_posted(client, planerare, fall):
    client.force_login(planerare)
    skapa = reverse("uppfoljning:fardplan_arkiv_create", args=["01", fall.nu.pk])
    for varde, med in (("false", False), ("\x00" * 3, True)):
        FardplanArkiv.objects.all().delete()
        assert client.post(skapa, {"med_inskickade": varde}).status_code == 302
        assert FardplanArkiv.objects.get().med_inskickade is med


def test_a_running_job_polls_every_two_seconds(client, planerare, fall):
    arkiv = FardplanArkiv.objects.create(
        omgang=fall.nu, status=FardplanArkiv.Status.PAGAR, antal_klara=3, antal_totalt=7
    )
    client.force_login(planerare)
    html = client.get(
        reverse("uppfoljning:fardplan_arkiv_detail", args=[arkiv.pk])
    ).content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "<progress" in html and 'value="43"' in html and "3 av 7" in html
    # Not finished: nothing to download yet.
    assert (
        client.get(reverse("uppfoljning:fardplan_arkiv_download", args=[arkiv.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["planerare_uppsala", "chef", "nationell"], indirect=True)
def test_only_the_regions_planner_sees_the_job(client, persona, fall):
    arkiv = FardplanArkiv.objects.create(omgang=fall.nu)
    client.force_login(persona)
    assert (
        client.get(reverse("uppfoljning:fardplan_arkiv_detail", args=[arkiv.pk])).status_code == 404
    )
    assert (
        client.get(reverse("uppfoljning:fardplan_arkiv_download", args=[arkiv.pk])).status_code
        == 404
    )
    skapa = reverse("uppfoljning:fardplan_arkiv_create", args=["01", fall.nu.pk])
    assert client.post(skapa).status_code == 404
    assert not FardplanArkiv.objects.exclude(pk=arkiv.pk).exists()


def test_create_needs_post_and_login(client, planerare, fall):
    skapa = reverse("uppfoljning:fardplan_arkiv_create", args=["01", fall.nu.pk])
    assert client.post(skapa)["Location"].startswith(reverse("login"))
    client.force_login(planerare)
    assert client.get(skapa).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_worker_build_the_zip(settings):
    """The real path: enqueue on django-tasks-db's queue, then one run of `db_worker`.

    A transactional test (the worker commits), so it lays its own reference data:
    an earlier transactional test may have flushed the tables.
    """
    from django_tasks_db.models import DBTaskResult

    from tests.factories import UserFactory, VardcentralFactory, region
    from vardcentraler.models import Kommun, Region
    from vardcentraler.referensdata import referensdata_load

    if not Region.objects.exists():
        referensdata_load(Region, Kommun)
    call_command("load_malbild", verbosity=0)
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    planerare = UserFactory(username="p-worker")
    fall = pdf_fall_skapa(
        VardcentralFactory(region=region("01"), namn="Vårdcentralen Åkerby"),
        VardcentralFactory(region=region("03")),
    )
    from uppfoljning import services

    arkiv = services.fardplan_arkiv_create(omgang=fall.nu, anvandare=planerare)
    assert arkiv.status == FardplanArkiv.Status.VANTAR  # queued, not run
    resultat = DBTaskResult.objects.get()
    assert str(resultat.id) == arkiv.task_id and resultat.status == "READY"
    call_command("db_worker", batch=True, reload=False, verbosity=0)
    arkiv.refresh_from_db()
    assert arkiv.status == FardplanArkiv.Status.KLAR and arkiv.antal_klara == 6
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    with arkiv.fil.open("rb") as f:
        assert len(zipfile.ZipFile(f).namelist()) == 7  # six PDFs and the index
