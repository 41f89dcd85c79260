"""Settings shared by every environment.

Everything that differs between machines comes from environment variables,
documented in the README. Nothing here touches the database.
"""

import os
from datetime import timedelta
from pathlib import Path  # noqa: F401 (re-exported for the settings modules)

import dj_database_url
from csp.constants import NONCE

PORTAL_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PORTAL_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "home",
    "services",
    "cms_pages",
    "intake",
    "desk",
    "search",
    "staffauth",
    "demo",  # the top floor: load_demo, which imports every app's demo loader
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.api.v3",  # the API tokens staff create and revoke in the admin (desk API)
    "ninja",  # django-ninja's Swagger UI files, served locally for /api/desk/docs (no CDN)
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_jalali",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",  # the sitemap's XML templates (wagtail.contrib.sitemaps)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.security.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staffauth.middleware.StaffSessionMiddleware",
    # Anonymous public pages from the cache (portal.pagecache), keyed by the content version.
    "portal.pagecache.PageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                # `content_version` and `fragment_seconds` for {% cache %} / {% wagtailcache %}.
                "portal.content_version.context",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Database: DATABASE_URL (postgres://user@host:5432/name), SQLite file by default.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A persistent connection is checked before each request reuses it: after
        # a PostgreSQL restart the next request reconnects instead of failing.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, local memory otherwise.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "mizekhedmat",
        }
    }
    # Sessions (the wizard's draft key, staff sign-in) read through the shared
    # cache first, written to both. Not with the per-process memory cache: workers
    # would disagree.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages (portal.pagecache): anonymous pages kept this many seconds (0: off),
# keyed by the content version (portal.content_version), so a publish shows at once.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Cache-Control max-age of those pages, for nginx or a CDN in front.
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))
# Template fragments the same for every visitor ({% cache %} / {% wagtailpagecache %}
# varied on the content version); 0 stops new fragments being kept (those already
# kept are read until they expire or the content version changes).
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "600"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Persian first and default, English as the second content language.
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "انگلیسی")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The admin speaks Persian only (its English leftovers completed by locale/), so no
# staff member is offered a language choice.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fa", "فارسی")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

# Static files: the project's own under static/, vendor assets (installed from
# npm by `make assets`) under static/vendor/, which git ignores.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def s3_storage_options(bucket, prefix, **extra):
    """Options of storages.backends.s3.S3Storage (django-storages) for `bucket`, files
    under `prefix`, from the MEDIA_S3_* variables. Objects get no ACL (the bucket's
    policy decides: nothing is public-read unless asked), URLs are signed, and a new
    file never replaces one of the same name."""
    endpoint = os.environ.get("MEDIA_S3_ENDPOINT_URL") or None
    return {
        "bucket_name": bucket,
        "location": prefix.strip("/"),
        "endpoint_url": endpoint,
        "region_name": os.environ.get("MEDIA_S3_REGION") or None,
        # Empty: boto3's own chain (AWS_ACCESS_KEY_ID, an instance role).
        "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
        # S3-compatible services (ArvanCloud, MinIO) take the bucket in the path.
        "addressing_style": os.environ.get("MEDIA_S3_ADDRESSING_STYLE") or ("path" if endpoint else None),
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": True,
        "custom_domain": None,
        "file_overwrite": False,
        **extra,
    }


def s3_origins(options):
    """The origins a browser fetches the storage's URLs from (for img-src)."""
    from urllib.parse import urlsplit

    if options["custom_domain"]:
        return [f"https://{options['custom_domain']}"]
    if options["endpoint_url"]:
        endpoint = urlsplit(options["endpoint_url"])
        if options["addressing_style"] == "virtual":
            return [f"{endpoint.scheme}://{options['bucket_name']}.{endpoint.netloc}"]
        return [f"{endpoint.scheme}://{endpoint.netloc}"]
    region = f".{options['region_name']}" if options["region_name"] else ""
    return [f"https://{options['bucket_name']}.s3{region}.amazonaws.com"]


# Public media (Wagtail images and documents) in an S3-compatible bucket when
# MEDIA_S3_BUCKET is set; MEDIA_ROOT on disk otherwise (docs/operations.md).
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
MEDIA_S3_ORIGINS = []
if MEDIA_S3_BUCKET:
    _media_s3 = s3_storage_options(
        MEDIA_S3_BUCKET,
        os.environ.get("MEDIA_S3_PREFIX", ""),
        custom_domain=os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
        # Only when asked (e.g. "public-read" for a bucket without a public policy).
        default_acl=os.environ.get("MEDIA_S3_DEFAULT_ACL") or None,
        querystring_auth=env_bool("MEDIA_S3_QUERYSTRING_AUTH", True),
    )
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _media_s3}
    MEDIA_S3_ORIGINS = s3_origins(_media_s3)
    # Documents stay downloads (WAGTAILDOCS_INLINE_CONTENT_TYPES) behind Wagtail's
    # privacy checks: streamed through Django, not a redirect to the bucket.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Search: Wagtail's database backend (SQLite FTS5, PostgreSQL full text with the
