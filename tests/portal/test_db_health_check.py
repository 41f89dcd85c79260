"""portal.postgresql: a reused connection is checked without a round trip, and a
connection the server has closed (a restart, a terminated backend) is still caught.

Each test opens its own connection to the test database (outside the test's
transaction), so closing and reopening it touches nothing else."""

import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def own():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert settings.DATABASES["default"]["ENGINE"] == "portal.postgresql"
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_an_idle_connection_is_usable_without_a_query(own, monkeypatch):
    def no_query(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(own.connection, "cursor", no_query)
    monkeypatch.setattr(own.connection, "execute", no_query)
    assert own.is_usable()


def test_a_connection_the_server_closed_is_not_usable(own):
    pid = own.connection.info.backend_pid
    params = own.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while own.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not own.is_usable()
    own.close()  # Django's own path after a failed health check
    own.ensure_connection()
    assert own.is_usable()
