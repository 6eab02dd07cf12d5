"""/metrics counts every request under gunicorn, whichever worker process answered.

gunicorn with two workers that are replaced every 7 requests (--max-requests), so 20
requests are answered by at least three processes, most of them dead by the scrape;
prometheus_client's multiprocess mode must still add them all up. Runs against its own
SQLite file (the app needs its tables; the test database is not visible to gunicorn).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-test-token"  # noqa: S105


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, **headers) -> tuple[int, str]:
    begaran = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(begaran, timeout=60) as svar:  # noqa: S310
            return svar.status, svar.read().decode()
    except urllib.error.HTTPError as fel:
        return fel.code, ""


@pytest.fixture
def gunicorn(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'metrics.sqlite3'}",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "METRICS_TOKEN": TOKEN,
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = _ledig_port()
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--max-requests",
            "7",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                if _get(f"{url}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.25)
        yield url, tmp_path / "prometheus"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_request_counts_add_up_over_gunicorn_workers(gunicorn):
    url, katalog = gunicorn
    for _ in range(20):
        assert _get(f"{url}/tillganglighet/")[0] == 200
    status, text = _get(f"{url}/metrics", Authorization=f"Bearer {TOKEN}")
    assert status == 200
    rad = next(
        r
        for r in text.splitlines()
        if r.startswith("malbild_http_requests_total{") and 'route="tillganglighet"' in r
    )
    assert float(rad.rsplit(" ", 1)[1]) == 20
    # The 20 requests were answered by at least three processes (replaced every 7 requests).
    assert len(list(katalog.glob("counter_*.db"))) >= 3
    assert _get(f"{url}/metrics")[0] == 401
