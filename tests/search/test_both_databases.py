"""Search must behave the same on SQLite and PostgreSQL: this runs the search tests
again on the database the main run is not using (PostgreSQL on 127.0.0.1:5432
when the run is on SQLite, SQLite when it is on PostgreSQL)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
TESTS = ["tests/search/test_search.py", "tests/search/test_backend.py"]
POSTGRES_URL = os.environ.get("SEARCH_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")


def postgres_reachable():
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.django_db
def test_search_tests_pass_on_the_other_database(tmp_path):
    if connection.vendor == "postgresql":
        other = f"sqlite:///{tmp_path / 'search.sqlite3'}"
    elif postgres_reachable():
        other = f"{POSTGRES_URL.rstrip('/')}/search_{os.getpid()}"
    elif os.environ.get("CI"):
        pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432: search must be tested on both databases.")
    else:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    env = {**os.environ, "DATABASE_URL": other}
    result = subprocess.run(  # noqa: S603 (our own test run)
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--create-db", *TESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
