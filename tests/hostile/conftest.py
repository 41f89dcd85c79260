import io
import logging

import pytest
from django.core.cache import cache

from tests.intake import conftest as intake_fixtures

# The wizard's fixtures (a live IntakePage, a unit, its officer, a service).
intake_page = intake_fixtures.intake_page
unit = intake_fixtures.unit
officer = intake_fixtures.officer
service = intake_fixtures.service


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages from one case never reach the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def private_root(settings, tmp_path):
    """Attachments of this test only (the default folder is shared by every run)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def emitted_log():
    """What the configured handlers write (after settings.LOGGING's personal-data
    filter), as text: read `.getvalue()` at the end of the test."""
    stream = io.StringIO()
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    assert handlers, "settings.LOGGING has no stream handler on the root logger"
    previous = [handler.setStream(stream) for handler in handlers]
    yield stream
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


def assert_not_server_error(response, case=""):
    assert response.status_code < 500, f"{case}: {response.status_code}"
