"""portal.sessions: Django's cached_db sessions, an existing session saved with one
UPDATE statement (no BEGIN/COMMIT around it) outside a transaction."""

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from portal.sessions import SessionStore

pytestmark = pytest.mark.django_db


@pytest.fixture
def outside_a_transaction(db, monkeypatch):
    """The test runs inside a transaction; the store must behave as in a request."""
    monkeypatch.setattr(connections["default"], "in_atomic_block", False)


def test_a_new_session_is_created_as_django_does(outside_a_transaction):
    store = SessionStore()
    store["draft"] = "abc"
    store.save()
    assert Session.objects.filter(session_key=store.session_key).exists()
    assert SessionStore(store.session_key)["draft"] == "abc"


def test_an_existing_session_is_saved_with_one_statement(outside_a_transaction):
    store = SessionStore()
    store["draft"] = "abc"
    store.save()
    store["draft"] = "def"
    with CaptureQueriesContext(connection) as captured:
        store.save()
    sql = [q["sql"] for q in captured.captured_queries]
    assert len(sql) == 1 and sql[0].startswith('UPDATE "django_session"'), sql
    stored = Session.objects.get(session_key=store.session_key).get_decoded()
    assert stored["draft"] == "def"


def test_inside_a_transaction_django_s_way_is_kept():
    store = SessionStore()
    store.save()
    store["draft"] = "x"
    with CaptureQueriesContext(connection) as captured:
        store.save()
    assert any(q["sql"].startswith("SAVEPOINT") for q in captured.captured_queries)


def test_a_session_deleted_meanwhile_is_an_update_error(outside_a_transaction):
    store = SessionStore()
    store.save()
    Session.objects.filter(session_key=store.session_key).delete()
    store["draft"] = "x"
    with pytest.raises(UpdateError):
        store.save()
