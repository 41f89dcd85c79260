"""Faults under load: 200 citizens complete the request wizard at the same time
while things break, then the database is checked.

The portal runs under gunicorn (several workers) on 127.0.0.1 with its own
PostgreSQL database, Redis (cache and sessions), SMS through a fake Kavenegar
gateway on 127.0.0.1 that fails every other call, and `manage.py db_worker`
running the SMS tasks (with retries), as in production.

Scenario "kill" (default): once a third of the citizens hold a receipt, one
gunicorn worker is killed with SIGKILL; gunicorn starts a new one. A citizen
whose connection broke sends the same request again on a new connection (the
final POST is idempotent per draft: same request, same receipt).

Scenario "db-restart" (--db-restart): at the same moment PostgreSQL itself is
restarted (`pg_ctlcluster 15 main restart -m fast`, or --restart-command).
Requests in flight get the Persian 503 page «سامانه موقتاً در دسترس نیست»; the
citizen waits and tries the step again; the portal reconnects by itself.

Afterwards: every receipt's tracking code exists exactly once, with its
attachments on disk; no request lacks its first event; no attachment file is
left without a row; every SMS is sent or failed after its retries (none pending
once the task worker drained); the 5xx responses citizens saw, by kind.

    .venv/bin/python bench/fault_bench.py
    .venv/bin/python bench/fault_bench.py --db-restart
    .venv/bin/python bench/fault_bench.py --citizens 50 --workers 2

Bounded (time cap per run), 127.0.0.1 only; stops everything it started. Not a
test: it prints counts and ends with "FAULT CHECKS PASSED" or "FAULT CHECKS FAILED".
"""

import argparse
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadtest import (  # noqa: E402
    HOST,
    add_database_argument,
    child_pids,
    gunicorn_command,
    prepare_database,
    require_loopback_postgres,
    wait_for,
)
from bench.wizard_bench import STEP_NAMES, Citizen, lookup, png_bytes  # noqa: E402

RECEIPT_CODE = re.compile(r"<dt>کد پیگیری</dt><dd[^>]*>([^<]+)</dd>")
TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
OUTAGE_TEXT = "سامانه موقتاً در دسترس نیست"
FINAL_POST = "/request/step/6/"
WORKER_LOG = os.path.join(tempfile.gettempdir(), "fault-bench-db-worker.log")


class Tally:
    """Counts shared by the citizens' threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = Counter()
        self.statuses = Counter()
        self.samples = []
        self.receipts = []

    def add(self, what, sample=None):
        with self.lock:
            self.counts[what] += 1
            if sample is not None and len(self.samples) < 8:
                self.samples.append(f"{what}: {sample}")


class AlternatingModes:
    """Stands in for the fake gateway's list of modes: every other call fails (HTTP 502)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = Counter()

    def __bool__(self):
        return True

    def pop(self, _index=0):
        with self.lock:
            mode = "error" if sum(self.calls.values()) % 2 else "ok"
            self.calls[mode] += 1
            return mode


def start_gateway():
    """The fake Kavenegar of tests/intake/test_sms.py, failing every other call."""
    from http.server import ThreadingHTTPServer

    from tests.intake.test_sms import FakeKavenegar

    server = ThreadingHTTPServer((HOST, 0), FakeKavenegar)
    server.calls, server.modes, server.default_mode = [], AlternatingModes(), "ok"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class FaultyCitizen(Citizen):
    """The wizard's simulated citizen (bench/wizard_bench.py) with two attachments,
    counting broken connections and sending the same request again when one breaks."""

    def __init__(self, port, unit_id, officer_id, attachments, tally):
        super().__init__(port, unit_id, officer_id, attachments[0])
        self.attachments = attachments
        self.tally = tally
        self.current = None

    def close(self):
        if self.current is not None and self.connection is not None:
            self.tally.add(f"connection broken, {self.current} sent again")
        super().close()

    def request(self, method, path, body=None, content_type=None):
        kind = "final POST" if method == "POST" and path == FINAL_POST else "request"
        for attempt in range(6):
            self.current = kind
            try:
                return super().request(method, path, body, content_type)
            except (OSError, http.client.HTTPException):
                self.tally.add(f"no answer twice, {kind} sent again later")
                time.sleep(1 + attempt)
            finally:
                self.current = None
        raise ConnectionError(f"{method} {path}: no answer after 12 tries")

    def step(self, name):
        if name != "step 3":
            return super().step(name)
        url = "/request/step/3/"
        files = {
            f"file{n}": (f"scan-{n}.png", content, "image/png")
            for n, content in enumerate(self.attachments, start=1)
        }
        results = []
        for expected, call in (
            (200, lambda: self.request("GET", url)),
            (302, lambda: self.post_multipart(url, {"action": "next"}, files)),
        ):
            started = time.perf_counter()
            status, location, data = call()
            results.append((status, expected, (time.perf_counter() - started) * 1000, location, data))
        return results


