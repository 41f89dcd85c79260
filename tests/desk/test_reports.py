"""The reports page, its Excel export and the dashboard panel: figures on a known
data set, who may see them, the panel's scope and a constant number of queries."""

import datetime
import io
import re
import zoneinfo

import jdatetime
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from desk import reports
from intake import services
from intake.models import OfficialResponse, ServiceRequest, SurveyResponse
from portal.persian import to_persian_digits
from tests.desk.conftest import make_user
from tests.factories import OrgUnitFactory, ServicePageFactory
from tests.intake.requests import make_request

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
URL = "/admin/desk-reports/"
EXPORT = "/admin/desk-reports/export.xlsx"
AXIS_1, AXIS_2 = "شفافیت فرایندی", "زمان فرایند"


def at(year, month, day, hour=10, minute=0):
    """A Tehran moment given as a Jalali date."""
    g = jdatetime.date(year, month, day).togregorian()
    return datetime.datetime(g.year, g.month, g.day, hour, minute, tzinfo=TEHRAN)


def request_at(service, moment, **extra):
    req = make_request(service, **extra)
    ServiceRequest.objects.filter(pk=req.pk).update(submitted_at=moment)
    req.refresh_from_db()
    return req


def respond(req, actor, hours):
    services.transition(req, "in_review", actor)
    return services.issue_response(
        req,
        actor,
        "ماده ۱۰",
        "پذیرفته شد.",
        "دیوان عدالت اداری",
        now=req.submitted_at + datetime.timedelta(hours=hours),
    )


def survey(req, overall, axes):
    return SurveyResponse.objects.create(
        request=req,
        gender="female",
        age_group="u25",
        education="diploma",
        relation="self",
        answers={},
        axis_scores=axes,
        overall_score=overall,
    )


@pytest.fixture
def data(desk_world):
    """Known figures on top of desk_world's two requests (submitted now, unit a and b):
    - Mehr 1405: ten requests of service a answered after 10, 20, … 100 hours;
      the one answered after 100 hours had a due date one day after submission (late);
    - 1404/12/29 23:30 and 1405/01/01 00:30 Tehran (the same UTC day): one each, service b;
    - overdue: unit a one (received), unit b two (received, waiting); not overdue:
      due today, due yesterday but answered, no due date;
    - surveys: two on unit a (80 and 60 overall), one on unit b (40).
    """
    w = desk_world
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    answered = []
    for index, hours in enumerate(range(10, 101, 10)):
        moment = at(1405, 7, 1 + index)
        due = (
            moment.date() + datetime.timedelta(days=1)
            if hours == 100
            else moment.date() + datetime.timedelta(days=30)
        )
        req = request_at(w["service_a"], moment, due_date=due)
        respond(req, w["superuser"], hours)
        answered.append(req)
    w["esfand"] = request_at(w["service_b"], at(1404, 12, 29, 23, 30))
    w["farvardin"] = request_at(w["service_b"], at(1405, 1, 1, 0, 30))
    for req, due in ((w["request_a"], yesterday), (w["request_b"], yesterday)):
        ServiceRequest.objects.filter(pk=req.pk).update(due_date=due)
    waiting = make_request(w["service_b"], due_date=yesterday)
    services.transition(waiting, "waiting", w["superuser"], public_note="سند را بفرستید.")
    make_request(w["service_a"], due_date=timezone.localdate())  # due today: still in time
    make_request(w["service_b"])  # no due date
    old = answered[0]
    ServiceRequest.objects.filter(pk=old.pk).update(due_date=yesterday)  # answered: never overdue
    survey(answered[0], 80, {AXIS_1: 90.0, AXIS_2: 70.0})
    survey(answered[1], 60, {AXIS_1: 50.0, AXIS_2: 70.0})
    survey(w["esfand"], 40, {AXIS_1: 25.0})
    w["answered"] = answered
    return w


def page(client, user, url=URL, **params):
    client.force_login(user)
    return client.get(url, params)


