"""Rate limits hold across worker processes: two separate Python processes,
each a Django process with REDIS_URL set (as every gunicorn worker is), count
against one limit in the shared cache."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests import redis_check

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = redis_check.redis_url(13)

WORKER = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from intake import ratelimit

address, attempts = sys.argv[1], int(sys.argv[2])
request = RequestFactory().post("/track/", REMOTE_ADDR=address)
results = [ratelimit.allow(request, "lookup", "FOLLOWUP_LOOKUP_RATE", "20/600") for _ in range(attempts)]
submissions = [ratelimit.allow_submission(request) for _ in range(attempts)]
print(json.dumps({"backend": settings.CACHES["default"]["BACKEND"], "lookups": results, "submissions": submissions}))
"""


def run_workers(address, attempts, redis_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "FOLLOWUP_LOOKUP_RATE": "10/600",
        "INTAKE_SUBMIT_RATE": "10/600",
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    processes = [
        subprocess.Popen(  # noqa: S603 (our own code)
            [sys.executable, "-c", WORKER, address, str(attempts)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    return outputs


def test_two_worker_processes_share_one_limit_through_redis():
    redis_check.require_redis(REDIS_URL)
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    outputs = run_workers(address, attempts=8, redis_url=REDIS_URL)
    try:
        assert {o["backend"] for o in outputs} == {"django.core.cache.backends.redis.RedisCache"}
        # 16 attempts in all against a limit of 10: exactly 10 pass, whichever process made them.
        assert sum(sum(o["lookups"]) for o in outputs) == 10
        assert sum(sum(o["submissions"]) for o in outputs) == 10
    finally:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*{address}*"):
            client.delete(key)


def test_without_a_shared_cache_each_process_counts_alone():
    """Why REDIS_URL matters: with the per-process memory cache the same 16
    attempts all pass (8 per process, under 10 each)."""
    outputs = run_workers("10.9.9.9", attempts=8, redis_url=None)
    assert sum(sum(o["lookups"]) for o in outputs) == 16


CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_missing_redis_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run it"):
        redis_check.require_redis(CLOSED_PORT)


def test_missing_redis_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="not reachable"):
        redis_check.require_redis(CLOSED_PORT)


def test_a_running_redis_is_used_not_skipped(monkeypatch):
    monkeypatch.setattr(redis_check, "redis_answers", lambda url: True)
    monkeypatch.setenv("CI", "true")
    assert redis_check.require_redis(CLOSED_PORT) is None
