"""Concurrent final submissions on PostgreSQL: 50 at once with forced tracking-code
collisions, and one draft submitted twice at the same moment, forced every run
(tests/intake/races.py): the second submission reads the draft before the first
commits, so without the conditional UPDATE that takes the draft it would write a
second request."""

import random
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from intake import services, tracking, wizard
from intake.models import Draft, RequestEvent, ServiceRequest
from intake.services import submission
from tests.intake.helpers import fill_to_review
from tests.intake.races import race
from tests.intake.transactional import start_as_after_a_flush  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL=postgres://...)"
    ),
    # Threads need committed data. The Wagtail baseline (locale, root page) comes from
    # tests/conftest.py, the roles from post_migrate, whatever test ran before.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("start_as_after_a_flush"),
]


@pytest.fixture
def pg_ready():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def clone_drafts(template, count):
    drafts = []
    for _ in range(count):
        drafts.append(
            Draft.objects.create(
                key=uuid.uuid4(),
                data=template.data,
                completed=template.completed,
                consented_at=template.consented_at,
            )
        )
    return drafts


def colliding_generator():
    """The first draws of every thread come from a pool of three codes."""
    pool = [tracking.generate_tracking_code() for _ in range(3)]
    local = threading.local()
    real = tracking.generate_tracking_code
    draws = []

    def generate():
        draws.append(1)
        local.calls = getattr(local, "calls", 0) + 1
        if local.calls <= 3:
            return random.choice(pool)
        return real()

    return generate, pool, draws


def run_concurrently(func, items, workers=50):
    barrier = threading.Barrier(min(workers, len(items)))

    def task(item):
        try:
            barrier.wait(timeout=30)
            return func(item)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(task, items))


def test_fifty_concurrent_submissions_get_fifty_distinct_codes(
    pg_ready, client, intake_page, service, officer, monkeypatch
):
    fill_to_review(client, service, officer)
    template = Draft.objects.get()
    drafts = clone_drafts(template, 50)
    generate, pool, draws = colliding_generator()
    monkeypatch.setattr(submission, "generate_tracking_code", generate)
    options = wizard.options_for()
    results = run_concurrently(lambda draft: services.submit_request(draft, options), drafts)
    assert all(created for _request, created in results)
    codes = set(ServiceRequest.objects.values_list("tracking_code", flat=True))
    assert ServiceRequest.objects.count() == 50 and len(codes) == 50
    # At most three requests can hold a pooled code: the others collided and drew again.
    assert len(codes & set(pool)) <= 3
    assert len(draws) >= 50 + 47
    assert all(tracking.is_valid_tracking_code(code) for code in codes)
    assert RequestEvent.objects.count() == 50


def test_concurrent_double_submission_of_one_draft_gives_one_request(
    pg_ready, client, intake_page, service, officer
):
    fill_to_review(client, service, officer)
    draft = Draft.objects.get()
    options = wizard.options_for()
    results = run_concurrently(
        lambda _: services.submit_request(Draft.objects.get(pk=draft.pk), options), range(8), 8
    )
    assert ServiceRequest.objects.count() == 1
    assert len({request.pk for request, _created in results}) == 1
    assert sum(created for _request, created in results) == 1


def test_one_draft_submitted_twice_at_the_same_moment(pg_ready, client, intake_page, service, officer):
    """The first submission has taken the draft and written its request, not yet
    committed; the second read the draft as not submitted, waits on the draft's row,
    then finds it taken and answers with the first's request."""
    fill_to_review(client, service, officer)
    draft = Draft.objects.get()
    options = wizard.options_for()
    held, late, blocked = race(
        lambda: services.submit_request(Draft.objects.get(pk=draft.pk), options),
        lambda: services.submit_request(Draft.objects.get(pk=draft.pk), options),
    )
    assert "error" not in held and "error" not in late, (held, late)
    assert blocked, "the second submission never waited for the first"
    (first, first_created), (second, second_created) = held["value"], late["value"]
    assert (first_created, second_created) == (True, False)
    assert second.pk == first.pk
    assert ServiceRequest.objects.count() == 1
    assert RequestEvent.objects.count() == 1
