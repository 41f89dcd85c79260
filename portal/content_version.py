"""The content version: one token that changes whenever public content changes.

Everything kept for "every visitor alike" (anonymous pages in the page cache, template
fragments, search responses, the wizard's catalog) is keyed by it, so a publish, a
unit renamed or a setting edited shows at once and nothing has to be deleted.

- The token lives in Django's default cache (Redis with REDIS_URL: shared by every
  process; local memory otherwise, one per process, which is right only for a single
  process such as `make run`: run several workers with Redis).
- The apps that own public content say which of their models count, in their
  `AppConfig.ready()`: `content_version.watch(Model, ...)`. A save or delete of one of
  them bumps the token at once (this process sees its own change) and again after the
  commit (no other process keeps a page rendered from the old rows in between).
- If the cache cannot be reached the token is None: callers then render afresh and
  keep nothing.

Ground floor: imports nothing of ours.
"""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.functional import SimpleLazyObject

KEY = "content-version"

logger = logging.getLogger(__name__)


def current():
    """The current token, or None when the cache cannot be reached."""
    try:
        version = cache.get(KEY)
        if version is None:  # first use, evicted or flushed: a new version
            cache.add(KEY, secrets.token_hex(8), None)
            version = cache.get(KEY)
    except Exception:
        logger.exception("content version: the cache could not be read")
        return None
    return version


def for_request(request):
    """The token for one request, read once (kept as `request.content_version`)."""
    if request is None:
        return current()
    version = getattr(request, "content_version", None)
    if version is None:
        version = request.content_version = current()
    return version


def _set_new_version():
    try:
        cache.set(KEY, secrets.token_hex(8), None)
    except Exception:
        logger.exception("content version: the new version could not be stored")


def bump(**kwargs):
    """Public content changed: a new version now and another after the commit. Usable as
    a signal receiver."""
    _set_new_version()
    transaction.on_commit(_set_new_version)


def _bump_unless_created(created=False, **kwargs):
    if not created:
        bump()


def watch(*models, on_create=True):
    """Bump the version whenever one of `models` is saved or deleted. `on_create=False`
    for rows made on first use with their defaults (a site's settings), whose creation
    changes nothing a visitor sees."""
    receiver = bump if on_create else _bump_unless_created
    for model in models:
        label = model._meta.label
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"content-version-save-{label}")
        post_delete.connect(bump, sender=model, weak=False, dispatch_uid=f"content-version-delete-{label}")


def context(request):
    """Template context processor: `content_version` (read when first used) and
    `fragment_seconds` (FRAGMENT_CACHE_SECONDS) for `{% cache %}` and `{% wagtailcache %}`:
    `{% cache fragment_seconds "name" page.pk content_version %}`."""
    return {
        "content_version": SimpleLazyObject(lambda: for_request(request)),
        "fragment_seconds": int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0)),
    }
