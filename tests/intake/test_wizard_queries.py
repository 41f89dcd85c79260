"""Query budgets of the wizard (issue 3's benchmark): the final submission validates
the steps once (the review step's forms are handed to intake.services), takes the
draft's files from the list the draft keeps (no rows read), and queues the SMS
without reading the new request again; the service's facets on the choice page come
from the fragment cache once kept."""

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
    settings.PAGE_CACHE_PREPARE = "search.services.prepare_request"
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
    # The catalog and the officers of this content generation were read by earlier steps.
    assert not from_table("services_officer") and not from_table("services_servicepage")
    # No look for an earlier request: the draft is taken by one conditional UPDATE.
    assert not from_table("intake_servicerequest")
    taken = [q for q in sql if q.startswith('UPDATE "intake_draft"')]
    assert len(taken) == 1 and '"submitted_at" IS NULL' in taken[0]
    assert len(sql) <= 22, sql  # with database sessions (no cache) as in the tests (was 28)


def test_the_final_submission_rereads_the_service_without_a_generation(client, intake_page, service, officer):
    """Without a content generation the catalog may be a cached copy: read the service again."""
    from intake import services, wizard
    from intake.models import Draft

    fill_to_review(client, service, officer)
    options = wizard.options_for()  # no request: no content generation
    assert not options.exact
    draft = Draft.objects.get()
    _response, sql = queries(lambda: services.submit_request(draft, options))
    assert [q for q in sql if 'FROM "services_servicepage"' in q]
    assert ServiceRequest.objects.get().service_id == service.pk


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


def test_the_wizard_works_out_its_address_once_per_generation(client, intake_page, service, monkeypatch):
    """Wagtail would fetch the site root paths (a cache round trip) for every step's links."""
    from wagtail.models import Site

    choose(client, service)
    client.post(step(1), {"action": "next"})
    calls = []
    original = Site.get_site_root_paths
    monkeypatch.setattr(Site, "get_site_root_paths", lambda: calls.append(1) or original())
    client.get(step(2))
    calls.clear()
    response = client.get(step(2))
    assert response.status_code == 200 and not calls
    assert f'href="{BASE}step/1/"' in response.content.decode()  # the stepper's link back
    Site.objects.get(is_default_site=True).save()  # a new generation: worked out again
    assert client.get(step(2)).status_code == 200 and calls
