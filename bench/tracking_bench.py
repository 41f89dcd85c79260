"""Tracking-lookup benchmark (issue 4): p95 of a lookup with 1,000 and with
1,000,000 requests stored in PostgreSQL, measured in the same run.

Each lookup is what a citizen's browser does: POST the code to /track/ (Persian
digits and a dash, check digit verified first), follow the redirect, GET the
status page. Requests are generated in bulk (COPY) in a database of their own on
127.0.0.1; the lookups run in-process through Django's full middleware stack
(test client: sessions, CSRF middleware, templates) against that database.
Bounded: --lookups per size (default 400) and --max-rows. Not a test: it prints
figures. The rate limit is switched off for the run.

    .venv/bin/python bench/tracking_bench.py
    .venv/bin/python bench/tracking_bench.py --small 1000 --large 1000000 --lookups 400

Target: p95(large) / p95(small) <= 1.5 (the lookup does not grow with the table).
"""

import argparse
import io
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadtest import create_database, percentile  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/followup_bench"
TARGET = 1.5


def codes(count, seed):
    from intake.tracking import damm_check_digit

    rng = random.Random(seed)
    out = set()
    while len(out) < count:
        payload = str(rng.randint(10**14, 10**15 - 1))
        out.add(payload + damm_check_digit(payload))
    return list(out)


def fill(count, seed):
    """Bulk-insert requests until the table holds `count` rows; returns some codes stored."""
    from django.db import connection
    from django.utils import timezone

    from intake.models import ServiceRequest

    have = ServiceRequest.objects.count()
    missing = count - have
    if missing <= 0:
        return list(ServiceRequest.objects.values_list("tracking_code", flat=True)[:1000])
    now = timezone.now().isoformat()
    new = codes(missing, seed)
    columns = (
        "tracking_code, submission_key, status, service_title, service_code, unit_name, request_text,"
        " consented_at, national_code, first_name, last_name, mobile, landline, email, address,"
        " officer_name, officer_position, previous_visit_result, visit_description, submitted_at, public_id"
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for start in range(0, missing, 100_000):
            buffer = io.StringIO()
            for code in new[start : start + 100_000]:
                buffer.write(
                    f"{code}\t{uuid.uuid4()}\treceived\tخدمت نمونه\t10012135000\tواحد نمونه\tمتن\t{now}"
                    f"\t0499370899\tعلی\tکریمی\t09121234567\t\t\t\t\t\t\t\t{now}\t{uuid.uuid4().hex[:16]}\n"
                )
            with raw.copy(f"COPY intake_servicerequest ({columns}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
        cursor.execute("ANALYZE intake_servicerequest")
    return new[:1000]


def measure(sample, lookups):
    from django.test import Client

    from portal.persian import to_persian_digits

    client = Client()
    latencies = []
    for n in range(lookups):
        code = sample[n % len(sample)]
        typed = to_persian_digits(f"{code[:8]}-{code[8:]}")
        started = time.perf_counter()
        response = client.post("/track/", {"code": typed})
        assert response.status_code == 302, response.status_code
        page = client.get("/track/status/")
        assert page.status_code == 200
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies[len(latencies) // 10 :]  # the first tenth warms up


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=400)
    parser.add_argument("--max-rows", type=int, default=2_000_000)
    args = parser.parse_args()
    if "127.0.0.1" not in args.database_url and "localhost" not in args.database_url:
        raise SystemExit("loopback databases only")
    if args.large > args.max_rows:
        raise SystemExit("--large is over --max-rows")
    create_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    os.environ["FOLLOWUP_LOOKUP_RATE"] = "0/1"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.FOLLOWUP_LOOKUP_RATE = "0/1"
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE intake_servicerequest CASCADE")
    results = {}
    for size in (args.small, args.large):
        started = time.perf_counter()
        sample = fill(size, seed=size)
        filled = time.perf_counter() - started
        latencies = measure(sample, args.lookups)
        results[size] = percentile(latencies, 0.95)
        print(
            f"{size:>9,} requests (filled in {filled:.1f} s): lookup+status p50"
            f" {percentile(latencies, 0.5):.2f} ms, p95 {results[size]:.2f} ms over {len(latencies)} lookups"
        )
    ratio = results[args.large] / results[args.small]
    print(f"p95 ratio {args.large:,} / {args.small:,}: {ratio:.2f} (target <= {TARGET})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
