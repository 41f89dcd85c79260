"""The session engine used with a shared cache (SESSION_ENGINE with REDIS_URL):
Django's cached_db, saving an existing session with one UPDATE statement.

Django wraps every session save in a transaction (BEGIN, UPDATE, COMMIT: three round
trips). A single UPDATE is atomic by itself, so outside a transaction it is sent
alone; creating a session (an INSERT that may collide) and any save inside a
transaction keep Django's way.
"""

from django.contrib.sessions.backends import cached_db, db
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, connections, router


class _OneStatementUpdate(db.SessionStore):
    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create)
        obj = self.create_model_instance(self._get_session())
        using = router.db_for_write(self.model, instance=obj)
        if connections[using].in_atomic_block:
            return super().save(must_create)
        try:
            obj.save(force_update=True, using=using)
        except DatabaseError as error:  # the row is gone (expired and cleared)
            raise UpdateError from error


class SessionStore(cached_db.SessionStore, _OneStatementUpdate):
    """cached_db: read from the cache first, written to both."""