def test_figures_on_a_known_data_set(data):
    report = reports.build(ServiceRequest.objects.all())
    assert report.total == 17
    counts = {row.label: row.count for row in report.by_status}
    assert counts == {
        "ثبت شده": 6,
        "در حال بررسی": 0,
        "ارجاع شده": 0,
        "در انتظار تکمیل مدارک": 1,
        "پاسخ داده شده": 10,
        "مختومه": 0,
    }
    assert report.overdue == 3
    assert [(row.label, row.count) for row in report.by_unit] == [("واحد الف", 12), ("واحد ب", 5)]
    assert [(row.label, row.count) for row in report.by_service] == [("خدمت الف", 12), ("خدمت ب", 5)]
    months = {row.label: row.count for row in report.by_month}
    assert months["اسفند ۱۴۰۴"] == 1 and months["فروردین ۱۴۰۵"] == 1 and months["مهر ۱۴۰۵"] == 10
    assert list(months)[:3] == ["اسفند ۱۴۰۴", "فروردین ۱۴۰۵", "مهر ۱۴۰۵"]  # in calendar order
    assert report.answered == 10 and report.answered_late == 1
    assert report.mean_hours == pytest.approx(55)
    assert report.p90_hours == pytest.approx(90)  # nearest rank: the 9th of 10
    assert report.axes[:5] == [
        "شفافیت فرایندی",
        "پاسخگویی و مسوولیت پذیری",
        "زمان فرایند",
        "نظام مند بودن فرایند",
        "کلیت فرایند",
    ]
    total = report.satisfaction_total
    assert total.surveys == 3 and total.overall == pytest.approx(60)
    axis_1, axis_2 = report.axes.index(AXIS_1), report.axes.index(AXIS_2)
    assert total.axes[axis_1] == pytest.approx(55) and total.axes[axis_2] == pytest.approx(70)
    by_unit = {item.label: item for item in report.satisfaction_by_unit}
    assert by_unit["واحد الف"].overall == pytest.approx(70) and by_unit["واحد الف"].axes[
        axis_1
    ] == pytest.approx(70)
    assert by_unit["واحد ب"].overall == pytest.approx(40) and by_unit["واحد ب"].axes[axis_2] is None
    by_service = {item.label: item for item in report.satisfaction_by_service}
    assert by_service["خدمت الف"].surveys == 2 and by_service["خدمت ب"].surveys == 1


def test_objections_are_counted_and_have_their_own_service_row(client, data):
    """An objection is a request of its own (intake.services.objection): counted in the
    summary, and in the services table as «اعتراض: …», not folded into its service
    (whose row kept the objection's title when it sorted last)."""
    answered = data["answered"][0]
    response = OfficialResponse.objects.get(request=answered)
    services.file_objection(
        response, "به پاسخ اعتراض دارم.", now=response.created_at + datetime.timedelta(hours=1)
    )
    report = reports.build(ServiceRequest.objects.all())
    assert report.total == 18 and report.objections == 1
    assert [(row.label, row.count) for row in report.by_service] == [
        ("خدمت الف", 12),
        ("خدمت ب", 5),
        ("اعتراض: خدمت الف", 1),
    ]
    body = page(client, data["manager"]).content.decode()
    assert re.search(r'id="report-objections">۱<', body)


def test_percentile_is_nearest_rank():
    assert reports.percentile([5], 0.9) == 5
    assert reports.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9) == 10
    assert reports.percentile(list(range(1, 101)), 0.9) == 90
    assert reports.fa_duration(60) == "۲٫۵ روز (۶۰ ساعت)"
    assert reports.fa_duration(5) == "۵٫۰ ساعت"


def test_the_page_shows_the_figures_charts_and_tables(client, data):
    response = page(client, data["manager"])
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r'id="report-total">۱۷<', body)
    assert re.search(r'id="report-overdue">۳<', body)
    assert "۲٫۳ روز (۵۵ ساعت)" in body and "۳٫۸ روز (۹۰ ساعت)" in body
    assert "مهر ۱۴۰۵" in body and "اسفند ۱۴۰۴" in body
    assert body.count('<svg class="report-chart" direction="rtl" role="img"') == 7
    assert body.count("<title id=") == 7 and body.count("<table") >= 7
    assert "<script" not in body.split("<main")[1].split("</main>")[0]  # charts need no script
    assert "۶۰٫۰" in body  # overall satisfaction
    # The card of answered requests says what it counts and why the status table differs.
    assert "<dt>دارای پاسخ رسمی</dt><dd>۱۰</dd>" in body and "برابر نیست" in body
    assert "http://" not in "".join(re.findall(r"<svg.*?</svg>", body, re.S)).replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_the_heading_is_the_menu_items_name_and_dates_have_a_hint_not_a_placeholder(client, data):
    body = page(client, data["manager"]).content.decode()
    assert re.search(r"<h1[^>]*>\s*(<[^>]+>\s*)*گزارش درخواست‌ها", body)
    for name in ("date_from", "date_to"):
        box = re.search(rf'<input[^>]*name="{name}"[^>]*>', body).group(0)
        assert "placeholder" not in box and f'aria-describedby="id_{name}-hint"' in box
        assert re.search(rf'id="id_{name}-hint">سال/ماه/روز شمسی، مانند ۱۴۰۵/۰۹/۰۳<', body)


