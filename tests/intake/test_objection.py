"""Objection (issue 19): each official response names the unit that hears objections
and the last day one is accepted; within it the citizen, after the identity check,
files an objection that becomes a new linked request for that unit."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from intake import holidays, services, uploads
from intake.models import OfficialResponse, RequestAttachment, RequestEvent, ServiceRequest, SmsMessage
from intake.services import objection as objection_module
from portal.jalali import format_jalali_date
from portal.persian import to_ascii_digits, to_persian_digits
from tests.factories import OrgUnitFactory
from tests.intake import files
from tests.intake.requests import answer, default_signer, make_request

TEXT = "به بند دوم پاسخ اعتراض دارم؛ سند مالکیت پیوست است."
Status = ServiceRequest.Status


@pytest.fixture
def appeals_unit(db):
    return OrgUnitFactory(name="هیئت رسیدگی به اعتراضات")


@pytest.fixture
def answered(service, appeals_unit):
    service.objection_unit = appeals_unit
    service.objection_days = 7
    service.save()
    request_obj = make_request(service)
    answer(request_obj)
    return request_obj


def respond(request_obj, **extra):
    """Issue a response (or, with `replaces`, a correction) as the default signer."""
    return services.issue_response(
        request_obj,
        None,
        legal_grounds="ماده ۱۰",
        content="پذیرفته شد.",
        appeal="هیئت",
        signer=default_signer(),
        **extra,
    )


def current(request_obj):
    return OfficialResponse.objects.current().get(request=request_obj)


def unlocked_client(request_obj):
    client = Client()
    assert client.post("/track/", {"code": request_obj.tracking_code}).status_code == 302
    assert client.post("/track/identity/", {"national_code": request_obj.national_code}).status_code == 302
    return client


def stored_files():
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def snapshot():
    return (
        ServiceRequest.objects.count(),
        RequestEvent.objects.count(),
        RequestAttachment.objects.count(),
        SmsMessage.objects.count(),
        len(stored_files()),
    )


def refused(client, data, message, status=400):
    before = snapshot()
    response = client.post("/track/objection/", data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert snapshot() == before
    return response


# Issuing: the unit and the deadline ---------------------------------------------------


def test_the_response_takes_the_services_objection_unit_and_period(answered, appeals_unit):
    response = current(answered)
    assert response.objection_unit == appeals_unit
    assert response.objection_unit_name == "هیئت رسیدگی به اعتراضات"
    assert response.objection_deadline == holidays.due_date(response.created_at, 7)


def test_without_a_service_default_the_request_unit_hears_it_in_ten_working_days(service):
    request_obj = make_request(service)
    answer(request_obj)
    response = current(request_obj)
    assert response.objection_unit == service.unit
    assert response.objection_deadline == holidays.due_date(response.created_at, 10)


def test_staff_may_change_both_when_issuing(service, appeals_unit):
    request_obj = make_request(service)
    services.transition(request_obj, "in_review", None)
    response = respond(request_obj, objection_unit=appeals_unit, objection_days=3)
    assert response.objection_unit == appeals_unit
    assert response.objection_deadline == holidays.due_date(response.created_at, 3)


# The citizen's page -------------------------------------------------------------------


def test_the_response_page_shows_the_unit_the_deadline_and_the_form(answered):
    page = unlocked_client(answered).get("/track/response/").content.decode()
    deadline = current(answered).objection_deadline
    assert "اعتراض به پاسخ" in page
    assert "هیئت رسیدگی به اعتراضات" in page
    assert f"تا پایان {format_jalali_date(deadline, long=True)}" in page
    assert 'action="/track/objection/"' in page and "ثبت اعتراض" in page
    # The letter itself (its signed PDF is rendered from the same template) says it too.
    long_date = format_jalali_date(deadline, long=True)
    assert f"اعتراض برخط: به هیئت رسیدگی به اعتراضات، تا پایان {long_date}" in page
    assert '<label for="id_text"' in page


def test_the_citizen_objects_with_a_file(
    answered, appeals_unit, sms_outbox, django_capture_on_commit_callbacks
):
    client = unlocked_client(answered)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/track/objection/", {"text": TEXT, "file1": files.pdf("سند.pdf")})
    assert response.status_code == 302 and response["Location"] == "/track/receipt/"
    filed = ServiceRequest.objects.get(objection_to=current(answered))
    assert filed.tracking_code != answered.tracking_code
    assert (filed.unit, filed.unit_name, filed.status) == (appeals_unit, appeals_unit.name, Status.RECEIVED)
    assert filed.service_title == f"اعتراض: {answered.service_title}"
    assert (filed.national_code, filed.mobile, filed.request_text) == (
        answered.national_code,
        answered.mobile,
        TEXT,
    )
    assert filed.due_date == holidays.due_date(filed.submitted_at, answered.processing_days)
    assert [a.original_name for a in filed.attachments.all()] == ["سند.pdf"]
    assert filed.events.get().kind == RequestEvent.Kind.SUBMITTED
    # The receipt SMS of the new request, with its own code.
    assert any(filed.tracking_code in to_ascii_digits(text) for _to, text in sms_outbox)
    # The original request says so, without the new code (the code alone opens its history).
    note = answered.events.filter(kind=RequestEvent.Kind.NOTE).latest("pk").note
    assert current(answered).number in note and filed.tracking_code not in note
    # The receipt of the objection follows, and the session now holds it, unlocked.
    receipt = client.get("/track/receipt/").content.decode()
    assert "رسید اعتراض شما" in receipt and "اعتراض شما ثبت شد" in receipt
    assert to_persian_digits(current(answered).number) in receipt
    assert client.get("/track/status/").context["req"] == filed


def test_an_objection_without_files_is_accepted(answered):
    assert unlocked_client(answered).post("/track/objection/", {"text": TEXT}).status_code == 302
    assert ServiceRequest.objects.filter(objection_to__request=answered).count() == 1


# Refusals: a Persian message, nothing written -------------------------------------------


def test_after_the_deadline_the_page_says_so_with_its_date_and_writes_nothing(answered):
    response = current(answered)
    response.objection_deadline = timezone.localdate() - datetime.timedelta(days=1)
    response.save(update_fields=["objection_deadline"])
    client = unlocked_client(answered)
    passed = format_jalali_date(response.objection_deadline, long=True)
    page = client.get("/track/response/").content.decode()
    assert f"مهلت اعتراض به این پاسخ در {passed} به پایان رسیده است" in page
    assert 'action="/track/objection/"' not in page
    refused(client, {"text": TEXT, "file1": files.pdf()}, f"در {passed} به پایان رسیده")


def test_the_last_day_of_the_deadline_is_still_open(answered):
    response = current(answered)
    response.objection_deadline = timezone.localdate()
    response.save(update_fields=["objection_deadline"])
    assert services.refusal(response) is None


def test_one_open_objection_per_response(answered):
    client = unlocked_client(answered)
    assert client.post("/track/objection/", {"text": TEXT}).status_code == 302
    filed = ServiceRequest.objects.get(objection_to__request=answered)
    again = unlocked_client(answered)
    refused(again, {"text": "اعتراض دوم"}, to_persian_digits(filed.tracking_code))
    assert "در حال رسیدگی است" in again.get("/track/response/").content.decode()
    # Once that objection is closed, the response may be objected to again within its deadline.
    services.transition(filed, "closed", None)
    assert again.post("/track/objection/", {"text": "اعتراض دوم"}).status_code == 302


def test_the_constraint_counts_the_open_statuses_as_open():
    (constraint,) = ServiceRequest._meta.constraints
    assert constraint.condition == Q(status__in=list(ServiceRequest.OPEN_STATUSES))


def test_the_database_refuses_a_second_open_objection(answered):
    response = current(answered)
    make_request(answered.service, objection_to=response)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_request(answered.service, objection_to=response)


def test_a_replaced_letter_cannot_be_objected_to(answered):
    old = current(answered)
    respond(answered, replaces=old)
    before = snapshot()
    with pytest.raises(services.TransitionError, match="جایگزین شده"):
        services.file_objection(old, TEXT)
    assert snapshot() == before


def test_a_letter_without_a_deadline_cannot_be_objected_to_online(answered):
    response = current(answered)
    response.objection_deadline = None
    response.save(update_fields=["objection_deadline"])
    page = unlocked_client(answered).get("/track/response/").content.decode()
    assert "مهلت اعتراض برخط تعیین نشده است" in page


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_is_refused(answered, text):
    refused(unlocked_client(answered), {"text": text, "file1": files.pdf()}, "متن اعتراض را بنویسید")


def test_bad_files_get_the_wizards_messages(answered):
    client = unlocked_client(answered)
    refused(client, {"text": TEXT, "file1": files.upload("a.exe", b"MZ\x90\x00")}, "پذیرفته نیست")
    refused(client, {"text": TEXT, "file1": files.pdf(size=81_921)}, "بیش از ۸۰ کیلوبایت")
    data = {"text": TEXT, "file1": [files.pdf("a.pdf"), files.pdf("b.pdf")], "file2": files.png()}
    refused(client, data, "حداکثر ۲ فایل")


def test_without_the_identity_check_nothing_is_written(answered):
    refused(Client(), {"text": TEXT}, "ابتدا هویت خود را", status=403)
    looked_up = Client()
    looked_up.post("/track/", {"code": answered.tracking_code})  # the code alone: not unlocked
    refused(looked_up, {"text": TEXT}, "ابتدا هویت خود را", status=403)


def test_before_any_response_there_is_nothing_to_object_to(service):
    request_obj = make_request(service)
    client = unlocked_client(request_obj)
    before = snapshot()
    assert client.post("/track/objection/", {"text": TEXT})["Location"] == "/track/response/"
    assert snapshot() == before


def test_the_writer_refuses_what_the_form_would(answered):
    response = current(answered)
    checked = uploads.check_upload(files.pdf())
    before = snapshot()
    for text, attached, message in (
        ("  ", [], "متن اعتراض"),
        ("x" * 2001, [], "۲۰۰۰"),
        (TEXT, [checked] * 3, "حداکثر ۲ فایل"),
    ):
        with pytest.raises(services.TransitionError, match=message):
            services.file_objection(response, text, attached)
    assert snapshot() == before


def test_a_failing_transaction_leaves_no_file_and_no_request(answered, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(objection_module, "queue_receipt", broken)
    before = snapshot()
    with pytest.raises(RuntimeError):
        services.file_objection(current(answered), TEXT, [uploads.check_upload(files.pdf())])
    assert snapshot() == before
