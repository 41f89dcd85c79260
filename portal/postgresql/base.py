"""Django's PostgreSQL backend with a health check that costs no round trip.

With persistent connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS, Django checks a
reused connection at the start of every request by sending `SELECT 1`: one more
round trip to PostgreSQL for every request that touches the database. An idle
connection has nothing to read, so this backend first asks the socket (a
non-blocking poll): nothing to read means the connection is as it was left; anything
waiting (the server closed it on a restart or terminated the backend, or sent a
notice) falls back to Django's `SELECT 1`, which decides. Ground floor: imports
nothing of ours."""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed or getattr(connection, "broken", False):
            return False
        try:
            poller = select.poll()  # not select.select: no limit on descriptor numbers
            poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
            events = poller.poll(0)
        except (OSError, ValueError):
            return False
        if not events:
            return True
        return super().is_usable()