def test_date_range_filter_in_jalali(client, data):
    body = page(client, data["manager"], date_from="۱۴۰۵/۰۷/۰۱", date_to="1405/07/30").content.decode()
    assert re.search(r'id="report-total">۱۰<', body)
    assert "از ۱۴۰۵/۰۷/۰۱ تا ۱۴۰۵/۰۷/۳۰" in body
    # The boundary is Tehran's midnight: 1405/01/01 00:30 Tehran is in Farvardin, not Esfand.
    body = page(client, data["manager"], date_from="1405/01/01", date_to="1405/01/01").content.decode()
    assert re.search(r'id="report-total">۱<', body)


def test_bad_dates_get_a_persian_message(client, data):
    response = page(client, data["manager"], date_from="1405/13/01")
    assert response.status_code == 400
    assert "تاریخ را به شکل سال/ماه/روز شمسی وارد کنید" in response.content.decode()
    response = page(client, data["manager"], date_from="1405/08/01", date_to="1405/07/01")
    assert (
        response.status_code == 400
        and "«از تاریخ» نباید بعد از «تا تاریخ» باشد." in response.content.decode()
    )
    response = page(client, data["manager"], EXPORT, date_from="abc")
    assert response.status_code == 400 and "تاریخ" in response.content.decode()


MENU_ITEM = '"name": "desk-reports"'


def refused(response):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


@pytest.mark.parametrize("role", ["staff_a", "editor"])
def test_desk_staff_and_editors_cannot_see_reports(client, data, role):
    assert refused(page(client, data[role]))
    export = client.get(EXPORT)
    assert refused(export) and b"PK" not in export.content[:2]
    assert MENU_ITEM not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", ["manager", "superuser"])
def test_managers_and_superusers_see_reports(client, desk_world, role):
    assert page(client, desk_world[role]).status_code == 200
    assert client.get(EXPORT).status_code == 200
    assert MENU_ITEM in client.get("/admin/").content.decode()


