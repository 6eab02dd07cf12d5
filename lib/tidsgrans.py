"""A time limit for CPU-bound work in a request or a task (PDF rendering).

WeasyPrint has no time limit of its own, and a thread cannot be stopped from outside, so the
limit is a ``SIGALRM`` timer: when it fires, ``Tidsgrans`` is raised in the middle of the
work (WeasyPrint's layout is Python code, so it is interrupted within a line or two).

Signals reach only the main thread. gunicorn's default (sync) workers and ``db_worker`` run
the work there, so production has the limit; in a thread (the development server) the work
runs without it and a warning is logged once.

A signal handler's exception is lost when the signal lands while Python runs a garbage
collector callback or a ``__del__`` method: Python reports it as "unraisable" and carries on.
So the timer repeats every ``UPPREPA`` seconds until the block ends; the next alarm stops the
work instead.
"""

import logging
import signal
import threading
from contextlib import contextmanager

logger = logging.getLogger(__name__)
_varnat = False
UPPREPA = 0.05  # seconds between repeated alarms after the first


class Tidsgrans(BaseException):
    """The work took longer than its limit and was stopped.

    A ``BaseException`` (like ``KeyboardInterrupt``): libraries that catch ``Exception`` to
    log and carry on (WeasyPrint does, around images and fonts) must not swallow it."""


@contextmanager
def tidsgrans(sekunder: float):
    global _varnat
    if threading.current_thread() is not threading.main_thread() or sekunder <= 0:
        if not _varnat:
            logger.warning("Ingen tidsgräns utanför huvudtråden (utvecklingsservern)")
            _varnat = True
        yield
        return

    def larm(signum, frame):
        raise Tidsgrans(f"Avbröts efter {sekunder} s")

    forra = signal.signal(signal.SIGALRM, larm)
    signal.setitimer(signal.ITIMER_REAL, sekunder, UPPREPA)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, forra)
