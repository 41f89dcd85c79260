"""Request-wizard benchmark: 16 simulated citizens completing the six steps,
against a trivial Django view measured in the same run.

The portal runs under gunicorn on 127.0.0.1 with PostgreSQL and the demo content
(`load_demo`). Two measurements:

1. Per step: all citizens do one step (GET the page, POST the form) before any
   moves on, so each step's throughput and p50/p95 latency are measured on their
   own. These machines are noisy (the trivial view's rate has been seen to swing
   from 1,100 to 1,900 req/s within one run), so the comparison is made in rounds:
   in each round a fresh set of citizens walks every step, and each step is
   compared with the trivial view measured just before and just after it (the
   mean of the two). A step's ratio is the median of its rounds' ratios; the
   lowest round is printed beside it.
2. Whole journeys: every client runs complete journeys back to back (choose a
   service, six steps with one PNG attachment, final submission, receipt):
   complete submissions per second and requests per second.

Afterwards every final submission must have become exactly one request in the
database (no error, no lost submission). Bounded in requests and time; talks to
127.0.0.1 only; stops the gunicorn it started. Not a test: it prints figures.

    .venv/bin/python bench/wizard_bench.py
    .venv/bin/python bench/wizard_bench.py --rounds 3 --citizens 7 --journeys 5 --clients 16

Floors (with PostgreSQL and Redis, gunicorn, 16 clients): every step's throughput
at least 0.05x the trivial view's; at least 5 complete submissions per second; no
submission lost (each one exactly one request with its own code and first event).
"""

import argparse
import http.client
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadtest import (  # noqa: E402
    add_database_argument,
    create_database,
    gunicorn_command,
    percentile,
    run_load,
    wait_for,
)

HOST = "127.0.0.1"
SERVICE_ID = "10012135000"
TARGET = 0.05  # each step's throughput / the trivial view's
SUBMISSIONS_TARGET = 5  # complete journeys per second
STEP_NAMES = ["choose", "step 1", "step 2", "step 3", "step 4", "step 5", "step 6", "receipt"]


def png_bytes():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(out, format="PNG")
    return out.getvalue()


class Citizen:
    """One browser: its own cookies, a keep-alive connection, the wizard's forms."""

    def __init__(self, port, unit_id, officer_id, attachment):
        self.port = port
        self.unit_id = unit_id
        self.officer_id = officer_id
        self.attachment = attachment
        self.cookies = {}
        self.connection = None

    def _connect(self):
        if self.connection is None:
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        return self.connection

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method, path, body=None, content_type=None):
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in range(2):
            connection = self._connect()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                break
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), data

    def post_form(self, path, fields):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        return self.request("POST", path, urlencode(fields, doseq=True), "application/x-www-form-urlencoded")

    def post_multipart(self, path, fields, files):
        boundary = uuid.uuid4().hex
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content, kind) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {kind}\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    # One step = GET its page, POST its form (the receipt is a GET only).
    def step(self, name):
        """Returns a list of (status, expected, elapsed ms) for the step's requests."""
        results = []

        def timed(expected, call, *args):
            started = time.perf_counter()
            status, location, data = call(*args)
            results.append((status, expected, (time.perf_counter() - started) * 1000, location, data))
            return status, location, data

        if name == "choose":
            timed(200, self.request, "GET", f"/request/?service={SERVICE_ID}")
            fields = {"unit": self.unit_id, "service": SERVICE_ID, "service_id": SERVICE_ID, "agree": "on"}
            timed(302, self.post_form, "/request/", fields)
        elif name == "receipt":
            status, _location, data = timed(200, self.request, "GET", "/request/receipt/")
            if status == 200 and "کد پیگیری شما".encode() not in data:
                results[-1] = (500, 200, results[-1][2], "", b"no tracking code on the receipt")
        else:
            n = int(name.split()[1])
            url = f"/request/step/{n}/"
            timed(200, self.request, "GET", url)
            if n == 3:
                files = {"file1": ("scan.png", self.attachment, "image/png")}
                timed(302, self.post_multipart, url, {"action": "next"}, files)
            else:
                timed(302, self.post_form, url, {"action": "next", **self.step_fields(n)})
        return results

    def step_fields(self, n):
        if n == 2:
            return {
                "unit": self.unit_id,
                "service": SERVICE_ID,
                "service_id": SERVICE_ID,
                "request_text": "درخواست بررسی عملکرد دهیاری روستای ۱۲ را دارم.",
            }
        if n == 4:
            return {
                "national_code": "۰۴۹۹۳۷۰۸۹۹",
                "first_name": "علی",
                "last_name": "کریمی",
                "mobile": "۰۹۱۲۱۲۳۴۵۶۷",
                "landline": "02112345678",
                "email": "citizen@example.com",
                "address": "تبریز، خیابان امام",
            }
        if n == 5:
            return {
                "officer": self.officer_id,
                "visit_date": "۱۴۰۵/۰۹/۰۳",
                "previous_visit_result": "",
                "visit_description": "مراجعه حضوری",
            }
        return {}


