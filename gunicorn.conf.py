"""gunicorn reads this file from the working directory (the image's /app) by default.

With PROMETHEUS_MULTIPROC_DIR set (the Dockerfile sets it), each worker process writes
its request counters there and /metrics adds them up (drift/metrics.py): the directory
is emptied when gunicorn starts, so counts begin at zero with the server, and a dead
worker's files are marked so its live gauges drop out.
"""

import os
import shutil
from pathlib import Path


def on_starting(server):
    katalog = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if katalog:
        shutil.rmtree(katalog, ignore_errors=True)
        Path(katalog).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
