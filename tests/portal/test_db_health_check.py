"""portal.postgresql: a reused connection is checked without a round trip, and a
connection the server has closed (a restart, a terminated backend) is still caught."""

import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

# Real connections, closed and opened again: no test transaction around them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert settings.DATABASES["default"]["ENGINE"] == "portal.postgresql"
    connection.ensure_connection()
    return connection.connection


def test_an_idle_connection_is_usable_without_a_query(postgresql, monkeypatch):
    def no_query(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(postgresql, "cursor", no_query)
    monkeypatch.setattr(postgresql, "execute", no_query)
    assert connection.is_usable()


def test_a_connection_the_server_closed_is_not_usable(postgresql):
    pid = postgresql.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not connection.is_usable()
    connection.close()  # Django's own path after a failed health check
    connection.ensure_connection()
    assert connection.is_usable()
