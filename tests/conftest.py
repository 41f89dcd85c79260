import pytest
from wagtail.models import Collection, Locale, Page

from tests.factories import ServiceIndexPageFactory, make_site


@pytest.fixture(autouse=True)
def wagtail_baseline(request):
    """Transactional tests (browser tests, concurrency) empty every table after
    they run, including the rows Wagtail's migrations create; give each such test
    the same baseline the migrations give (default locale, root page, root
    collection) so the order tests run in never matters."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("_django_db_helper")
    elif {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
    else:
        return
    locale = Locale.objects.get_or_create(language_code="fa")[0]
    if Page.get_first_root_node() is None:
        Page.add_root(title="ریشه", locale=locale)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="ریشه")


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def service_index(home):
    return ServiceIndexPageFactory(parent=home)


@pytest.fixture
def uncached(settings):
    """Whole pages rendered every time (no page cache), from an empty cache."""
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_outbox(settings):
    """The SMS gateway keeps what it sends in intake.sms.outbox, emptied before and
    after the test: a one-time code or a resume link is only ever there (the SMS log's
    row masks it)."""
    from intake import sms

    settings.SMS_BACKEND = "intake.sms.MemoryBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
