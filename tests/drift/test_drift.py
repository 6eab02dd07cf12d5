"""Operations: /healthz with the worker and queue, /metrics, request ids, JSON logs, job logs."""

import datetime
import json
import logging
import sys

import pytest
from django.core.management import call_command
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from drift.models import WorkerHeartbeat
from lib.loggning import JsonFormatter, KontextFilter, aktuell_begaran
from tests.factories import SjalvskattningFactory

pytestmark = pytest.mark.django_db


@task()
def jobb_som_lyckas(n: int) -> int:
    logging.getLogger("tests.jobb").info("inne i jobbet")
    return n * 2


@task()
def jobb_som_misslyckas() -> None:
    namn = "Anna Andersson"  # an error message with personal data
    raise ValueError(f"{namn} kunde inte ...")


# --- /healthz ------------------------------------------------------------------------------


def test_healthz_without_a_worker_says_so(client):
    data = client.get("/healthz").json()
    assert data["arbetare"] == {
        "status": "saknas",
        "senaste_puls": None,
        "sekunder_sedan_puls": None,
    }
    assert data["ko"] == {"vantande_jobb": 0, "aldsta_jobb_sekunder": None}


def test_healthz_reports_the_heartbeat_and_the_oldest_queued_job(client, settings):
    nu = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="a", host="h", pid=1, startad=nu, senast=nu - datetime.timedelta(seconds=5)
    )
    WorkerHeartbeat.objects.create(
        worker_id="b", host="h", pid=2, startad=nu, senast=nu - datetime.timedelta(minutes=9)
    )
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    jobb_som_lyckas.enqueue(1)
    jobb_som_lyckas.enqueue(2)
    DBTaskResult.objects.update(enqueued_at=nu - datetime.timedelta(seconds=120))
    data = client.get("/healthz").json()
    assert data["arbetare"]["status"] == "ok"
    assert 5 <= data["arbetare"]["sekunder_sedan_puls"] < 30
    assert data["ko"]["vantande_jobb"] == 2
    assert 120 <= data["ko"]["aldsta_jobb_sekunder"] < 200


