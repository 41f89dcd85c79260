"""Production: SECRET_KEY and ALLOWED_HOSTS must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import STORAGES, env_bool, os

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

# Media as in base (disk, or the bucket of MEDIA_S3_BUCKET); static files fingerprinted.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "portal.storage.PortalStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
DEMO_ADMIN_ALLOWED = False
# Follow-up identity needs the SMS one-time code in production.
FOLLOWUP_OTP_REQUIRED = env_bool("FOLLOWUP_OTP_REQUIRED", True)

# Background tasks (the SMS) are stored in the database and run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

# Email goes through the SMTP server of EMAIL_HOST (base settings read EMAIL_* and
# DEFAULT_FROM_EMAIL); both TLS modes at once is a mistake worth stopping for.
if EMAIL_USE_TLS and EMAIL_USE_SSL:  # noqa: F405
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
