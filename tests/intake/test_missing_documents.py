"""Missing documents (issue 19): staff say what is missing, the citizen answers on
/track/ after the identity check, the request goes back to review, the due date
pauses while it waits."""

import datetime
import os
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from intake import holidays, notifications, services
from intake.models import Holiday, RequestAttachment, RequestEvent, ServiceRequest
from intake.services import missing_documents
from portal.jalali import format_jalali_date
from tests.intake import files
from tests.intake.requests import NATIONAL_CODE, make_request

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
ASKED = "تصویر سند مالکیت و کارت ملی را بفرستید."
TEXT = "تصویر سند و کارت ملی پیوست شد."
Status = ServiceRequest.Status


def at(day, hour=10):
    return datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=TEHRAN)


def stored_files():
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def snapshot(request_obj):
    request_obj.refresh_from_db()
    return (
        request_obj.status,
        request_obj.due_date,
        request_obj.waiting_time,
        request_obj.waiting_since,
        request_obj.citizen_answered_at,
        RequestEvent.objects.filter(request=request_obj).count(),
        RequestAttachment.objects.filter(request=request_obj).count(),
        len(stored_files()),
    )


@pytest.fixture
def waiting(service):
    request_obj = make_request(service)
    services.transition(request_obj, "waiting", None, public_note=ASKED)
    return request_obj


def unlocked_client(request_obj, national_code=NATIONAL_CODE):
    client = Client()
    assert client.post("/track/", {"code": request_obj.tracking_code}).status_code == 302
    assert client.post("/track/identity/", {"national_code": national_code}).status_code == 302
    return client


# The staff side: a public note is required -----------------------------------------


@pytest.mark.parametrize("note", ["", "   \n "])
def test_moving_to_waiting_without_a_public_note_is_refused_and_writes_nothing(service, note):
    request_obj = make_request(service)
    before = snapshot(request_obj)
    with pytest.raises(services.TransitionError, match="در انتظار تکمیل مدارک"):
        services.transition(request_obj, "waiting", None, public_note=note, internal_note="داخلی")
    assert snapshot(request_obj) == before


def test_moving_to_waiting_starts_the_wait(service):
    request_obj = make_request(service)
    services.transition(request_obj, "waiting", None, public_note=ASKED)
    request_obj.refresh_from_db()
    assert request_obj.status == Status.WAITING and request_obj.waiting_since is not None
    assert services.asked_event(request_obj).note == ASKED


def test_the_status_sms_for_waiting_says_documents_are_asked_and_where_to_answer(service):
    request_obj = make_request(service)
    request_obj.status = Status.WAITING
    text = notifications.status_text(request_obj)
    assert "مدارک یا توضیحی از شما خواسته شده است" in text
    assert "/track/" in text and "تایید هویت" in text and "ارسال مدارک و پاسخ" in text
    request_obj.status = Status.IN_REVIEW
    assert "خواسته شده" not in notifications.status_text(request_obj)


# The citizen's page -----------------------------------------------------------------


def test_the_unlocked_status_page_shows_what_is_asked_and_the_form(waiting):
    body = unlocked_client(waiting).get("/track/status/").content.decode()
    assert ASKED in body and "ارسال مدارک و پاسخ" in body
    assert 'action="/track/answer/"' in body and 'enctype="multipart/form-data"' in body


def test_without_the_identity_check_the_page_shows_no_form(waiting):
    client = Client()
    client.post("/track/", {"code": waiting.tracking_code})
    body = client.get("/track/status/").content.decode()
    assert "ارسال مدارک و پاسخ" not in body and 'action="/track/answer/"' not in body


def test_the_citizen_answers_with_a_file(waiting, django_capture_on_commit_callbacks):
    client = unlocked_client(waiting)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/track/answer/", {"text": TEXT, "file1": files.pdf("سند.pdf"), "file2": files.jpeg("کارت.jpg")}
        )
    assert response.status_code == 302 and response["Location"] == "/track/status/#answer"
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_REVIEW
    assert waiting.citizen_answered_at is not None and waiting.waiting_since is None
    answer = RequestEvent.objects.get(request=waiting, kind=RequestEvent.Kind.CITIZEN_ANSWER)
    assert answer.note == TEXT and answer.get_kind_display() == "پاسخ شهروند" and answer.actor is None
    attachments = list(RequestAttachment.objects.filter(request=waiting).order_by("pk"))
    assert [a.original_name for a in attachments] == ["سند.pdf", "کارت.jpg"]
    assert all(a.event_id == answer.pk for a in attachments)
    assert b"SecretCameraMaker" not in attachments[1].file.open("rb").read()  # re-encoded
    back = RequestEvent.objects.filter(request=waiting, kind="status").last()
    assert (back.from_status, back.status) == (Status.WAITING, Status.IN_REVIEW)
    # The citizen is told of the new status (the workflow's status SMS).
    assert waiting.sms_messages.filter(text__contains="در حال بررسی").exists()
    page = client.get("/track/status/").content.decode()
    assert "پاسخ و مدارک شما ثبت شد" in page and "پاسخ شهروند" in page and TEXT in page
    assert 'action="/track/answer/"' not in page


