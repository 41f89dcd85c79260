"""A known database at the start of a module of transactional tests, whatever test
ran before it.

Transactional tests (`django_db(transaction=True)`) empty every table when they end,
in one of two ways that do not mix:
- without serialized rollback, the flush sends post_migrate, which makes the content
  types, permissions and roles again under new ids;
- with serialized rollback, it does not (the next such test loads the migrations'
  rows, ids and all), so the database is left empty.
A plain transactional test after a serialized one finds no content types, no roles,
while Django's ContentType cache still holds the old ids ("content type 1 is not a
valid choice": flaky, as it depends on which test ran before). A serialized test
after a plain one cannot load its rows (the roles and content types exist already
under other ids), and cannot be helped from here: its rows come only from the
snapshot Django keeps privately. So these modules use plain transactional tests and
`start_as_after_a_flush`.

Use: the fixture imported into the module and named in its pytestmark
(`pytest.mark.usefixtures("start_as_after_a_flush")`). A module fixture is set up
before any function fixture, so before the test case or tests/conftest.py's Wagtail
baseline touches the database."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(scope="module")
def start_as_after_a_flush(django_db_setup, django_db_blocker):
    """The database as a plain transactional test's own flush leaves it: empty but for
    what post_migrate makes (content types, permissions, the roles); the caches that
    hold ids emptied. tests/conftest.py then adds the Wagtail baseline."""
    with django_db_blocker.unblock():
        # As the test case's own flush: sequences go on (no id is handed out twice).
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
        ContentType.objects.clear_cache()
        cache.clear()  # Wagtail keeps site root paths there, under ids just removed
