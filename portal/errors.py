"""Error pages that never touch the database.

`server_error` is the project's handler500. Django calls it while the failing
exception is still being handled, so it can tell a database outage
(OperationalError, InterfaceError: the server restarted, the connection broke)
from a programming error. `bad_request` (handler400) does the same for a session
that could not be saved because the database went away (Django reports that as
SessionInterrupted, a 400). An outage gets 503 with Retry-After and the Persian
«سامانه موقتاً در دسترس نیست» page; anything else the usual 500/400 page. The
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
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_OUTAGE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_database_outage(error):
    """True when the error, or one it was raised from, is a lost database connection."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_OUTAGE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def unavailable(error):
    logger.warning("database unavailable: %s", type(error).__name__)
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if is_database_outage(error):
        return unavailable(error)
    return HttpResponseServerError(loader.get_template(template_name).render())


def bad_request(request, exception, template_name="400.html"):
    """handler400. A session that could not be saved because the database went
    away is reported by Django as SessionInterrupted (400): that is an outage too."""
    if is_database_outage(exception):
        return unavailable(exception)
    return defaults.bad_request(request, exception, template_name)
