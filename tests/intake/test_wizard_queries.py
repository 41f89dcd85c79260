"""Query budgets of the wizard: the final submission validates the steps once (the
review step's forms are handed to intake.services), takes the draft's files from the
list the draft keeps (no rows read), reads the catalog from Django's cache, and
queues the SMS without reading the new request again; the service's facets on the
choice page come from the fragment cache once kept."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.models import ServiceRequest
from tests.intake.files import png
from tests.intake.helpers import BASE, choose, fill_to_review, step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.FRAGMENT_CACHE_SECONDS = 600
    cache.clear()


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    sql = [q["sql"] for q in captured.captured_queries]
    return response, sql


def test_the_final_submission_reads_each_thing_once(client, intake_page, service, officer):
    fill_to_review(client, service, officer, files=[png("scan.png")])
    response, sql = queries(lambda: client.post(step(6), {"action": "next"}))
    assert response.status_code == 302
    assert ServiceRequest.objects.count() == 1
    reads = [q for q in sql if q.startswith("SELECT")]
    from_table = lambda table: [q for q in reads if f'FROM "{table}"' in q]  # noqa: E731
    assert not from_table("intake_draftfile")  # listed in the draft by the attachments step
    assert [a.original_name for a in ServiceRequest.objects.get().attachments.all()] == ["scan.png"]
    # The catalog and the officers of this content version were kept by earlier steps.
    assert not from_table("services_officer") and not from_table("services_servicepage")
    # No look for an earlier request: the draft is taken by one conditional UPDATE.
    assert not from_table("intake_servicerequest")
    taken = [q for q in sql if q.startswith('UPDATE "intake_draft"')]
    assert len(taken) == 1 and '"submitted_at" IS NULL' in taken[0]
    assert len(sql) <= 22, sql  # with database sessions (no cache) as in the tests (was 28)


def test_the_choice_page_keeps_the_facets(client, intake_page, service):
    url = f"{BASE}?service={service.service_id}"
    client.get(url)
    response, sql = queries(lambda: client.get(url))
    assert response.status_code == 200
    assert "شناسنامه خدمات" in response.content.decode()
    assert not [q for q in sql if "services_serviceinquiry" in q or "services_servicefaq" in q]


def test_a_new_draft_is_written_once(client, intake_page, service):
    data = {"unit": str(service.unit_id), "service": service.service_id, "service_id": service.service_id}
    response, sql = queries(lambda: client.post(BASE, {**data, "agree": "on"}))
    assert response.status_code == 302
    drafts = [q for q in sql if '"intake_draft"' in q and not q.startswith("SELECT")]
    assert len(drafts) == 1 and drafts[0].startswith("INSERT"), drafts


def test_the_receipt_reads_the_request_its_files_and_sms_once(client, intake_page, service, officer):
    fill_to_review(client, service, officer, files=[png("scan.png")])
    client.post(step(6), {"action": "next"})
    response, sql = queries(lambda: client.get(f"{BASE}receipt/"))
    assert response.status_code == 200
    assert "کد پیگیری شما" in response.content.decode()
    assert len([q for q in sql if 'FROM "intake_smsmessage"' in q]) == 1
    assert not [q for q in sql if "services_servicepage" in q]  # what the citizen saw is on the request


def test_the_attachments_and_visit_steps_read_each_thing_once(client, intake_page, service, officer):
    fill_to_review(client, service, officer, files=[png("scan.png")])
    response, sql = queries(lambda: client.get(step(3)))
    assert response.status_code == 200 and "scan.png" in response.content.decode()
    assert not [q for q in sql if 'FROM "intake_draftfile"' in q]  # the draft lists its files
    response, sql = queries(lambda: client.get(step(6)))
    assert response.status_code == 200 and "scan.png" in response.content.decode()
    assert not [q for q in sql if 'FROM "intake_draftfile"' in q]
    response, sql = queries(lambda: client.get(step(5)))
    assert response.status_code == 200 and service.unit.name in response.content.decode()
    assert not [q for q in sql if 'FROM "services_orgunit"' in q]  # the name from the cached catalog


def test_a_step_reads_its_draft_once(client, intake_page, service):
    """A step reads the session and its draft; the wizard's page (its title) and the
    catalog come from Django's cache, kept under the content version."""
    choose(client, service)
    client.post(step(1), {"action": "next"})
    client.get(step(2))
    response, sql = queries(lambda: client.get(step(2)))
    assert response.status_code == 200
    assert f'href="{BASE}step/1/"' in response.content.decode()  # the stepper's link back
    assert len([q for q in sql if 'FROM "intake_draft"' in q]) == 1
    assert not [q for q in sql if '"intake_intakepage"' in q]
    assert not [q for q in sql if "services_servicepage" in q]


def test_an_edited_intro_shows_at_once(client, intake_page, service):
    client.get(BASE)
    intake_page.intro = "<p>متن تازه ویراستار</p>"
    intake_page.save_revision().publish()
    assert "متن تازه ویراستار" in client.get(BASE).content.decode()


def test_a_new_officer_shows_at_once(client, intake_page, service, officer):
    from tests.factories import OfficerFactory

    fill_to_review(client, service, officer)
    client.get(step(5))  # the unit's officers kept
    OfficerFactory(unit=service.unit, full_name="سارا محمدی", position="کارشناس")
    assert "سارا محمدی" in client.get(step(5)).content.decode()