# `simple` configuration), made Persian-aware by search.backends; Elasticsearch,
# for the installed client's major version, when ELASTICSEARCH_URL is set.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}
if os.environ.get("ELASTICSEARCH_URL"):
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch",
            "URLS": [os.environ["ELASTICSEARCH_URL"]],
            "INDEX_PREFIX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "mizekhedmat_"),
        }
    }
# Anonymous search/autocomplete responses are cached this many seconds (0: off).
SEARCH_CACHE_SECONDS = int(os.environ.get("SEARCH_CACHE_SECONDS", "60"))

WAGTAIL_SITE_NAME = "میز خدمت"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Every document is a download (Content-Disposition: attachment), never shown inline.
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# The organisation the portal serves (editors change the wording in site settings).
PORTAL_VERSION = "1.0.0"

# Every handler carries the "personal_data" filter (portal.logging): national
# codes, mobile numbers and tracking codes never reach a log in clear. Django's
# own loggers lose their default handlers and go to the same filtered one.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "portal.logging.MaskPersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # Page publishing and background tasks log every step at INFO.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # The upload check reads every PDF twice (intake.uploads); pypdf warns on
        # each damaged cross-reference it rebuilds, which is routine here.
        "pypdf": {"level": "ERROR"},
    },
}

LANGUAGE_COOKIE_NAME = "portal_language"
DEMO_ADMIN_ALLOWED = False

# The request wizard (intake): attachments live outside MEDIA_ROOT, never served.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
# ... or in an S3-compatible bucket when PRIVATE_MEDIA_S3_BUCKET is set (it may be
# MEDIA_S3_BUCKET, the attachments under their own prefix): no ACL, no public URL
# (intake.storage). Endpoint, region and keys are the MEDIA_S3_* ones.
PRIVATE_MEDIA_S3 = None
if os.environ.get("PRIVATE_MEDIA_S3_BUCKET"):
    PRIVATE_MEDIA_S3 = s3_storage_options(
        os.environ["PRIVATE_MEDIA_S3_BUCKET"], os.environ.get("PRIVATE_MEDIA_S3_PREFIX", "private/")
    )
    # In the public bucket the attachments need a prefix of their own, outside the public one.
    _public = STORAGES["default"].get("OPTIONS", {})
    _private = PRIVATE_MEDIA_S3["location"]
    if _public.get("bucket_name") == PRIVATE_MEDIA_S3["bucket_name"] and (
        not _private or (_public["location"] and f"{_private}/".startswith(f"{_public['location']}/"))
    ):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "PRIVATE_MEDIA_S3_PREFIX must be a prefix of its own, outside MEDIA_S3_PREFIX, "
            "when the attachments share the public media's bucket."
        )
# Official responses are signed letters (intake.letters, docs/letters.md): the
# organisation's certificate and key as a PKCS#12 file and its password. Without
# them a response cannot be issued, except where LETTER_SIGNING_DEMO lets a
# self-signed demo certificate (made under PRIVATE_MEDIA_ROOT) stand in.
LETTER_SIGNING_P12 = os.environ.get("LETTER_SIGNING_P12", "")
LETTER_SIGNING_PASSWORD = os.environ.get("LETTER_SIGNING_PASSWORD", "")
LETTER_SIGNING_DEMO = env_bool("LETTER_SIGNING_DEMO", False)
# The public verification page (/verify/): lookups and uploads per client address.
LETTER_VERIFY_RATE = os.environ.get("LETTER_VERIFY_RATE", "30/600")
# Final submissions per client address: "count/seconds".
INTAKE_SUBMIT_RATE = os.environ.get("INTAKE_SUBMIT_RATE", "10/600")
# The wizard's other posts per client address: new drafts (each kept 48 h with up to
# two 80 KB files) and every step's form. A citizen makes one draft and 7 to 20 posts;
# these leave room for an office or a mobile network's shared address (docs/wizard.md).
INTAKE_DRAFT_RATE = os.environ.get("INTAKE_DRAFT_RATE", "30/3600")
INTAKE_STEP_RATE = os.environ.get("INTAKE_STEP_RATE", "300/600")
INTAKE_TRUST_X_FORWARDED_FOR = env_bool("INTAKE_TRUST_X_FORWARDED_FOR", False)
# Abandoned wizard drafts older than this are removed by `manage.py cleanup_intake_drafts`.
INTAKE_DRAFT_MAX_AGE_HOURS = int(os.environ.get("INTAKE_DRAFT_MAX_AGE_HOURS", "48"))
# «ذخیره و ادامه در زمانی دیگر» (intake.resume): how long a resume link works, and how
# many code SMS one client address may ask for per window.
INTAKE_RESUME_HOURS = int(os.environ.get("INTAKE_RESUME_HOURS", "72"))
INTAKE_RESUME_RATE = os.environ.get("INTAKE_RESUME_RATE", "5/600")
# Follow-up (/track/): lookups per client ("count/seconds"); SMS one-time code
# for identity (on in production settings); how long an unlock lasts.
FOLLOWUP_LOOKUP_RATE = os.environ.get("FOLLOWUP_LOOKUP_RATE", "20/600")
FOLLOWUP_OTP_REQUIRED = env_bool("FOLLOWUP_OTP_REQUIRED", False)
FOLLOWUP_OTP_TTL = int(os.environ.get("FOLLOWUP_OTP_TTL", "300"))
FOLLOWUP_OTP_MAX_ATTEMPTS = int(os.environ.get("FOLLOWUP_OTP_MAX_ATTEMPTS", "5"))
FOLLOWUP_UNLOCK_SECONDS = int(os.environ.get("FOLLOWUP_UNLOCK_SECONDS", "900"))