def journey(citizen, tally, tries=8):
    """All six steps and the receipt; a step answered with a 5xx is tried again after a pause.
    Returns the receipt's tracking code, or None."""
    results = []
    for name in STEP_NAMES:
        for attempt in range(tries):
            try:
                results = citizen.step(name)
            except ConnectionError as error:
                tally.add("citizen gave up: no connection", str(error))
                return None
            failed = False
            for status, expected, _ms, location, data in results:
                with tally.lock:
                    tally.statuses[status] += 1
                if status >= 500 and data != b"no tracking code on the receipt":
                    failed = True
                    if status == 503 and OUTAGE_TEXT in data.decode(errors="replace"):
                        tally.add(f"503 Persian outage page ({name})")
                    else:
                        tally.add(f"{status} other server error ({name})", data[:200])
                    break
                if name == "step 6" and status != expected and location.endswith("/request/receipt/"):
                    # Tried again after a 503: the submission had been stored, the review
                    # page now leads to its receipt.
                    tally.add("final step tried again, already stored: same receipt")
                    break
                if status != expected:
                    tally.add(f"unexpected {status} on {name}", f"{location} {data[:200]!r}")
                    return None
            if not failed:
                break
            time.sleep(1 + attempt + random.random())  # noqa: S311 (jitter)
        else:
            tally.add(f"citizen gave up after {tries} tries at {name}")
            return None
    match = RECEIPT_CODE.search(results[-1][4].decode(errors="replace"))
    if match is None:
        tally.add("receipt without a tracking code")
        return None
    return match.group(1).strip().translate(TO_ASCII)