def run_phase(citizens_by_client, name, time_cap):
    """Every client runs step `name` for each of its citizens. Returns (count, seconds, ms list, errors)."""
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + time_cap

    def worker(citizens):
        for citizen in citizens:
            if time.monotonic() > deadline:
                with lock:
                    errors.append(f"{name}: time cap reached")
                return
            for status, expected, elapsed, location, data in citizen.step(name):
                with lock:
                    latencies.append(elapsed)
                    if status != expected:
                        errors.append(
                            f"{name}: HTTP {status} (expected {expected}) {location} {data[:200]!r}"
                        )

    threads = [threading.Thread(target=worker, args=(citizens,)) for citizens in citizens_by_client]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), time.perf_counter() - started, latencies, errors


def run_journeys(make_citizen, clients, journeys, time_cap):
    """Every client completes `journeys` whole journeys back to back."""
    latencies, errors, submitted = [], [], []
    lock = threading.Lock()
    deadline = time.monotonic() + time_cap

    def worker():
        for _ in range(journeys):
            if time.monotonic() > deadline:
                with lock:
                    errors.append("journeys: time cap reached")
                return
            citizen = make_citizen()
            ok = True
            for name in STEP_NAMES:
                for status, expected, elapsed, location, data in citizen.step(name):
                    with lock:
                        latencies.append(elapsed)
                        if status != expected:
                            ok = False
                            errors.append(f"{name}: HTTP {status} {location} {data[:200]!r}")
            citizen.close()
            if ok:
                with lock:
                    submitted.append(1)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(submitted), len(latencies), time.perf_counter() - started, latencies, errors


def lookup(database_url):
    import psycopg

    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT unit_id FROM services_servicepage WHERE service_id = %s", [SERVICE_ID]
        ).fetchone()
        if row is None:
            raise SystemExit(f"service {SERVICE_ID} is missing: did load_demo run?")
        unit_id = row[0]
        officer = connection.execute(
            "SELECT id FROM services_officer WHERE unit_id = %s AND active ORDER BY id LIMIT 1", [unit_id]
        ).fetchone()
        return str(unit_id), str(officer[0]) if officer else ""