# Background tasks (django-tasks): the database backend (django-tasks-db, run by
# `manage.py db_worker`) in production; immediate elsewhere unless TASK_BACKEND says.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# SMS: console (log) backend by default; Kavenegar with SMS_BACKEND=intake.sms.KavenegarBackend.
SMS_ENABLED = env_bool("SMS_ENABLED", True)
SMS_BACKEND = os.environ.get("SMS_BACKEND", "intake.sms.ConsoleBackend")
SMS_KAVENEGAR_API_KEY = os.environ.get("SMS_KAVENEGAR_API_KEY", "")
SMS_KAVENEGAR_SENDER = os.environ.get("SMS_KAVENEGAR_SENDER", "")
SMS_KAVENEGAR_URL = os.environ.get("SMS_KAVENEGAR_URL", "https://api.kavenegar.com")
SMS_TIMEOUT = float(os.environ.get("SMS_TIMEOUT", "5"))
SMS_MAX_ATTEMPTS = int(os.environ.get("SMS_MAX_ATTEMPTS", "3"))
SMS_RETRY_BACKOFF = float(os.environ.get("SMS_RETRY_BACKOFF", "30"))

# Email to citizens who gave an address (intake.mail): Django's SMTP backend, set
# by the environment (docs/notifications.md); development prints to the console.
EMAIL_ENABLED = env_bool("EMAIL_ENABLED", True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "میز خدمت <no-reply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "3"))
EMAIL_RETRY_BACKOFF = float(os.environ.get("EMAIL_RETRY_BACKOFF", "30"))

# Security (docs/security.md). Headers that hold everywhere; production adds
# HTTPS-only cookies, HSTS and the SSL redirect.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Content Security Policy (django-csp 4). Citizen pages: nothing inline, every
# source this site; a template that really needs an inline script gives it
# nonce="{{ request.csp_nonce }}".
_CSP_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF, NONCE],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF, "data:", *MEDIA_S3_ORIGINS],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "frame-src": [_CSP_SELF],
        "object-src": ["'none'"],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail admin (and Django's admin) write inline scripts and style
# attributes; their policy allows those, and lets the admin frame its own
# previews. Everything else stays on this site.
CSP_ADMIN_PATH_PREFIXES = ["/admin/"]
# The admin's sign-in page runs no inline code: it keeps the strict policy.
CSP_ADMIN_STRICT_PATHS = ["/admin/login/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF, "'unsafe-inline'"],
        "style-src": [_CSP_SELF, "'unsafe-inline'"],
        "img-src": [_CSP_SELF, "data:", "blob:", *MEDIA_S3_ORIGINS],
        "font-src": [_CSP_SELF, "data:"],
        "connect-src": [_CSP_SELF],
        "frame-src": [_CSP_SELF],
        "object-src": ["'none'"],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_SELF],
    }
}

# Staff sign-in: django-axes locks a user name from one address out after
# AXES_FAILURE_LIMIT failures for AXES_COOLOFF_MINUTES (counts in the database,
# so every worker agrees).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "staffauth/lockout.html"
WAGTAILADMIN_USER_LOGIN_FORM = "staffauth.forms.StaffLoginForm"
AXES_VERBOSE = False

# Staff sessions end after STAFF_SESSION_IDLE_SECONDS without activity and
# STAFF_SESSION_MAX_SECONDS after sign-in, whichever comes first.
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", str(30 * 60)))
STAFF_SESSION_MAX_SECONDS = int(os.environ.get("STAFF_SESSION_MAX_SECONDS", str(10 * 60 * 60)))
# Two-factor sign-in (TOTP, django-otp) for staff: required for everyone when
# STAFF_2FA_REQUIRED is on or the admin ticks «الزام ورود دومرحله‌ای برای کارکنان»
# in Settings; a staff member who set up a device is always asked for it.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", False)
STAFF_PROTECTED_PATH_PREFIXES = ["/admin/"]
# Private pages (Wagtail's view restrictions) send staff to the admin's sign-in.
WAGTAIL_FRONTEND_LOGIN_URL = "/admin/login/"
OTP_TOTP_ISSUER = "میز خدمت"

# Upload scanning: ClamAV's clamd at CLAMD_ADDRESS ("host:port" or a Unix socket
# path). Empty: no scan. When set and clamd cannot answer, uploads are refused.
CLAMD_ADDRESS = os.environ.get("CLAMD_ADDRESS", "")
CLAMD_TIMEOUT = float(os.environ.get("CLAMD_TIMEOUT", "10"))

# The admin makes no requests to outside services (blocked by its connect-src and
# img-src anyway): no Gravatar avatars, no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
