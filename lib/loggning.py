"""JSON-lines logs with the request's id, the user's id and region, and nothing personal.

One small formatter rather than python-json-logger: what matters here is what is left
*out*. The formatter writes a fixed set of keys plus an allowlist of ``extra`` fields
(``FALT``); any other attribute a library hangs on a record is dropped, and an
exception is written as its class and stack frames without its message (a database
error's message can quote the row it refused). python-json-logger's default is the
opposite (every extra goes out), so it would need the same allowlist on top.

The request context lives in a ``contextvars.ContextVar`` set by
``drift.middleware.request_context_middleware``; ``KontextFilter`` reads the user and
region only from what the request has already loaded, so logging never adds a query.
"""

import json
import logging
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime

from django.utils.functional import empty

# The request (or the background job) the current code runs for.
aktuell_begaran: ContextVar = ContextVar("aktuell_begaran", default=None)
aktuellt_jobb: ContextVar = ContextVar("aktuellt_jobb", default=None)

# Extra fields that may be logged: ids, codes, counts, durations, never free text.
FALT = (
    "request_id",
    "user_id",
    "region",
    "event",
    "method",
    "route",
    "status",
    "duration_ms",
    "client_ip",
    "task_id",
    "task",
    "task_status",
    "worker_id",
    "path",
)


def _cachad_anvandare(request):
    """The user if the request has loaded it already (a SimpleLazyObject), else None."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    return None if wrapped is empty else wrapped


class KontextFilter(logging.Filter):
    """Adds request_id, user_id and region (the region's code) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = aktuell_begaran.get()
        if request is not None:
            record.request_id = getattr(request, "request_id", None)
            user = _cachad_anvandare(request)
            if user is not None and getattr(user, "is_authenticated", False):
                record.user_id = user.pk
                profil = getattr(user, "_profil_cache", None)
                region = getattr(profil, "region", None) if profil else None
                if region is not None:
                    record.region = region.kod
            match = getattr(request, "resolver_match", None)
            if match is not None and not getattr(record, "region", None):
                kod = match.kwargs.get("kod")
                if kod:
                    record.region = kod
        jobb = aktuellt_jobb.get()
        if jobb is not None and not getattr(record, "task_id", None):
            record.task_id = jobb
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message and the allowed fields."""

    def format(self, record: logging.LogRecord) -> str:
        post = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for falt in FALT:
            varde = getattr(record, falt, None)
            if varde is not None:
                post[falt] = varde if isinstance(varde, int | float | bool) else str(varde)
        if record.exc_info and record.exc_info[0] is not None:
            te = traceback.TracebackException(*record.exc_info)
            post["exc_type"] = f"{te.exc_type.__module__}.{te.exc_type.__qualname__}"
            post["stack"] = "".join(te.stack.format())
        return json.dumps(post, ensure_ascii=False)
