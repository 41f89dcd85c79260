"""One rule for the tests that need a real Redis: where it does not answer, a
developer's run skips them with the reason; in CI (`CI` set, as .ci/run exports) they
fail instead, as the browser tests do when Chromium is missing (tests/e2e/conftest.py),
so a green CI never means the shared-cache tests did not run.

TEST_REDIS_URL names the server to use (default: this machine's, each module its own
database number)."""

import os

import pytest


def redis_url(db):
    """TEST_REDIS_URL when set, else the local Redis at database number `db`."""
    return os.environ.get("TEST_REDIS_URL") or f"redis://127.0.0.1:6379/{db}"


def redis_answers(url):
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2).ping())
    except Exception:  # noqa: BLE001 (any failure means: not reachable)
        return False


def require_redis(url):
    """Call first in a test or fixture that needs Redis at `url`: returns when it
    answers; otherwise skips, or fails when running in CI."""
    if redis_answers(url):
        return
    if os.environ.get("CI"):
        pytest.fail(f"Redis is not reachable at {url}: CI must run it (redis-server on 127.0.0.1:6379).")
    pytest.skip(f"Redis is not reachable at {url} (start redis-server, or set TEST_REDIS_URL)")
