"""ZIP jobs: one per round at a time, given up without a heartbeat, no half files, pruned."""

import datetime
import errno
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.uppfoljning.pdf_data import pdf_fall_skapa
from uppfoljning import pdf, services
from uppfoljning.arkiv import AVBRUTET, arkiv_rensa
from uppfoljning.models import FardplanArkiv

pytestmark = pytest.mark.django_db


@pytest.fixture
def fall(vc_stockholm, vc_uppsala):
    return pdf_fall_skapa(vc_stockholm, vc_uppsala)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _filer(media):
    katalog = media / "fardplaner"
    return sorted(p.name for p in katalog.iterdir()) if katalog.exists() else []


def test_three_clicks_start_one_job(client, planerare, fall, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    client.force_login(planerare)
    skapa = reverse("uppfoljning:fardplan_arkiv_create", args=["01", fall.nu.pk])
    platser = {client.post(skapa)["Location"] for _ in range(3)}
    assert FardplanArkiv.objects.count() == 1
    assert platser == {
        reverse("uppfoljning:fardplan_arkiv_detail", args=[FardplanArkiv.objects.get().pk])
    }


def test_a_job_without_heartbeat_reads_as_failed_and_a_new_one_can_start(
    client, planerare, fall, settings
):
    """A worker killed mid-ZIP used to leave "Pågår 68 %" forever."""
    gammal = FardplanArkiv.objects.create(
        omgang=fall.nu, status=FardplanArkiv.Status.PAGAR, antal_klara=5, antal_totalt=7
    )
    FardplanArkiv.objects.filter(pk=gammal.pk).update(
        senast_aktiv=timezone.now() - datetime.timedelta(seconds=settings.ARKIV_TIDSGRANS + 1)
    )
    client.force_login(planerare)
    html = client.get(
        reverse("uppfoljning:fardplan_arkiv_detail", args=[gammal.pk])
    ).content.decode()
    assert "Misslyckades" in html and "slutade svara" in html and "hx-trigger" not in html
    ny = services.fardplan_arkiv_create(omgang=fall.nu, anvandare=planerare)
    assert ny.pk != gammal.pk and ny.status == FardplanArkiv.Status.KLAR


def test_a_beating_job_is_left_alone(fall, planerare, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    pagaende = FardplanArkiv.objects.create(
        omgang=fall.nu, status=FardplanArkiv.Status.PAGAR, senast_aktiv=timezone.now()
    )
    assert services.fardplan_arkiv_create(omgang=fall.nu, anvandare=planerare).pk == pagaende.pk


def test_a_full_disk_leaves_no_truncated_zip(fall, planerare, media, monkeypatch):
    def full_disk(omgang, fil, *, framsteg=None):
        fil.write(b"PK\x03\x04 halv")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pdf, "fardplaner_zip", full_disk)
    services.fardplan_arkiv_create(omgang=fall.nu, anvandare=planerare)  # the task logs the error
    arkiv = FardplanArkiv.objects.get()
    assert arkiv.status == FardplanArkiv.Status.MISSLYCKAD and not arkiv.fil
    assert _filer(media) == []


def test_a_job_given_up_while_running_stops_and_keeps_no_file(fall, planerare, media, monkeypatch):
    original = pdf.fardplaner_zip

    def avbryts(omgang, fil, *, framsteg=None):
        FardplanArkiv.objects.update(status=FardplanArkiv.Status.MISSLYCKAD, fel=AVBRUTET)
        return original(omgang, fil, framsteg=framsteg)

    monkeypatch.setattr(pdf, "fardplaner_zip", avbryts)
    services.fardplan_arkiv_create(omgang=fall.nu, anvandare=planerare)
    arkiv = FardplanArkiv.objects.get()
    assert arkiv.status == FardplanArkiv.Status.MISSLYCKAD and not arkiv.fil
    assert _filer(media) == []


def test_old_archives_are_pruned_with_their_files(fall, planerare, media):
    for _ in range(5):
        services.fardplan_arkiv_create(omgang=fall.nu, anvandare=planerare)
    klara = FardplanArkiv.objects.filter(status=FardplanArkiv.Status.KLAR)
    assert klara.count() == 3
    assert _filer(media) == sorted(a.fil.name.rsplit("/", 1)[-1] for a in klara)
    with klara.first().fil.open("rb") as f:
        assert len(zipfile.ZipFile(f).namelist()) == 7
    assert arkiv_rensa(omgang_id=fall.nu.pk) == 0


def test_a_zip_missing_on_disk_is_404(client, planerare, fall, media):
    arkiv = services.fardplan_arkiv_create(omgang=fall.nu, anvandare=planerare)
    (media / arkiv.fil.name).unlink()
    client.force_login(planerare)
    url = reverse("uppfoljning:fardplan_arkiv_download", args=[arkiv.pk])
    assert client.get(url).status_code == 404
