"""Races forced, not hoped for (PostgreSQL only: SQLite has no row locks).

The pattern: one connection (`Holder`) does its write and keeps its transaction open;
the second actor starts on another connection and reads-then-writes the same row;
`wait_until_blocked` watches PostgreSQL until that second connection is waiting on a
lock (it must: with SELECT … FOR UPDATE it waits at the read, without it at the
write), and only then is the holder let go. So the second actor always reads before
the first commits, every run: remove the lock (or the conditional UPDATE) and the
stale read wins, every time."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

TIMEOUT = 20

# The marks of a module of forced races (`pytestmark = RACE_MODULE`, beside an import of
# tests.intake.transactional.start_as_after_a_flush): PostgreSQL only, real
# transactions, Wagtail's first rows back after each flush.
RACE_MODULE = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL (set DATABASE_URL=postgres://...)",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("start_as_after_a_flush"),
]


def in_thread(target):
    """Run `target` on its own thread (its own database connection). Returns the
    thread and a dict that gets "value" or "error"."""
    result = {}

    def run():
        try:
            result["value"] = target()
        except BaseException as error:  # noqa: BLE001 (handed to the test)
            result["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


class Holder:
    """Runs `write` in a transaction on its own connection and keeps the transaction
    (and its row locks) open until `release()`."""

    def __init__(self, write):
        self.holding = threading.Event()
        self.released = threading.Event()

        def run():
            with transaction.atomic():
                value = write()
                self.holding.set()
                if not self.released.wait(TIMEOUT):
                    raise TimeoutError("the holder was never released")
            return value

        self.thread, self.result = in_thread(run)
        if not self.holding.wait(TIMEOUT):
            self.release()
            raise AssertionError(f"the holder did not write: {self.result.get('error')!r}")

    def release(self):
        self.released.set()
        self.thread.join(TIMEOUT)
        return self.result


def waiting_on_a_lock():
    """How many other connections to this test database wait on a lock now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def wait_until_blocked(finished, timeout=TIMEOUT):
    """Poll (on a connection of its own) until another connection waits on a lock;
    False if `finished()` becomes true first (the actor never had to wait) or on timeout."""
    outcome = {}

    def watch():
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if waiting_on_a_lock():
                return True
            if finished():
                return False
            time.sleep(0.02)
        return False

    thread, outcome = in_thread(watch)
    thread.join(timeout + 5)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value", False)


def race(hold, then):
    """`hold` writes and keeps its transaction open; `then` runs on another connection
    and must reach the same row before `hold` commits. Returns (held, second, blocked):
    the two results ({"value": …} or {"error": …}) and whether the second waited."""
    holder = Holder(hold)
    try:
        thread, second = in_thread(then)
        blocked = wait_until_blocked(lambda: not thread.is_alive())
    finally:
        held = holder.release()
    thread.join(TIMEOUT)
    assert not thread.is_alive(), "the second actor never finished"
    return held, second, blocked