def start_worker(python, env):
    command = [python, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"]
    log = open(WORKER_LOG, "a")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603


def open_sockets(pid):
    try:
        return sum(
            os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:") for fd in os.listdir(f"/proc/{pid}/fd")
        )
    except OSError:
        return 0


def fault(args, server, tally, timings):
    """Wait until a third of the citizens hold a receipt, then break something."""
    deadline = time.monotonic() + args.time_cap
    while len(tally.receipts) < args.citizens // 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    with tally.lock:
        in_progress = args.citizens - len(tally.receipts)
    if args.db_restart:
        started = time.monotonic()
        subprocess.run(args.restart_command.split(), check=True, capture_output=True)  # noqa: S603
        timings["db restart seconds"] = time.monotonic() - started
        print(f"PostgreSQL restarted in {timings['db restart seconds']:.1f} s "
              f"({in_progress} citizens not done yet)", flush=True)  # fmt: skip
    else:
        # The worker holding the most connections (the kernel may hand one worker most of them).
        sockets = {pid: open_sockets(pid) for pid in child_pids(server.pid)}
        victim = max(sockets, key=sockets.get)
        os.kill(victim, signal.SIGKILL)
        timings["killed worker"] = victim
        timings["its open sockets"] = sockets[victim]
        print(
            f"killed gunicorn worker {victim} (open sockets per worker {sockets}; "
            f"{in_progress} citizens not done yet)",
            flush=True,
        )


def run_citizens(args, unit_id, officer_id, tally):
    attachments = [png_bytes(), png_bytes() + b"\0"]  # two files, different checksums

    def one():
        time.sleep(random.random() * args.stagger)  # noqa: S311
        citizen = FaultyCitizen(args.port, unit_id, officer_id, attachments, tally)
        code = journey(citizen, tally)
        citizen.close()
        if code:
            with tally.lock:
                tally.receipts.append(code)

    threads = [threading.Thread(target=one, daemon=True) for _ in range(args.citizens)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + args.time_cap
    for thread in threads:
        thread.join(max(0.1, deadline - time.monotonic()))
    return sum(thread.is_alive() for thread in threads)


def pending_sms(url, first_id):
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(
            "SELECT count(*) FROM intake_smsmessage s JOIN intake_servicerequest r ON r.id = s.request_id "
            "WHERE r.id > %s AND s.status = 'pending'",
            [first_id],
        ).fetchone()[0]


def drain(url, first_id, worker, python, env, seconds):
    """Let the task worker finish every retry; restart it if it stopped (as systemd
    would) and run `manage.py retry_sms` every few seconds (as its timer would)."""
    restarts, sweeps, swept = 0, 0, Counter()
    deadline = time.monotonic() + seconds
    next_sweep = time.monotonic()
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            worker, restarts = start_worker(python, env), restarts + 1
        if time.monotonic() >= next_sweep:
            result = subprocess.run(  # noqa: S603
                [python, "manage.py", "retry_sms", "--grace", "3"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            numbers = [int(n) for n in re.findall(r"\d+", result.stdout)]
            if result.returncode == 0 and len(numbers) == 2:
                sweeps += 1
                swept["receipt SMS recorded late"] += numbers[0]
                swept["pending SMS queued again"] += numbers[1]
            next_sweep = time.monotonic() + 5
        try:
            if pending_sms(url, first_id) == 0 and sweeps:
                break
        except Exception as error:  # noqa: BLE001 (the database may still be coming back)
            print(f"waiting for the database: {type(error).__name__}", flush=True)
        time.sleep(0.5)
    return worker, restarts, sweeps, swept


def last_request_id(url):
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SELECT coalesce(max(id), 0) FROM intake_servicerequest").fetchone()[0]


def verify(url, first_id, receipts, private_media):
    """Counts from the database and the disk for the requests made in this run."""
    import psycopg

    found = {}
    with psycopg.connect(url) as connection:
        run = "FROM intake_servicerequest r WHERE r.id > %s"
        found["requests stored"] = connection.execute(f"SELECT count(*) {run}", [first_id]).fetchone()[0]  # noqa: S608
        counts = Counter(
            row[0]
            for row in connection.execute(
                "SELECT count(*) FROM intake_servicerequest WHERE tracking_code = ANY(%s) GROUP BY tracking_code",
                [receipts],
            )
        )
        found["receipts"] = len(receipts)
        found["distinct receipt codes"] = len(set(receipts))
        found["receipt codes stored exactly once"] = counts.get(1, 0)
        found["receipt codes missing or duplicated"] = len(set(receipts)) - counts.get(1, 0)
        found["requests without a receipt (answer lost)"] = found["requests stored"] - len(set(receipts))
        per_request = Counter(
            row[0]
            for row in connection.execute(
                "SELECT (SELECT count(*) FROM intake_requestattachment a WHERE a.request_id = r.id) "
                "FROM intake_servicerequest r WHERE r.id > %s",
                [first_id],
            )
        )
        found["requests with 2 attachments"] = per_request.get(2, 0)
        found["requests with another number of attachments"] = sum(per_request.values()) - per_request.get(
            2, 0
        )
        rows = connection.execute(
            "SELECT a.file, a.size FROM intake_requestattachment a WHERE a.request_id > %s", [first_id]
        ).fetchall()
        on_disk = sum(
            1
            for name, size in rows
            if os.path.isfile(os.path.join(private_media, name))
            and os.path.getsize(os.path.join(private_media, name)) == size
        )
        found["attachment rows"] = len(rows)
        found["attachment files on disk (right size)"] = on_disk
        known = {row[0] for row in connection.execute("SELECT file FROM intake_requestattachment")}
        known |= {row[0] for row in connection.execute("SELECT file FROM intake_draftfile")}
        folder = os.path.join(private_media, "requests")
        stray = [
            name
            for base, _dirs, names in os.walk(folder)
            for name in names
            if os.path.relpath(os.path.join(base, name), private_media) not in known
        ]
        found["attachment files without a row (rolled back or killed mid-write)"] = len(stray)
        found["requests without exactly one first event"] = connection.execute(
            "SELECT count(*) FROM intake_servicerequest r WHERE r.id > %s AND (SELECT count(*) "
            "FROM intake_requestevent e WHERE e.request_id = r.id AND e.kind = 'submitted') <> 1",
            [first_id],
        ).fetchone()[0]
        sms = dict(
            connection.execute(
                "SELECT s.status, count(*) FROM intake_smsmessage s WHERE s.request_id > %s GROUP BY s.status",
                [first_id],
            ).fetchall()
        )
        for status in ("sent", "failed", "pending"):
            found[f"SMS {status}"] = sms.get(status, 0)
        found["requests without exactly one SMS"] = connection.execute(
            "SELECT count(*) FROM intake_servicerequest r WHERE r.id > %s AND "
            "(SELECT count(*) FROM intake_smsmessage s WHERE s.request_id = r.id) <> 1",
            [first_id],
        ).fetchone()[0]
        attempts = connection.execute(
            "SELECT s.attempts, count(*) FROM intake_smsmessage s WHERE s.request_id > %s "
            "GROUP BY s.attempts ORDER BY 1",
            [first_id],
        ).fetchall()
        found["SMS by attempts"] = ", ".join(f"{n} attempt(s): {c}" for n, c in attempts)
    return found


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument(
        "--db-restart", action="store_true", help="restart PostgreSQL instead of killing a worker"
    )
    parser.add_argument("--restart-command", default="pg_ctlcluster 15 main restart -m fast")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--stagger", type=float, default=3.0, help="citizens start within this many seconds")
    parser.add_argument("--time-cap", type=float, default=300, help="seconds at most for the citizens")
    parser.add_argument("--drain-cap", type=float, default=120, help="seconds at most for the SMS retries")
    parser.add_argument("--port", type=int, default=8795)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    add_database_argument(parser, "BENCH_FAULT_DATABASE_URL", "ops_fault_bench")
    args = parser.parse_args()
    url = require_loopback_postgres(args.database_url)
    if "127.0.0.1" not in args.redis_url:
        raise SystemExit("Redis at 127.0.0.1 only.")

    # The fake gateway lives in this process and borrows the test suite's handler.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    gateway = start_gateway()

    python = sys.executable
    private_media = tempfile.mkdtemp(prefix="fault-bench-private-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "600",
        "REDIS_URL": args.redis_url,
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="fault-bench-media-"),
        "PRIVATE_MEDIA_ROOT": private_media,
        "INTAKE_SUBMIT_RATE": "0/60",  # one address plays every citizen: no per-client limit here
        "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "SMS_BACKEND": "intake.sms.KavenegarBackend",
        "SMS_KAVENEGAR_API_KEY": "bench-key",
        "SMS_KAVENEGAR_SENDER": "10004346",
        "SMS_KAVENEGAR_URL": f"http://{HOST}:{gateway.server_port}",
        "SMS_TIMEOUT": "2",
        "SMS_MAX_ATTEMPTS": "3",
        "SMS_RETRY_BACKOFF": "0.5",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("ELASTICSEARCH_URL", None)
    probe = socket.socket()
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does: TIME_WAIT is fine
    try:
        probe.bind((HOST, args.port))  # another benchmark's server would answer our citizens
    except OSError:
        raise SystemExit(f"port {args.port} is in use: choose another with --port") from None
    finally:
        probe.close()
    prepare_database(url, env, ROOT)
    unit_id, officer_id = lookup(url)
    first_id = last_request_id(url)

    gunicorn = gunicorn_command(
        args.port, args.workers, args.threads, "--keep-alive", "30", "--timeout", "60"
    )
    gunicorn += ["--log-level", "error"]
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)  # noqa: S603
    worker = start_worker(python, env)
    tally, timings = Tally(), {}
    scenario = "PostgreSQL restarted mid-run" if args.db_restart else "one gunicorn worker killed mid-run"
    restarts = 0
    try:
        wait_for(args.port, server)
        print(f"{args.citizens} citizens, {scenario}; gateway fails every other call", flush=True)
        breaker = threading.Thread(target=fault, args=(args, server, tally, timings), daemon=True)
        started = time.monotonic()
        breaker.start()
        unfinished = run_citizens(args, unit_id, officer_id, tally)
        seconds = time.monotonic() - started
        breaker.join(5)
        after = Citizen(args.port, unit_id, officer_id, png_bytes())
        recovered = after.request("GET", "/request/")[0]
        after.close()
        drain_started = time.monotonic()
        worker, restarts, sweeps, swept = drain(url, first_id, worker, python, env, args.drain_cap)
        drain_seconds = time.monotonic() - drain_started
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=30)
        worker.wait(timeout=30)
        gateway.shutdown()

    found = verify(url, first_id, tally.receipts, private_media)
    calls = gateway.modes.calls
    print()
    print(f"scenario: {scenario}")
    print(
        f"citizens: {args.citizens}, journeys finished in {seconds:.1f} s, still running at the cap: {unfinished}"
    )
    for key, value in timings.items():
        print(f"  {key}: {value if isinstance(value, int) else f'{value:.1f}'}")
    print("HTTP statuses citizens saw: " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.statuses.items())))
    print("faults as the citizens met them:")
    for what, count in sorted(tally.counts.items()):
        print(f"  {what}: {count}")
    for sample in tally.samples:
        print("   e.g.", re.sub(r"\s+", " ", sample)[:240])
    print(f"portal after the fault: GET /request/ -> {recovered}")
    print(
        f"SMS gateway calls: {sum(calls.values())} ({calls['ok']} answered, {calls['error']} failed with HTTP 502)"
    )
    print(f"task worker log: {WORKER_LOG}")
    print(f"task worker drained the retries in {drain_seconds:.1f} s (worker restarted {restarts} time(s))")
    print(f"retry_sms ran {sweeps} time(s): " + ", ".join(f"{k}: {v}" for k, v in swept.items()))
    for key, value in found.items():
        print(f"  {key}: {value}")

    other_5xx = sum(v for k, v in tally.counts.items() if "other server error" in k)
    outage_pages = sum(v for k, v in tally.counts.items() if k.startswith("503 Persian"))
    problems = []
    if found["receipt codes missing or duplicated"] or found["distinct receipt codes"] != found["receipts"]:
        problems.append("a receipt's code is not stored exactly once")
    if found["receipts"] != args.citizens:
        problems.append(f"{args.citizens - found['receipts']} citizen(s) without a receipt")
    if found["requests with another number of attachments"]:
        problems.append("a request lost or doubled an attachment")
    if found["attachment files on disk (right size)"] != found["attachment rows"]:
        problems.append("an attachment row without its file")
    if found["requests without exactly one first event"] or found["requests without exactly one SMS"]:
        problems.append("a request is half-written (event or SMS record)")
    if found["SMS pending"]:
        problems.append("SMS still pending after the worker drained")
    if other_5xx:
        problems.append(f"{other_5xx} server error(s) other than the outage page")
    if outage_pages and not args.db_restart:
        problems.append("outage pages without a database outage")
    if recovered != 200:
        problems.append("the portal did not recover")
    print("FAULT CHECKS PASSED" if not problems else "FAULT CHECKS FAILED: " + "; ".join(problems))


if __name__ == "__main__":
    main()