def test_healthz_calls_a_worker_silent_after_three_missed_beats(client):
    nu = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="a", host="h", pid=1, startad=nu, senast=nu - datetime.timedelta(seconds=45)
    )
    assert client.get("/healthz").json()["arbetare"]["status"] == "tyst"


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_beats_and_runs_the_queue(settings):
    """Transactional: the worker closes connections between jobs, as in production."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    resultat = jobb_som_lyckas.enqueue(21)
    lang_sedan = timezone.now() - datetime.timedelta(days=8)
    WorkerHeartbeat.objects.create(
        worker_id="gammal", host="h", pid=1, startad=lang_sedan, senast=lang_sedan
    )
    call_command(
        "run_worker", batch=True, reload=False, startup_delay=False, worker_id="w-test", verbosity=0
    )
    assert DBTaskResult.objects.get(pk=resultat.id).status == "SUCCESSFUL"
    puls = WorkerHeartbeat.objects.get()  # the week-old row of a stopped worker is gone
    assert puls.worker_id == "w-test"
    assert (timezone.now() - puls.senast).total_seconds() < 30


# --- /metrics ------------------------------------------------------------------------------


def test_metrics_is_404_without_a_configured_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_wants_the_right_bearer_token(client, settings):
    settings.METRICS_TOKEN = "hemlig-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer fel").status_code == 401
    assert client.post("/metrics", HTTP_AUTHORIZATION="Bearer hemlig-token").status_code == 405


def test_metrics_counts_requests_the_queue_and_round_progress(client, settings, planerare):
    settings.METRICS_TOKEN = "hemlig-token"
    SjalvskattningFactory(status="inskickad", omgang__malbild_version=_version())
    client.force_login(planerare)
    for _ in range(3):
        client.get(reverse("start"))
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer hemlig-token").content.decode()
    rader = {
        r.rsplit(" ", 1)[0]: float(r.rsplit(" ", 1)[1])
        for r in text.splitlines()
        if r and not r.startswith("#")
    }
    assert rader['malbild_http_requests_total{method="GET",route="start",status="200"}'] >= 3
    assert (
        'malbild_http_request_duration_seconds_bucket{le="0.25",method="GET",route="start"}'
        in rader
    )
    assert rader["malbild_task_queue_length"] == 0
    assert rader['malbild_sjalvskattningar{status="inskickad"}'] == 1
    assert rader['malbild_sjalvskattningar{status="godkand"}'] == 0
    # Views by name, never a path with ids, and nothing about a person.
    assert "p-sthlm" not in text and "/vardcentraler/" not in text


def _version():
    from malbild.models import MalbildVersion

    return MalbildVersion.objects.get(slug="2024-10-9251")


# --- Request id and JSON logs --------------------------------------------------------------


def test_a_request_id_is_made_or_taken_from_x_request_id(client):
    eget = client.get("/healthz")["X-Request-ID"]
    assert len(eget) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-abc.123")["X-Request-ID"] == "lb-abc.123"
    # Something that is not an id (too long, odd characters) is replaced, not echoed.
    konstigt = client.get("/healthz", HTTP_X_REQUEST_ID="<script>" + "x" * 80)["X-Request-ID"]
    assert "<" not in konstigt and len(konstigt) == 32


def test_the_access_log_line_has_request_user_and_region_ids(client, planerare, caplog):
    client.force_login(planerare)
    with caplog.at_level(logging.INFO, logger="drift.request"):
        response = client.get(reverse("start"), HTTP_X_REQUEST_ID="rid-1")
    post = [r for r in caplog.records if getattr(r, "event", None) == "request"][-1]
    KontextFilter().filter(post)  # caplog's handler sits before the console handler's filter
    rad = json.loads(JsonFormatter().format(post))
    assert response.status_code == 200
    assert rad["request_id"] == "rid-1"
    assert rad["route"] == "start" and rad["status"] == 200 and rad["method"] == "GET"
    assert rad["user_id"] == planerare.pk and rad["region"] == "01"
    assert isinstance(rad["duration_ms"], float)


def test_the_json_formatter_drops_unlisted_fields_and_exception_messages():
    namn, nummer = "Anna Andersson", "19121212-1212"  # data, not code: not in the stack's lines
    try:
        raise ValueError(f"{namn}, {nummer}")
    except ValueError:
        post = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "Fel i %s", ("jobbet",), sys.exc_info()
        )
    post.motivering = "fritext som aldrig ska loggas"
    post.event = "task_failed"
    rad = json.loads(JsonFormatter().format(post))
    assert rad["msg"] == "Fel i jobbet" and rad["event"] == "task_failed"
    assert rad["exc_type"] == "builtins.ValueError" and "raise ValueError" in rad["stack"]
    text = json.dumps(rad, ensure_ascii=False)
    assert "Anna" not in text and "1212" not in text and "fritext" not in text


def test_log_lines_outside_a_request_have_no_request_fields():
    assert aktuell_begaran.get() is None
    post = logging.LogRecord("x", logging.INFO, __file__, 1, "hej", (), None)
    KontextFilter().filter(post)
    assert "request_id" not in json.loads(JsonFormatter().format(post))


# --- The worker's job log ------------------------------------------------------------------


def test_jobs_log_start_end_and_duration_with_their_id(caplog):
    with caplog.at_level(logging.INFO):
        resultat = jobb_som_lyckas.enqueue(2)
    jobb = [r for r in caplog.records if r.name == "drift.jobb"]
    assert [r.event for r in jobb] == ["task_started", "task_finished"]
    assert all(r.task_id == str(resultat.id) for r in jobb)
    assert jobb[1].task == "tests.drift.test_drift.jobb_som_lyckas"
    assert jobb[1].task_status == "SUCCESSFUL" and jobb[1].duration_ms >= 0
    inne = next(r for r in caplog.records if r.name == "tests.jobb")
    KontextFilter().filter(inne)
    assert inne.task_id == str(resultat.id)


def test_a_failed_job_is_logged_as_failed_without_its_message(caplog):
    with caplog.at_level(logging.INFO):
        jobb_som_misslyckas.enqueue()
    slut = [r for r in caplog.records if r.name == "drift.jobb"][-1]
    assert slut.levelno == logging.ERROR and slut.event == "task_failed"
    assert slut.task_status == "FAILED" and slut.duration_ms >= 0
    assert "Anna" not in JsonFormatter().format(slut)
