"""The server error handler: Swedish 500 page, or 503 when the database cannot be reached.

Django renders 400, 403 (and 403_csrf), 404 and 500 from the templates of the same names
(``templates/4xx.html``); only the 500 handler is ours, to tell "the database is away" from
a fault. That page is rendered without the request, so it needs no database: the layout's
menu (which reads the user's role) is left out, the way back to the start page is not.
The connection recovers by itself: Django drops an unusable connection at the end of the
request (``CONN_HEALTH_CHECKS``) and the next request connects anew.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SEKUNDER = 30


def server_error(request, *args, **kwargs) -> HttpResponse:
    fel = sys.exc_info()[1]
    if isinstance(fel, OperationalError | InterfaceError):
        logger.error("Databasen svarar inte: %s", fel)
        response = HttpResponse(
            render_to_string("503.html", {"sekunder": RETRY_AFTER_SEKUNDER}), status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SEKUNDER)
        return response
    return HttpResponseServerError(render_to_string("500.html"))
