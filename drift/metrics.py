"""Prometheus metrics: request counts and latencies, the job queue and round progress.

prometheus_client in its multiprocess mode: each gunicorn worker writes its counters to
memory-mapped files in ``PROMETHEUS_MULTIPROC_DIR`` and a scrape adds them up, so a
count does not depend on which worker answers, and a request costs no database or
cache write (the database would serialise every request on a few counter rows; Django's
default cache is per process). gunicorn.conf.py empties the directory at start and marks
dead workers. Without the variable (runserver, tests) the counters live in the process.

The gauges are read from the database at scrape time: counts and ages only, over all
regions, so nothing about a person or a single unit leaves the app.
"""

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from . import selectors

_PROCESSEN = CollectorRegistry(auto_describe=True)

FORFRAGNINGAR = Counter(
    "malbild_http_requests",
    "HTTP-förfrågningar per metod, vy och statuskod.",
    ["method", "route", "status"],
    registry=_PROCESSEN,
)
SVARSTID = Histogram(
    "malbild_http_request_duration_seconds",
    "Serverns svarstid per metod och vy.",
    ["method", "route"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=_PROCESSEN,
)


def request_observe(*, method: str, route: str, status: int, sekunder: float) -> None:
    FORFRAGNINGAR.labels(method=method, route=route, status=str(status)).inc()
    SVARSTID.labels(method=method, route=route).observe(sekunder)


class DriftCollector:
    """Gauges read from the database at scrape time: three queries."""

    def collect(self):
        ko = selectors.task_queue_state()
        yield GaugeMetricFamily(
            "malbild_task_queue_length", "Jobb som väntar i kön.", value=ko.vantande
        )
        yield GaugeMetricFamily(
            "malbild_task_queue_oldest_age_seconds",
            "Ålder på det äldsta väntande jobbet (0 när kön är tom).",
            value=ko.aldsta_sekunder or 0,
        )
        senast = selectors.worker_heartbeat_latest()
        yield GaugeMetricFamily(
            "malbild_worker_heartbeat_timestamp_seconds",
            "Tidpunkt (Unix-tid) för bakgrundsarbetarens senaste puls (0: ingen).",
            value=senast.timestamp() if senast else 0,
        )
        progress = GaugeMetricFamily(
            "malbild_sjalvskattningar",
            "Självskattningar i öppna omgångar per status, alla regioner.",
            labels=["status"],
        )
        for status, antal in selectors.sjalvskattning_status_counts().items():
            progress.add_metric([status], antal)
        yield progress


def metrics_text() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(FORFRAGNINGAR)
        registry.register(SVARSTID)
    registry.register(DriftCollector())
    return generate_latest(registry)
