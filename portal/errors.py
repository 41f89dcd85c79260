"""Error pages that never touch the database.

`server_error` is the project's handler500. Django calls it while the failing
exception is still being handled, so it can tell a database outage
(OperationalError, InterfaceError: the server restarted, the connection broke)
from a programming error: an outage gets 503 with Retry-After and the Persian
«سامانه موقتاً در دسترس نیست» page, anything else the usual 500 page. Both
templates are standalone (no base template, no context processors, no queries),
so they render while PostgreSQL is down. The request's transaction rolled back
with the connection; the next request opens a new connection
(CONN_HEALTH_CHECKS), so the portal recovers without a restart.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

DATABASE_OUTAGE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_database_outage(error):
    return isinstance(error, DATABASE_OUTAGE)


def server_error(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if is_database_outage(error):
        logger.warning("database unavailable: %s", type(error).__name__)
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())