def test_anonymous_is_sent_to_the_login(client, db):
    for url in (URL, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_excel_export_has_a_sheet_per_breakdown(client, data):
    response = page(client, data["manager"], EXPORT)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["خلاصه", "وضعیت", "واحد سازمانی", "خدمت", "ماه", "رضایت واحدها", "رضایت خدمات"]
    assert all(ws.sheet_view.rightToLeft for ws in book.worksheets)
    summary = {row[0]: row[1] for row in book["خلاصه"].iter_rows(min_row=2, values_only=True)}
    assert summary["تعداد درخواست‌ها"] == 17 and summary["درخواست‌های معوق"] == 3
    assert summary["میانگین زمان پاسخ (ساعت)"] == 55 and summary["صدک ۹۰ زمان پاسخ (ساعت)"] == 90
    assert summary["پاسخ پس از مهلت"] == 1 and summary["رضایت کل (از ۱۰۰)"] == 60
    # Requests with an official response, whatever their status: named apart from the
    # status «پاسخ داده شده» so the card and the status table never seem to disagree.
    assert summary["دارای پاسخ رسمی"] == 10 and "پاسخ داده شده" not in summary
    statuses = dict(book["وضعیت"].iter_rows(min_row=2, values_only=True))
    assert statuses["پاسخ داده شده"] == 10 and statuses["ثبت شده"] == 6
    assert dict(book["واحد سازمانی"].iter_rows(min_row=2, values_only=True)) == {"واحد الف": 12, "واحد ب": 5}
    months = dict(book["ماه"].iter_rows(min_row=2, values_only=True))
    assert months["مهر ۱۴۰۵"] == 10
    header = [cell.value for cell in book["رضایت واحدها"][1]]
    assert header[:3] == ["واحد سازمانی", "تعداد نظرسنجی", "رضایت کل"] and AXIS_1 in header
    rows = {row[0]: row for row in book["رضایت واحدها"].iter_rows(min_row=2, values_only=True)}
    assert rows["واحد الف"][1] == 2 and rows["واحد الف"][2] == 70
    assert rows["واحد الف"][header.index(AXIS_1)] == 70
    # The filter applies to the export as well.
    book = load_workbook(
        io.BytesIO(client.get(EXPORT, {"date_from": "1405/07/01", "date_to": "1405/07/30"}).content)
    )
    assert dict(book["وضعیت"].iter_rows(min_row=2, values_only=True))["ثبت شده"] == 0


def overdue_in_panel(body):
    return re.search(r'id="panel-overdue">([۰-۹]+)<', body).group(1)


def test_panel_counts_overdue_requests_only_within_scope(client, data):
    client.force_login(data["staff_a"])
    body = client.get("/admin/").content.decode()
    assert overdue_in_panel(body) == "۱"
    assert "درخواست‌های واحدهای شما" in body and "گزارش‌ها و نمودارها" not in body
    client.force_login(data["staff_b"])
    assert overdue_in_panel(client.get("/admin/").content.decode()) == "۲"
    client.force_login(data["manager"])
    body = client.get("/admin/").content.decode()
    assert overdue_in_panel(body) == "۳" and "گزارش‌ها و نمودارها" in body


def test_panel_counts_open_the_filtered_request_list(client, data):
    """Each count on the dashboard links to the list showing just those requests."""
    client.force_login(data["manager"])
    body = client.get("/admin/").content.decode()
    links = dict(re.findall(r'<a href="(/admin/requests/[^"]*)">([^<]+)</a>', body))
    assert links["/admin/requests/?status=received"] == "ثبت شده"
    assert links["/admin/requests/?overdue=yes"] == "معوق (مهلت گذشته)"
    assert links["/admin/requests/"] == "همه درخواست‌ها"
    listed = client.get("/admin/requests/", {"overdue": "yes"}).content.decode()
    assert listed.count('desk-overdue">تأخیر<') == int(
        overdue_in_panel(body).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    )
    # A staff member of no unit sees nothing; an editor gets no panel.
    client.force_login(make_user("lonely", "کارشناسان میز خدمت"))
    assert overdue_in_panel(client.get("/admin/").content.decode()) == "۰"
    client.force_login(data["editor"])
    assert 'id="panel-overdue"' not in client.get("/admin/").content.decode()


def grow(world, index):
    unit = OrgUnitFactory(name=f"واحد {index}")
    service = ServicePageFactory(
        parent=world["service_a"].get_parent(),
        unit=unit,
        title=f"خدمت {index}",
        service_id=f"1001213{index:04d}",
    )
    for offset in range(3):
        req = request_at(service, at(1405, 1 + offset, 5), due_date=datetime.date(2026, 1, 1))
        if offset:
            respond(req, world["superuser"], 24 * offset)
            survey(req, 50 + offset, {AXIS_1: 40.0 + offset})


def test_queries_do_not_grow_with_the_data(client, data):
    client.force_login(data["manager"])
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as small_export:
        client.get(EXPORT)
    with CaptureQueriesContext(connection) as small_panel:
        client.get("/admin/")
    for index in range(1, 6):
        grow(data, index)
    with CaptureQueriesContext(connection) as large:
        body = client.get(URL).content.decode()
    assert "واحد 5" in body
    with CaptureQueriesContext(connection) as large_export:
        client.get(EXPORT)
    with CaptureQueriesContext(connection) as large_panel:
        client.get("/admin/")
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(large_export) == len(small_export)
    assert len(large_panel) == len(small_panel)


def test_persian_digits_everywhere_in_the_figures(client, data):
    body = page(client, data["manager"]).content.decode()
    main = body.split("<main")[1].split("</main>")[0]
    section = main.split('id="summary-heading"')[1]
    visible = re.sub(r"<[^>]+>", " ", section)
    assert not re.search(r"[0-9]", visible), re.findall(r".{20}[0-9].{20}", visible)[:3]
    assert to_persian_digits("17") in visible


def test_report_export_is_a_sandboxed_download(client, desk_world):
    client.force_login(desk_world["manager"])
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
