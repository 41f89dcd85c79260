"""Tests: `make test` (pytest). Same database selection as everywhere (DATABASE_URL)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, Path, os

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 (tests only)
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", BASE_DIR / ".test-media"))
DEMO_ADMIN_ALLOWED = True
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files straight from the finders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PRIVATE_MEDIA_ROOT = Path(os.environ.get("TEST_PRIVATE_MEDIA_ROOT", BASE_DIR / ".test-private-media"))
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SMS_BACKEND = "intake.sms.ConsoleBackend"
SMS_RETRY_BACKOFF = 0
EMAIL_RETRY_BACKOFF = 0
# django-axes needs the request in authenticate(); the test client's login()
# does not pass it. The lockout tests switch it on.
AXES_ENABLED = False
# The public page cache stays off in tests except where a test switches it on
# (tests/portal/test_page_cache.py): the test database is rolled back, the cache not.
PAGE_CACHE_SECONDS = 0
# The wizard's per-address limits on drafts and step posts stay off: the whole suite
# plays every citizen from 127.0.0.1. tests/hostile/test_wizard_limits.py sets them.
INTAKE_DRAFT_RATE = "0/1"
INTAKE_STEP_RATE = "0/1"
# Official responses are signed with a self-signed demo certificate (docs/letters.md).
LETTER_SIGNING_DEMO = True
LETTER_VERIFY_RATE = "0/1"
