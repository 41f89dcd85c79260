"""Logs never hold national codes, mobile numbers or tracking codes in clear."""

import io
import logging

import pytest
from django.conf import settings

from intake.models import ServiceRequest
from portal.logging import MaskPersonalDataFilter, mask_personal_data
from portal.persian import to_persian_digits
from tests.intake import conftest as intake_fixtures
from tests.intake.helpers import fill_to_review, step

_clean_state = intake_fixtures._clean_state
intake_page = intake_fixtures.intake_page
unit = intake_fixtures.unit
officer = intake_fixtures.officer
service = intake_fixtures.service


@pytest.mark.parametrize(
    "secret",
    [
        "0499370899",  # national code
        "۰۴۹۹۳۷۰۸۹۹",
        "049-937089-9",
        "09121234567",  # mobiles
        "+989121234567",
        "+98 912 123 4567",
        "00989121234567",
        "0912 123 4567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "4823719056234817",  # tracking code
        "۴۸۲۳۷۱۹۰۵۶۲۳۴۸۱۷",
        "4823-7190-5623-4817",
        "4823 7190 5623 4817",
        "Citizen.Name@example.org",  # an email address
    ],
)
def test_personal_numbers_are_masked(secret):
    masked = mask_personal_data(f"user {secret}, done")
    assert masked.startswith("user ") and masked.endswith(", done")
    digits = [ch for ch in masked if ch.isdigit()]
    assert digits in ([], ["9", "8"]), masked  # at most the +98 country code remains
    assert secret not in masked


@pytest.mark.parametrize(
    "harmless",
    ["request 1234 took 35 ms", "2026-11-24 03:55:11", "status 404", "service 100121350"],
)
def test_ordinary_numbers_stay_readable(harmless):
    assert mask_personal_data(harmless) == harmless


def test_the_filter_masks_message_arguments_and_tracebacks():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "lookup %s for %(code)s", None, None)
    record.args = ("0499370899",)
    record.msg = "lookup %s for 09121234567"
    try:
        raise ValueError("bad code 4823719056234817")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert MaskPersonalDataFilter().filter(record) is True
    assert record.getMessage() == "lookup ********** for ***********"
    assert "4823719056234817" not in record.exc_text and "ValueError: bad code" in record.exc_text
    # dict arguments too
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%(who)s", ({"who": "09121234567"},), None)
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == "***********"


def test_every_configured_handler_carries_the_filter():
    assert settings.LOGGING["filters"]["personal_data"]["()"] == "portal.logging.MaskPersonalDataFilter"
    for name, handler in settings.LOGGING["handlers"].items():
        assert "personal_data" in handler.get("filters", []), name
    # Django's own loggers lost their unfiltered default handlers.
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django.server").handlers == []
    root_handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert root_handlers
    for handler in root_handlers:
        assert any(isinstance(f, MaskPersonalDataFilter) for f in handler.filters)


@pytest.fixture
def console_output():
    """What the configured console handler writes, through its own filters."""
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    stream = io.StringIO()
    old = handler.setStream(stream)
    old_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.INFO)
    yield stream
    logging.getLogger().setLevel(old_level)
    handler.setStream(old)


def test_a_submitted_request_leaves_no_personal_number_in_the_log(
    client, intake_page, service, officer, console_output, caplog, django_capture_on_commit_callbacks
):
    """The wizard's final step queues the SMS; the console SMS backend logs the
    recipient and the text. The log shows neither the mobile nor the code."""
    caplog.set_level(logging.INFO)
    fill_to_review(client, service, officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step(6), {"action": "next"})
    assert response.status_code == 302
    request_obj = ServiceRequest.objects.get()
    written = console_output.getvalue()
    assert "SMS to" in written  # the message was logged...
    for text in (written, caplog.text):
        for secret in (request_obj.mobile, request_obj.tracking_code, request_obj.national_code):
            assert secret not in text
            assert to_persian_digits(secret) not in text
        assert request_obj.mobile[1:] not in text
    assert "SMS to ***********" in written