def test_an_answer_without_files_is_accepted(waiting):
    client = unlocked_client(waiting)
    assert client.post("/track/answer/", {"text": TEXT}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_REVIEW and not waiting.attachments.exists()


# Refusals: a Persian message, nothing written ----------------------------------------


def refused(client, request_obj, data, message, status=400):
    before = snapshot(request_obj)
    response = client.post("/track/answer/", data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert snapshot(request_obj) == before
    return response


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_is_refused(waiting, text):
    refused(unlocked_client(waiting), waiting, {"text": text, "file1": files.pdf()}, "متن پاسخ را بنویسید")


def test_a_bad_file_gets_the_wizards_message(waiting):
    client = unlocked_client(waiting)
    refused(client, waiting, {"text": TEXT, "file1": files.upload("a.exe", b"MZ\x90\x00")}, "پذیرفته نیست")
    refused(client, waiting, {"text": TEXT, "file1": files.pdf(size=81_921)}, "بیش از ۸۰ کیلوبایت")
    active = files.pdf(extra=b"5 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n")
    refused(client, waiting, {"text": TEXT, "file1": active}, "محتوای فعال")


def test_more_than_two_files_are_refused(waiting):
    client = unlocked_client(waiting)
    data = {"text": TEXT, "file1": [files.pdf("a.pdf"), files.pdf("b.pdf")], "file2": files.png()}
    refused(client, waiting, data, "حداکثر ۲ فایل")


def test_answering_twice_is_refused(waiting):
    client = unlocked_client(waiting)
    assert client.post("/track/answer/", {"text": TEXT}).status_code == 302
    refused(client, waiting, {"text": "دوباره", "file1": files.pdf()}, "پیش از این ثبت شده است")


def test_answering_when_nothing_is_asked_is_refused(service):
    request_obj = make_request(service)
    services.transition(request_obj, "in_review", None)
    refused(unlocked_client(request_obj), request_obj, {"text": TEXT}, "خواسته نشده است")


def test_answering_someone_elses_request_is_refused(service, waiting):
    other = make_request(service, national_code="0790419904")
    client = unlocked_client(other, national_code="0790419904")
    client.post("/track/", {"code": waiting.tracking_code})  # looked up, not unlocked
    refused(client, waiting, {"text": TEXT, "file1": files.pdf()}, "ابتدا هویت خود را", status=403)
    assert unlocked_client(waiting).get("/track/status/").status_code == 200


def test_answering_without_any_session_is_refused(waiting):
    refused(Client(), waiting, {"text": TEXT}, "ابتدا هویت خود را", status=403)


def test_a_failing_transaction_leaves_no_file(waiting, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(missing_documents, "move", broken)
    before = snapshot(waiting)
    with pytest.raises(RuntimeError):
        services.answer_missing(waiting, TEXT, [files_checked()])
    assert snapshot(waiting) == before


def files_checked():
    from intake import uploads

    return uploads.check_upload(files.pdf())


def test_the_writer_refuses_what_the_form_would(waiting):
    before = snapshot(waiting)
    for text, attached, message in (
        ("  ", [], "متن پاسخ"),
        ("x" * 2001, [], "۲۰۰۰"),
        (TEXT, [files_checked()] * 3, "حداکثر ۲ فایل"),
    ):
        with pytest.raises(services.TransitionError, match=message):
            services.answer_missing(waiting, text, attached)
    assert snapshot(waiting) == before


# The due date pauses while waiting ---------------------------------------------------


def test_extend_due_date_counts_working_days_across_a_weekend_and_holidays(db):
    # Waiting Wednesday 2026-12-02 to Sunday 12-06: Thursday and Sunday count (Friday
    # never, Saturday 12-05 is a holiday) = 2 working days. From Thursday 12-10: Friday
    # off, Saturday 12-12 a holiday, Sunday 12-13, Monday 12-14.
    Holiday.objects.create(date=datetime.date(2026, 12, 5), title="تعطیل ۱")
    Holiday.objects.create(date=datetime.date(2026, 12, 12), title="تعطیل ۲")
    due = datetime.date(2026, 12, 10)
    assert holidays.extend_due_date(due, at("2026-12-02"), at("2026-12-06")) == datetime.date(2026, 12, 14)
    # Within one day: nothing added; no due date: none.
    assert holidays.extend_due_date(due, at("2026-12-02", 8), at("2026-12-02", 23)) == due
    assert holidays.extend_due_date(None, at("2026-12-02"), at("2026-12-06")) is None


def test_the_answer_adds_the_waiting_days_to_the_due_date(waiting):
    Holiday.objects.create(date=datetime.date(2026, 12, 5), title="تعطیل")
    ServiceRequest.objects.filter(pk=waiting.pk).update(
        waiting_since=at("2026-12-02"), due_date=datetime.date(2026, 12, 10)
    )
    waiting.refresh_from_db()
    services.answer_missing(waiting, TEXT, [], now=at("2026-12-06", 12))
    waiting.refresh_from_db()
    assert waiting.due_date == datetime.date(
        2026, 12, 13
    )  # Thursday + Sunday waited; Fri off, Sat 12 → Sun 13
    assert waiting.waiting_time == datetime.timedelta(days=4, hours=2)
    # The citizen and staff see the new date (the status page shows due_date).
    body = unlocked_client(waiting).get("/track/status/").content.decode()
    assert format_jalali_date(waiting.due_date, long=True) in body


def test_staff_leaving_waiting_also_ends_the_wait(waiting):
    ServiceRequest.objects.filter(pk=waiting.pk).update(
        waiting_since=timezone.now() - datetime.timedelta(hours=5)
    )
    waiting.refresh_from_db()
    services.transition(waiting, "in_review", None, public_note="مدارک حضوری تحویل شد.")
    waiting.refresh_from_db()
    assert waiting.waiting_since is None
    assert datetime.timedelta(hours=5) <= waiting.waiting_time < datetime.timedelta(hours=5, minutes=5)


# The staff flag -----------------------------------------------------------------------


def test_the_flag_is_set_by_the_answer_and_cleared_by_the_next_staff_action(waiting, django_user_model):
    staff = django_user_model.objects.create_user("clerk")
    services.answer_missing(waiting, TEXT, [])
    waiting.refresh_from_db()
    assert waiting.citizen_answered_at is not None
    services.assign(waiting, staff, staff)  # handing it over keeps the flag for the assignee
    waiting.refresh_from_db()
    assert waiting.citizen_answered_at is not None
    services.add_note(waiting, staff, internal_note="دیدم")
    waiting.refresh_from_db()
    assert waiting.citizen_answered_at is None
    # Asked again, answered again, then a status move clears it.
    services.transition(waiting, "waiting", staff, public_note="صفحه دوم سند را هم بفرستید.")
    services.answer_missing(waiting, "صفحه دوم پیوست شد.", [])
    waiting.refresh_from_db()
    assert waiting.citizen_answered_at is not None and waiting.status == Status.IN_REVIEW
    services.transition(waiting, "referred", staff)
    waiting.refresh_from_db()
    assert waiting.citizen_answered_at is None


def test_stored_names_are_generated(waiting):
    services.answer_missing(waiting, TEXT, [files_checked()])
    attachment = RequestAttachment.objects.get(request=waiting)
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", os.path.basename(attachment.file.name))
    assert attachment.original_name == "doc.pdf"


def test_answers_have_their_own_rate_limit(waiting, settings):
    settings.FOLLOWUP_ANSWER_RATE = "2/600"
    client = unlocked_client(waiting)
    for _ in range(2):
        assert client.post("/track/answer/", {"text": ""}).status_code == 400
    refused(client, waiting, {"text": TEXT}, "بیش از حد", status=429)


def test_the_status_email_for_waiting_says_where_to_answer(waiting):
    from intake import mail

    waiting.email = "citizen@example.com"
    _subject, text, html = mail.compose_status(waiting)
    for body in (text, html):
        assert ASKED in body and "ارسال مدارک و پاسخ" in body and "تایید هویت" in body
    waiting.status = Status.IN_REVIEW
    assert "ارسال مدارک و پاسخ" not in mail.compose_status(waiting)[1]
