"""Färdplaner rendered ahead (uppfoljning/fardplanlager.py): stored after the writes that change
them, served while their data is unchanged, rendered on the spot when it is not, reused by the ZIP.
"""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from tests.uppfoljning.pdf_data import pdf_fall_skapa
from uppfoljning import fardplanlager, pdf
from uppfoljning.models import LagradFardplan
from vardcentraler.models import Atgard, Krav, Malniva, Sjalvskattning
from vardcentraler.omgangar.services_atgard import AtgardData, atgard_update
from vardcentraler.omgangar.services_granskning import sjalvskattning_approve
from vardcentraler.omgangar.services_krav import KravRad, krav_save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def lager(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FARDPLAN_FORBERED = True


@pytest.fixture
def fall(vc_stockholm, vc_uppsala):
    return pdf_fall_skapa(vc_stockholm, vc_uppsala)


def _sk(fall) -> Sjalvskattning:
    """The self-assessment as the download view loads it."""
    return Sjalvskattning.objects.select_related(*fardplanlager.RELATERADE).get(
        pk=fall.sjalvskattning.pk
    )


def _text(innehall: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(innehall)).pages)


def _url(sk) -> str:
    return reverse("uppfoljning:fardplan_pdf", args=[sk.omgang_id, sk.vardcentral.hsa_id])


def _lagrad(sk) -> bytes:
    rad = LagradFardplan.objects.get(sjalvskattning=sk)
    with default_storage.open(rad.fil.name, "rb") as f:
        return f.read()


def test_stored_pdf_reads_as_a_fresh_render_and_is_served(client, planerare, fall):
    sk = _sk(fall)
    assert fardplanlager.fardplan_lagra(sk) is True
    assert fardplanlager.fardplan_lagra(sk) is False  # current: not rendered again
    lagrad = _lagrad(sk)
    assert _text(lagrad) == _text(pdf.fardplan_pdf(sk))
    client.force_login(planerare)
    response = client.get(_url(sk))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    # The very bytes stored (a new render differs in its timestamps and ids).
    assert response.content == lagrad


def test_approval_stores_the_fardplan_after_commit(
    planerare, fall, django_capture_on_commit_callbacks
):
    sk = _sk(fall)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sjalvskattning_approve(sjalvskattning=sk, anvandare=planerare)
        assert not LagradFardplan.objects.exists()  # only once the approval is committed
    assert len(callbacks) == 1
    sk = _sk(fall)
    rad = LagradFardplan.objects.get(sjalvskattning=sk)
    assert rad.nyckel == fardplanlager.fardplan_nyckel(sk)
    text = _text(_lagrad(sk))
    assert "Godkänd" in text and text == _text(pdf.fardplan_pdf(sk))


def test_nothing_is_enqueued_when_switched_off(
    settings, planerare, fall, django_capture_on_commit_callbacks
):
    settings.FARDPLAN_FORBERED = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sjalvskattning_approve(sjalvskattning=_sk(fall), anvandare=planerare)
    assert callbacks == [] and not LagradFardplan.objects.exists()


def test_a_changed_action_is_served_fresh_then_stored_again(
    client, planerare, fall, django_capture_on_commit_callbacks
):
    # A draft (actions can change): stored as it reads now.
    Sjalvskattning.objects.filter(pk=fall.sjalvskattning.pk).update(status="pagar")
    sk = _sk(fall)
    fardplanlager.fardplan_lagra(sk)
    gammal = LagradFardplan.objects.get(sjalvskattning=sk)
    atgard = Atgard.objects.get(omgang=fall.nu, vardcentral=sk.vardcentral)
    data = AtgardData(
        kriterium=atgard.kriterium,
        beskrivning="Ny rutin för uppföljning av sömnbesvär",
        ansvarig=atgard.ansvarig,
        start=atgard.start,
        klar_senast=atgard.klar_senast,
        status=atgard.status,
        mal_niva=atgard.mal_niva,
    )
    # Without the worker (the callback is not run): the stored file is stale.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        atgard_update(sjalvskattning=sk, atgard=atgard, data=data, anvandare=planerare)
    assert len(callbacks) == 1
    client.force_login(planerare)
    fardig = client.get(_url(sk)).content
    assert fardig != _lagrad(sk)
    assert "Ny rutin för uppföljning av sömnbesvär" in _text(fardig)
    assert "Ny rutin för uppföljning av sömnbesvär" not in _text(_lagrad(sk))
    # The worker runs: a new file under the new key, the old file deleted.
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes after commit
        callbacks[0]()
    ny = LagradFardplan.objects.get(sjalvskattning=sk)
    assert ny.nyckel != gammal.nyckel and ny.nyckel == fardplanlager.fardplan_nyckel(sk)
    assert not default_storage.exists(gammal.fil.name) and default_storage.exists(ny.fil.name)
    assert "Ny rutin för uppföljning av sömnbesvär" in _text(client.get(_url(sk)).content)