def count_requests(database_url):
    import psycopg

    with psycopg.connect(database_url) as connection:
        requests = connection.execute("SELECT count(*) FROM intake_servicerequest").fetchone()[0]
        codes = connection.execute(
            "SELECT count(DISTINCT tracking_code) FROM intake_servicerequest"
        ).fetchone()[0]
        events = connection.execute("SELECT count(*) FROM intake_requestevent").fetchone()[0]
        return requests, codes, events


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the per-step run")
    parser.add_argument("--citizens", type=int, default=7, help="citizens per client in each round")
    parser.add_argument("--journeys", type=int, default=5, help="whole journeys per client")
    parser.add_argument(
        "--trivial-requests", type=int, default=800, help="trivial-view requests beside each step"
    )
    parser.add_argument("--time-cap", type=float, default=120, help="seconds at most per phase")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=8)
    add_database_argument(parser, "BENCH_WIZARD_DATABASE_URL", "mizekhedmat_wizard_bench")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
        help="shared cache and cached sessions, as in production ('' for none)",
    )
    args = parser.parse_args()
    url = args.database_url
    if not url.startswith(("postgres://", "postgresql://")) or "@127.0.0.1" not in url:
        raise SystemExit("The benchmark runs on PostgreSQL at 127.0.0.1 only.")

    python = sys.executable
    private_media = tempfile.mkdtemp(prefix="wizard-bench-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "600",
        "PRIVATE_MEDIA_ROOT": private_media,
        # One address plays every citizen: no per-client limit here.
        "INTAKE_SUBMIT_RATE": "0/60",
        "INTAKE_DRAFT_RATE": "0/60",
        "INTAKE_STEP_RATE": "0/60",
        # As in production: the SMS task is stored for `db_worker` (not run here).
        "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "SMS_BACKEND": "intake.sms.ConsoleBackend",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("ELASTICSEARCH_URL", None)
    env.pop("REDIS_URL", None)
    if args.redis_url:
        if not args.redis_url.startswith("redis://127.0.0.1"):
            raise SystemExit("The benchmark uses Redis at 127.0.0.1 only.")
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        env["REDIS_URL"] = args.redis_url
    create_database(url)
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run(  # noqa: S603
        [python, "manage.py", "load_demo", "--no-index", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    unit_id, officer_id = lookup(url)
    before_count = count_requests(url)
    attachment = png_bytes()

    gunicorn = gunicorn_command(args.port, args.workers, args.threads, "--log-level", "warning")
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)  # noqa: S603
    phases = {}
    try:
        wait_for(args.port, server)
        run_load(args.port, ["/bench/trivial/"], 200, args.clients, 30)  # warm up
        warm = [Citizen(args.port, unit_id, officer_id, attachment) for _ in range(args.clients)]
        for name in STEP_NAMES:
            run_phase([[c] for c in warm], name, args.time_cap)
        all_errors = []
        # Reference: the portal's own dashboard (a Wagtail page with the same base template).
        home = run_load(args.port, ["/"], args.trivial_requests // 2, args.clients, args.time_cap)
        all_errors += home[3]
        home_baseline = run_load(
            args.port, ["/bench/trivial/"], args.trivial_requests, args.clients, args.time_cap
        )
        trivial_bursts = [home_baseline]  # every burst, for the overall rate
        for _round in range(args.rounds):
            groups = [
                [Citizen(args.port, unit_id, officer_id, attachment) for _ in range(args.citizens)]
                for _ in range(args.clients)
            ]
            previous = trivial_bursts[-1]
            for name in STEP_NAMES:
                phase = run_phase(groups, name, args.time_cap)
                burst = run_load(
                    args.port, ["/bench/trivial/"], args.trivial_requests, args.clients, args.time_cap
                )
                trivial_bursts.append(burst)
                all_errors += phase[3] + burst[3]
                baseline = (previous[0] / previous[1] + burst[0] / burst[1]) / 2
                phases.setdefault(name, []).append((phase, baseline))
                previous = burst
            for group in groups:
                for citizen in group:
                    citizen.close()
        journeys = run_journeys(
            lambda: Citizen(args.port, unit_id, officer_id, attachment),
            args.clients,
            args.journeys,
            args.time_cap,
        )
        all_errors += journeys[4]
        journey_baseline = run_load(
            args.port, ["/bench/trivial/"], args.trivial_requests, args.clients, args.time_cap
        )
        trivial_bursts.append(journey_baseline)
        all_errors += journey_baseline[3]
    finally:
        server.terminate()
        server.wait(timeout=30)

    after = count_requests(url)
    expected_new = (
        args.clients * 1 + args.rounds * args.clients * args.citizens + journeys[0]
    )  # warm-up + per-step rounds + journeys
    new_requests = after[0] - before_count[0]

    trivial_rate = sum(b[0] for b in trivial_bursts) / sum(b[1] for b in trivial_bursts)
    trivial_latencies = [v for b in trivial_bursts for v in b[2]]
    rates = [b[0] / b[1] for b in trivial_bursts]
    print()
    print(
        f"PostgreSQL{' + Redis' if args.redis_url else ''}, gunicorn {args.workers} workers x {args.threads} threads, "
        f"{args.clients} clients; per step {args.rounds} rounds of {args.clients * args.citizens} citizens "
        f"(GET + POST each), each beside the trivial view; then {args.clients * args.journeys} whole journeys"
    )
    print(
        f"{'step':<10}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'requests':>10}{'ratio':>8}{'lowest':>8}{'target':>8}"
    )
    print(
        f"{'trivial':<10}{trivial_rate:>10.1f}{statistics.median(trivial_latencies):>10.1f}"
        f"{percentile(trivial_latencies, 0.95):>10.1f}{len(trivial_latencies):>10}{1:>7.2f}x"
        f"   ({len(rates)} bursts, {min(rates):.0f}-{max(rates):.0f} req/s)"
    )
    home_rate = home[0] / home[1]
    home_ratio = home_rate / (home_baseline[0] / home_baseline[1])
    print(
        f"{'home page':<10}{home_rate:>10.1f}{statistics.median(home[2]):>10.1f}{percentile(home[2], 0.95):>10.1f}"
        f"{home[0]:>10}{home_ratio:>7.2f}x   (reference: the dashboard, a Wagtail page)"
    )
    failed = False
    for name in STEP_NAMES:
        rounds = phases[name]
        count = sum(phase[0] for phase, _baseline in rounds)
        seconds = sum(phase[1] for phase, _baseline in rounds)
        latencies = [v for phase, _baseline in rounds for v in phase[2]]
        ratios = [phase[0] / phase[1] / baseline for phase, baseline in rounds]
        ratio = statistics.median(ratios)
        failed |= ratio < TARGET
        print(
            f"{name:<10}{count / seconds:>10.1f}{statistics.median(latencies):>10.1f}"
            f"{percentile(latencies, 0.95):>10.1f}{count:>10}{ratio:>7.2f}x{min(ratios):>7.2f}x{TARGET:>7.2f}x"
        )
    submitted, requests, seconds, latencies, _errors = journeys
    failed |= submitted / seconds < SUBMISSIONS_TARGET
    journey_ratio = requests / seconds / (journey_baseline[0] / journey_baseline[1])
    print(
        f"whole journeys: {submitted} complete submissions in {seconds:.1f} s = {submitted / seconds:.2f} "
        f"submissions/s, {requests / seconds:.1f} req/s (p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {percentile(latencies, 0.95):.1f} ms), {journey_ratio:.2f}x the trivial view after them "
        f"(target >= {SUBMISSIONS_TARGET} submissions/s)"
    )
    print(
        f"requests stored: {new_requests} new (expected {expected_new}), distinct codes {after[1] - before_count[1]}, "
        f"first events {after[2] - before_count[2]}; errors: {len(all_errors)}"
    )
    for error in all_errors[:5]:
        print("  ", re.sub(r"\s+", " ", error)[:300])
    lost = new_requests != expected_new or after[1] - before_count[1] != new_requests
    print(
        "targets met, no error, no lost submission"
        if not (failed or lost or all_errors)
        else "TARGETS MISSED"
    )


if __name__ == "__main__":
    main()
