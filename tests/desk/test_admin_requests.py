"""The requests listing and a request's page in the Wagtail admin."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from intake import services
from intake.models import ServiceRequest, SmsMessage
from portal.persian import to_persian_digits
from tests.intake.requests import make_request

pytestmark = pytest.mark.django_db
INDEX = "/admin/requests/"


def login(client, user):
    client.force_login(user)
    return client


def listed(response):
    return response.content.decode()


def test_menu_item_for_staff_and_managers_only(client, desk_world):
    for name, shown in [("staff_a", True), ("manager", True), ("superuser", True), ("editor", False)]:
        login(client, desk_world[name])
        body = client.get("/admin/").content.decode()
        assert ('"url": "/admin/requests/"' in body) is shown, name


def test_listing_shows_own_units_requests_with_persian_columns(client, desk_world):
    req_a, req_b = desk_world["request_a"], desk_world["request_b"]
    login(client, desk_world["staff_a"])
    response = client.get(INDEX)
    assert response.status_code == 200
    body = listed(response)
    assert to_persian_digits(req_a.tracking_code) in body
    assert to_persian_digits(req_b.tracking_code) not in body
    assert "علی کریمی" in body and "خدمت الف" in body and "ثبت شده" in body
    assert reverse("desk_requests:detail", args=(req_a.pk,)) in body
    # The 16-digit code keeps to one line (static/css/desk/admin.css).
    assert 'class="w-text-16 desk-code"' in response.content.decode()


def test_manager_and_superuser_list_every_unit(client, desk_world):
    for name in ("manager", "superuser"):
        login(client, desk_world[name])
        body = listed(client.get(INDEX))
        for req in (desk_world["request_a"], desk_world["request_b"]):
            assert to_persian_digits(req.tracking_code) in body


def test_editor_cannot_open_the_listing(client, desk_world):
    login(client, desk_world["editor"])
    assert client.get(INDEX).status_code in (302, 403)


def test_search_by_tracking_code_in_persian_digits_with_dash(client, desk_world):
    req_a = desk_world["request_a"]
    other = make_request(desk_world["service_a"], national_code="0013542419")
    login(client, desk_world["staff_a"])
    code = req_a.tracking_code
    body = listed(client.get(INDEX, {"q": to_persian_digits(f"{code[:8]}-{code[8:]}")}))
    assert to_persian_digits(code) in body
    assert to_persian_digits(other.tracking_code) not in body


def test_search_by_national_code_and_name(client, desk_world):
    service = desk_world["service_a"]
    first = make_request(service, national_code="0013542419")
    second = make_request(service, national_code="0790419904")
    ServiceRequest.objects.filter(pk=second.pk).update(first_name="مریم", last_name="احمدی")
    login(client, desk_world["staff_a"])
    body = listed(client.get(INDEX, {"q": "۰۰۱۳۵۴۲۴۱۹"}))
    assert to_persian_digits(first.tracking_code) in body
    assert to_persian_digits(second.tracking_code) not in body
    body = listed(client.get(INDEX, {"q": "مريم احمدي"}))  # Arabic ي from an Arabic keyboard
    assert to_persian_digits(second.tracking_code) in body
    assert to_persian_digits(first.tracking_code) not in body


def test_search_never_reaches_other_units(client, desk_world):
    login(client, desk_world["staff_a"])
    body = listed(client.get(INDEX, {"q": desk_world["request_b"].tracking_code}))
    assert to_persian_digits(desk_world["request_b"].tracking_code) not in body


def test_filters_status_unit_service(client, desk_world):
    req_a, req_b = desk_world["request_a"], desk_world["request_b"]
    services.transition(req_b, "in_review", None)
    login(client, desk_world["manager"])
    body = listed(client.get(INDEX, {"status": "in_review"}))
    assert to_persian_digits(req_b.tracking_code) in body
    assert to_persian_digits(req_a.tracking_code) not in body
    body = listed(client.get(INDEX, {"unit": desk_world["unit_a"].pk}))
    assert to_persian_digits(req_a.tracking_code) in body
    assert to_persian_digits(req_b.tracking_code) not in body
    body = listed(client.get(INDEX, {"service": desk_world["service_b"].pk}))
    assert to_persian_digits(req_b.tracking_code) in body
    assert to_persian_digits(req_a.tracking_code) not in body


def test_staff_unit_filter_offers_only_their_units(client, desk_world):
    login(client, desk_world["staff_a"])
    body = listed(client.get(INDEX))
    assert "واحد الف" in body
    assert "واحد ب" not in body
    # Asking for another unit by id is not a way in.
    response = client.get(INDEX, {"unit": desk_world["unit_b"].pk})
    assert to_persian_digits(desk_world["request_b"].tracking_code) not in listed(response)


def test_jalali_date_range_filter(client, desk_world):
    req_a = desk_world["request_a"]
    old = make_request(desk_world["service_a"], national_code="0013542419")
    # 1405/01/10 = 2026-03-30
    ServiceRequest.objects.filter(pk=old.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2026, 3, 30, 10, 0))
    )
    login(client, desk_world["staff_a"])
    body = listed(client.get(INDEX, {"submitted_from": "۱۴۰۵/۰۱/۰۱", "submitted_to": "1405/01/10"}))
    assert to_persian_digits(old.tracking_code) in body
    assert to_persian_digits(req_a.tracking_code) not in body
    body = listed(client.get(INDEX, {"submitted_from": "1405/01/11"}))
    assert to_persian_digits(old.tracking_code) not in body
    assert to_persian_digits(req_a.tracking_code) in body


def test_bad_jalali_date_is_a_persian_message_not_a_500(client, desk_world):
    login(client, desk_world["staff_a"])
    response = client.get(INDEX, {"submitted_from": "1405/13/40"})
    assert response.status_code == 200
    assert "تاریخ را به شکل سال/ماه/روز شمسی وارد کنید" in listed(response)


def test_overdue_filter_and_badge(client, desk_world):
    today = timezone.localdate()
    late = make_request(
        desk_world["service_a"], national_code="0013542419", due_date=today - datetime.timedelta(days=2)
    )
    answered_late = make_request(
        desk_world["service_a"], national_code="0790419904", due_date=today - datetime.timedelta(days=2)
    )
    ServiceRequest.objects.filter(pk=answered_late.pk).update(status="answered")
    on_time = desk_world["request_a"]
    ServiceRequest.objects.filter(pk=on_time.pk).update(due_date=today + datetime.timedelta(days=3))
    login(client, desk_world["staff_a"])
    body = listed(client.get(INDEX, {"overdue": "yes"}))
    assert to_persian_digits(late.tracking_code) in body
    assert to_persian_digits(answered_late.tracking_code) not in body
    assert to_persian_digits(on_time.tracking_code) not in body
    assert "desk-overdue" in body
    body = listed(client.get(INDEX, {"overdue": "no"}))
    assert to_persian_digits(late.tracking_code) not in body
    assert to_persian_digits(answered_late.tracking_code) in body
    assert to_persian_digits(on_time.tracking_code) in body


def test_sorting_by_due_date(client, desk_world):
    today = timezone.localdate()
    early = make_request(desk_world["service_a"], national_code="0013542419", due_date=today)
    late = make_request(
        desk_world["service_a"], national_code="0790419904", due_date=today + datetime.timedelta(days=9)
    )
    login(client, desk_world["staff_a"])
    body = listed(client.get(INDEX, {"ordering": "due_date"}))
    assert body.index(to_persian_digits(early.tracking_code)) < body.index(
        to_persian_digits(late.tracking_code)
    )
    body = listed(client.get(INDEX, {"ordering": "-due_date"}))
    assert body.index(to_persian_digits(early.tracking_code)) > body.index(
        to_persian_digits(late.tracking_code)
    )


def test_csv_export_only_visible_rows_persian_headers(client, desk_world):
    req_a = desk_world["request_a"]
    ServiceRequest.objects.filter(pk=req_a.pk).update(first_name="=HYPERLINK(1)")
    login(client, desk_world["staff_a"])
    response = client.get(INDEX, {"export": "csv"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["کد پیگیری", "نام و نام خانوادگی", "کد ملی"]
    codes = [row[0] for row in rows[1:]]
    assert codes == [to_persian_digits(req_a.tracking_code)]  # text to a spreadsheet program
    assert rows[1][1].startswith("'=")  # no formula
    assert "ثبت شده" in rows[1]


def test_xlsx_export_only_visible_rows_and_filtered(client, desk_world):
    login(client, desk_world["manager"])
    response = client.get(INDEX, {"export": "xlsx", "unit": desk_world["unit_b"].pk})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "کد پیگیری"
    assert [row[0] for row in rows[1:]] == [desk_world["request_b"].tracking_code]


def test_request_page_shows_everything(client, desk_world):
    req_a = desk_world["request_a"]
    services.transition(
        req_a, "in_review", desk_world["staff_a"], public_note="عمومی ۱", internal_note="محرمانه ۲"
    )
    SmsMessage.objects.create(
        request=req_a, recipient="09121234567", text="کد تایید شما 123456 است", backend="x"
    )
    login(client, desk_world["staff_a"])
    response = client.get(reverse("desk_requests:detail", args=(req_a.pk,)))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "علی کریمی",
        "۰۴۹۹۳۷۰۸۹۹",
        "درخواست بررسی عملکرد دهیاری",
        "عمومی ۱",
        "محرمانه ۲",
        "در حال بررسی",
    ):
        assert text in body, text
    assert "123456" not in body and "******" in body  # one-time codes masked
    assert f'action="/admin/requests/{req_a.pk}/action/status/"' in body


def test_manager_page_is_read_only(client, desk_world):
    login(client, desk_world["manager"])
    response = client.get(reverse("desk_requests:detail", args=(desk_world["request_a"].pk,)))
    assert response.status_code == 200
    body = response.content.decode()
    assert "/action/" not in body
    assert "فقط اجازه مشاهده" in body


def test_garbage_query_parameters_are_not_a_500(client, desk_world):
    login(client, desk_world["staff_a"])
    response = client.get(
        INDEX,
        {
            "unit": "abc",
            "status": "bogus",
            "overdue": "maybe",
            "ordering": "password",
            "p": "999",
            "q": "'%_",
        },
    )
    assert response.status_code == 200
    assert client.get(INDEX, {"export": "pdf"}).status_code == 200
    assert client.get(reverse("desk_requests:detail", args=(999999,))).status_code == 404


def test_missing_attachment_file_is_404(client, desk_world):
    from intake.models import RequestAttachment

    attachment = RequestAttachment.objects.create(
        request=desk_world["request_a"],
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        file="gone.pdf",
    )
    login(client, desk_world["staff_a"])
    url = reverse("desk_requests:attachment", args=(desk_world["request_a"].pk, attachment.pk))
    assert client.get(url).status_code == 404


def test_attachment_names_are_isolated_and_sizes_persian_on_the_request_page(client, desk_world):
    """«نامه-letter.pdf، عکس.png» must not reorder: each name in its own <bdi>."""
    from intake.models import RequestAttachment

    req = desk_world["request_a"]
    RequestAttachment.objects.create(
        request=req, original_name="نامه-letter.pdf", content_type="application/pdf", size=1234, file="a.pdf"
    )
    login(client, desk_world["staff_a"])
    body = client.get(reverse("desk_requests:detail", args=(req.pk,))).content.decode()
    assert "<bdi>نامه-letter.pdf</bdi></a>" in body
    assert '(<bdi dir="ltr">application/pdf</bdi>، ۱٫۲ کیلوبایت)' in body


DOWNLOAD_CSP = "default-src 'none'; sandbox"


@pytest.fixture
def stored_attachment(desk_world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from intake.models import RequestAttachment

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    attachment = RequestAttachment(
        request=desk_world["request_a"],
        original_name="<svg onload=alert(1)>.html",
        content_type="text/html",  # whatever was stored, the browser must not render it
        size=40,
    )
    attachment.file.save("x.html", ContentFile(b"<html><script>alert(1)</script></html>"), save=False)
    attachment.save()
    return attachment


def test_attachment_download_in_the_admin_is_a_sandboxed_download(client, desk_world, stored_attachment):
    """Through the real admin URL (so through the CSP middleware and its admin policy):
    the download carries its own policy, never the admin's."""
    login(client, desk_world["staff_a"])
    url = reverse("desk_requests:attachment", args=(desk_world["request_a"].pk, stored_attachment.pk))
    assert url.startswith("/admin/")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == DOWNLOAD_CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_listing_exports_are_sandboxed_downloads(client, desk_world, fmt):
    login(client, desk_world["staff_a"])
    response = client.get(INDEX, {"export": fmt})
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == DOWNLOAD_CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
