"""Development: `make run`. Never use these settings on a server."""

from .base import *  # noqa: F403
from .base import os

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = ["*"]
# Emails are printed to the console unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The demo admin (admin / changeme) is created by `load_demo --demo-admin` only here.
DEMO_ADMIN_ALLOWED = True
# Serve static files straight from the finders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Official responses are signed with a self-signed demo certificate (docs/letters.md).
LETTER_SIGNING_DEMO = True
