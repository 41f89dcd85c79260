"""Reports benchmark (issue 5): the managers' reports page and its Excel export with
a small and a large number of requests in PostgreSQL, against a trivial Django view
measured in the same run.

Requests are generated in bulk in a database of their own on 127.0.0.1 (ten units,
submissions spread over a year, 60% answered with an official response, half of
those with a survey); the pages are fetched in-process through Django's full
middleware stack (test client, a signed-in superuser). Not a test: it prints figures.
Counts, means and the p90 are computed in the database, so the query count stays
the same and only the database's own work grows with the data: the figures to
watch are the large size's time and the query counts.

    .venv/bin/python bench/reports_bench.py
    .venv/bin/python bench/reports_bench.py --small 1000 --large 50000 --runs 5
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadtest import create_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/deskreports_bench"
AXES = ["شفافیت فرایندی", "پاسخگویی و مسوولیت پذیری", "زمان فرایند", "نظام مند بودن فرایند", "کلیت فرایند"]


def fill(count, seed):
    """Add requests until the table holds `count` rows."""
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from intake.models import OfficialResponse, ServiceRequest, SurveyResponse
    from services.models import OrgUnit

    have = ServiceRequest.objects.count()
    if have >= count:
        return
    rng = random.Random(seed)
    locale = Locale.get_default()
    units = list(OrgUnit.objects.all()[:10])
    while len(units) < 10:
        units.append(OrgUnit.objects.create(name=f"واحد {len(units) + 1}", locale=locale))
    now = timezone.now()
    statuses = ["received", "in_review", "referred", "waiting", "closed"]
    batch = 2000
    with transaction.atomic():
        for start in range(have, count, batch):
            rows, answers = [], []
            for index in range(start, min(count, start + batch)):
                unit = units[index % 10]
                submitted = now - datetime.timedelta(hours=rng.randint(1, 365 * 24))
                answered = rng.random() < 0.6
                rows.append(
                    ServiceRequest(
                        tracking_code=f"{index:016d}",
                        submission_key=uuid.uuid4(),
                        status="answered" if answered else rng.choice(statuses),
                        unit=unit,
                        service_title=f"خدمت {index % 25}",
                        service_code=f"{index % 25:011d}",
                        unit_name=unit.name,
                        processing_days=10,
                        due_date=submitted.date() + datetime.timedelta(days=14),
                        request_text="درخواست",
                        consented_at=submitted,
                        national_code="0499370899",
                        first_name="علی",
                        last_name="کریمی",
                        mobile="09121234567",
                        submitted_at=submitted,
                        public_id=f"b{index:015d}",
                    )
                )
                answers.append(answered)
            created = ServiceRequest.objects.bulk_create(rows)
            responses, surveys = [], []
            for req, answered in zip(created, answers, strict=True):
                if not answered:
                    continue
                responses.append(
                    OfficialResponse(
                        request=req,
                        number=f"b/{req.tracking_code}",
                        response_date=req.submitted_at.date(),
                        citizen_name=req.full_name,
                        national_code=req.national_code,
                        legal_grounds="-",
                        content="-",
                        appeal="-",
                        created_at=req.submitted_at + datetime.timedelta(hours=rng.randint(1, 600)),
                    )
                )
                if rng.random() < 0.5:
                    scores = {axis: float(rng.randint(0, 100)) for axis in AXES}
                    surveys.append(
                        SurveyResponse(
                            request=req,
                            gender="male",
                            age_group="u25",
                            education="diploma",
                            relation="self",
                            axis_scores=scores,
                            overall_score=round(sum(scores.values()) / len(scores), 2),
                        )
                    )
            OfficialResponse.objects.bulk_create(responses)
            SurveyResponse.objects.bulk_create(surveys)


def timed(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if "127.0.0.1" not in args.database_url and "localhost" not in args.database_url:
        raise SystemExit("loopback databases only")
    if args.large > 500_000:
        raise SystemExit("--large is capped at 500,000")
    create_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE intake_servicerequest CASCADE")
    user = get_user_model().objects.filter(username="bench-root").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench-root", password=None)
    client = Client()
    # Sign-in audit receivers expect a real request (an IP address): not part of what is measured.
    from django.contrib.auth.signals import user_logged_in

    receivers, user_logged_in.receivers = user_logged_in.receivers, []
    try:
        client.force_login(user)
    finally:
        user_logged_in.receivers = receivers
    results = {}
    for size in (args.small, args.large):
        started = time.perf_counter()
        fill(size, seed=size)
        filled = time.perf_counter() - started
        trivial, _ = timed(client, "/bench/trivial/", args.runs)
        page, page_queries = timed(client, "/admin/desk-reports/", args.runs)
        export, export_queries = timed(client, "/admin/desk-reports/export.xlsx", args.runs)
        results[size] = (page, page_queries, export_queries)
        print(
            f"{size:>7,} requests (filled in {filled:.1f} s): trivial view {trivial:.2f} ms;"
            f" reports page {page:.1f} ms ({page / trivial:.0f}x trivial, {page_queries} queries);"
            f" Excel export {export:.1f} ms ({export / trivial:.0f}x trivial, {export_queries} queries)"
        )
    small, large = results[args.small], results[args.large]
    print(
        f"page time ratio {args.large:,} / {args.small:,}: {large[0] / small[0]:.1f};"
        f" queries {small[1]} -> {large[1]} (page), {small[2]} -> {large[2]} (export)"
    )
    return 0 if (small[1], small[2]) == (large[1], large[2]) else 1


if __name__ == "__main__":
    sys.exit(main())
