"""A database outage (PostgreSQL restarted, the connection broke) shows the
citizen a Persian 503 page, writes nothing half-way, and the next request works."""

import os
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from intake.models import Draft, RequestAttachment, RequestEvent, ServiceRequest, SmsMessage
from tests.intake.conftest import _clean_state  # noqa: F401 (removes the private files afterwards)
from tests.intake.files import png
from tests.intake.helpers import BASE, choose, fill_to_review, step

OUTAGE_TEXT = "سامانه موقتاً در دسترس نیست"


@contextmanager
def broken_database(error=OperationalError, when=lambda sql: True):
    """Every query that `when` picks fails as a dropped connection does."""

    def fail(execute, sql, params, many, context):
        if when(sql):
            raise error("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


@pytest.fixture
def citizen():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_outage_gets_the_persian_503_page_and_the_portal_recovers(citizen, home, error):
    assert citizen.get("/").status_code == 200
    with broken_database(error):
        response = citizen.get("/")
    assert response.status_code == 503
    body = response.content.decode()
    assert OUTAGE_TEXT in body
    assert 'lang="fa" dir="rtl"' in body
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    # The outage is over: the same page answers again, no restart needed.
    assert citizen.get("/").status_code == 200


@pytest.mark.django_db
def test_other_failures_keep_the_500_page(citizen, home, monkeypatch):
    from home.models import HomePage

    def boom(*args, **kwargs):
        raise ValueError("a programming error")

    monkeypatch.setattr(HomePage, "serve", boom)
    response = citizen.get("/")
    assert response.status_code == 500
    assert "خطای سامانه" in response.content.decode()
    assert OUTAGE_TEXT not in response.content.decode()


@pytest.mark.django_db
def test_outage_during_final_submission_writes_nothing(citizen, intake_page, service, officer):
    fill_to_review(citizen, service, officer, files=[png("a.png"), png("b.png")])
    draft = Draft.objects.get()
    assert draft.files.count() == 2
    # The connection drops after the request and its attachments were written,
    # at the first workflow event: the whole submission must roll back.
    with broken_database(when=lambda sql: "intake_requestevent" in sql and sql.lstrip().startswith("INSERT")):
        response = citizen.post(step(6), {"action": "next"})
    assert response.status_code == 503
    assert OUTAGE_TEXT in response.content.decode()
    assert ServiceRequest.objects.count() == 0
    assert RequestAttachment.objects.count() == 0
    assert RequestEvent.objects.count() == 0
    assert SmsMessage.objects.count() == 0
    draft.refresh_from_db()
    assert draft.submitted_at is None and draft.files.count() == 2
    # No copy of an attachment is left behind for the rolled-back request.
    stored = [name for _root, _dirs, names in os.walk(settings.PRIVATE_MEDIA_ROOT) for name in names]
    assert len(stored) == 2, stored
    # The citizen tries again once the database is back: one request, two attachments.
    response = citizen.post(step(6), {"action": "next"})
    assert response.status_code == 302
    request_obj = ServiceRequest.objects.get()
    assert request_obj.attachments.count() == 2
    assert RequestEvent.objects.filter(request=request_obj).count() == 1
    assert citizen.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_outage_while_saving_the_session_is_503_and_the_retry_works(citizen, intake_page, service, officer):
    """The final submission writes no session (its draft key is the request's key);
    a new request does: when that save fails (Django calls it SessionInterrupted, a
    400), still the outage page, the last receipt still shown, and trying again
    starts the new request."""
    fill_to_review(citizen, service, officer)
    assert citizen.post(step(6), {"action": "next"}).status_code == 302
    request_obj = ServiceRequest.objects.get()
    with broken_database(when=lambda sql: sql.lstrip().startswith("UPDATE") and "django_session" in sql):
        response = choose(citizen, service)
    assert response.status_code == 503
    assert OUTAGE_TEXT in response.content.decode()
    receipt = citizen.get(BASE + "receipt/")
    assert receipt.status_code == 200 and request_obj.tracking_code in receipt.content.decode()
    assert choose(citizen, service)["Location"] == step(1)
    assert ServiceRequest.objects.get() == request_obj


@pytest.mark.django_db
def test_other_bad_requests_keep_the_400_page(citizen, home, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = citizen.get("/", HTTP_HOST="evil.example")  # DisallowedHost: a 400, not an outage
    assert response.status_code == 400
    assert OUTAGE_TEXT not in response.content.decode()


def test_persistent_connections_are_health_checked():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
