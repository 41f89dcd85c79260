"""Benchmark-only settings: production-like (DEBUG off, persistent database
connections) plus one trivial view under bench/urls.py for the baseline. Never
used by the portal itself; `bench/search_bench.py` points gunicorn here."""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import LOGGING, os

DEBUG = False
SECRET_KEY = "bench-only-not-a-secret"  # noqa: S105 (loopback benchmark only)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}

# bench/public_bench.py: static files as in production (collectstatic into STATIC_ROOT,
# fingerprinted names, compressed copies) to measure page weight and cache lifetimes.
if os.environ.get("BENCH_MANIFEST_STATIC"):
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "portal.storage.PortalStaticFilesStorage"},
    }