def test_requirements_saved_store_every_fardplan_of_the_round(
    planerare, fall, django_capture_on_commit_callbacks
):
    rader = [
        KravRad(k.kriterium_id, k.kravniva, k.formulering + " Ändrad.", k.dokument, k.avsnitt)
        for k in Krav.objects.filter(omgang=fall.nu)
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        krav_save(omgang=fall.nu, rader=rader)
    assert len(callbacks) == 1  # one task for the round
    antal = Sjalvskattning.objects.filter(omgang=fall.nu).count()
    assert LagradFardplan.objects.filter(sjalvskattning__omgang=fall.nu).count() == antal == 7


@pytest.mark.parametrize(
    "andra",
    [
        pytest.param(lambda f: Malniva.objects.filter(omgang=f.nu).update(niva=2), id="malniva"),
        pytest.param(lambda f: Krav.objects.filter(omgang=f.nu).update(avsnitt="9.9"), id="krav"),
        pytest.param(
            # Another unit returned: the region's medians count one assessment fewer.
            lambda f: Sjalvskattning.objects.filter(
                pk=Sjalvskattning.objects.filter(omgang=f.nu, status="godkand")
                .values_list("pk", flat=True)
                .first()
            ).update(status="atersand"),
            id="regionens-median",
        ),
        pytest.param(
            lambda f: f.sjalvskattning.vardcentral.__class__.objects.filter(
                pk=f.sjalvskattning.vardcentral_id
            ).update(namn="Vårdcentralen Nytt namn"),
            id="vardcentralens-namn",
        ),
        pytest.param(lambda f: f.sjalvskattning.svar.filter(niva=3).first().save(), id="ett-svar"),
    ],
)
def test_the_key_follows_what_the_pdf_prints(fall, andra):
    fore = fardplanlager.fardplan_nyckel(_sk(fall))
    assert fardplanlager.fardplan_nyckel(_sk(fall)) == fore  # stable
    andra(fall)
    assert fardplanlager.fardplan_nyckel(_sk(fall)) != fore


def test_the_key_follows_the_date_and_the_code(fall, monkeypatch):
    sk = _sk(fall)
    fore = fardplanlager.fardplan_nyckel(sk)
    imorgon = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(fardplanlager.timezone, "localdate", lambda: imorgon)
    assert fardplanlager.fardplan_nyckel(sk) != fore
    monkeypatch.undo()
    monkeypatch.setattr(fardplanlager, "kod_version", lambda: "en annan version")
    assert fardplanlager.fardplan_nyckel(sk) != fore
    mallen = Path(fardplanlager.BASE_DIR) / "templates/uppfoljning/pdf/fardplan.html"
    assert mallen in [f for m in fardplanlager.KOD_FILER for f in fardplanlager.BASE_DIR.glob(m)]


def test_the_key_costs_three_queries_four_when_approved(fall, django_assert_num_queries):
    sk = _sk(fall)
    with django_assert_num_queries(3):
        fardplanlager.fardplan_nyckel(sk)
    Sjalvskattning.objects.filter(pk=sk.pk).update(status=Sjalvskattning.Status.GODKAND)
    sk = _sk(fall)
    with django_assert_num_queries(4):
        fardplanlager.fardplan_nyckel(sk)


def test_download_of_a_current_fardplan_costs_few_queries(
    client, planerare, fall, django_assert_max_num_queries
):
    sk = _sk(fall)
    fardplanlager.fardplan_lagra(sk)
    client.force_login(planerare)
    with django_assert_max_num_queries(11):
        assert client.get(_url(sk)).content == _lagrad(sk)


def test_the_zip_reuses_stored_fardplaner_and_stores_the_rest(fall):
    godkand = (
        Sjalvskattning.objects.select_related(*fardplanlager.RELATERADE)
        .filter(omgang=fall.nu, status="godkand")
        .order_by("pk")
        .first()
    )
    fardplanlager.fardplan_lagra(godkand)
    lagrad = _lagrad(godkand)
    buf = io.BytesIO()
    assert pdf.fardplaner_zip(fall.nu, buf) == 6
    zf = zipfile.ZipFile(buf)
    assert zf.read(pdf.fardplan_filnamn(godkand)) == lagrad
    # Those it rendered are stored now, each readable as a fresh render.
    assert LagradFardplan.objects.filter(sjalvskattning__omgang=fall.nu).count() == 6
    for rad in LagradFardplan.objects.select_related("sjalvskattning__vardcentral"):
        with default_storage.open(rad.fil.name, "rb") as f:
            assert f.read() == zf.read(pdf.fardplan_filnamn(rad.sjalvskattning))


def test_a_missing_file_is_rendered_on_the_spot(client, planerare, fall):
    sk = _sk(fall)
    fardplanlager.fardplan_lagra(sk)
    default_storage.delete(LagradFardplan.objects.get().fil.name)
    client.force_login(planerare)
    response = client.get(_url(sk))
    assert response.status_code == 200 and "Åkerby" in _text(response.content)


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_worker_store_the_approved_fardplan(settings):
    """The real path: the approval commits, its task waits on django-tasks-db's queue, one run
    of `db_worker` stores the färdplan. Lays its own reference data (transactional test)."""
    from django.core.management import call_command
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
    fall = pdf_fall_skapa(
        VardcentralFactory(region=region("01"), namn="Vårdcentralen Åkerby"),
        VardcentralFactory(region=region("03")),
    )
    sjalvskattning_approve(sjalvskattning=_sk(fall), anvandare=UserFactory(username="p-kö"))
    assert DBTaskResult.objects.get().status == "READY" and not LagradFardplan.objects.exists()
    call_command("db_worker", batch=True, reload=False, verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    sk = _sk(fall)
    assert LagradFardplan.objects.get(sjalvskattning=sk).nyckel == fardplanlager.fardplan_nyckel(sk)
    assert _text(_lagrad(sk)) == _text(pdf.fardplan_pdf(sk))
