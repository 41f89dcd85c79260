"""The due date (مهلت پاسخ‌گویی): computed at submission in working days, shown on
the receipt, its PDF and the follow-up status page; holidays kept as snippets."""

import datetime
import io
import re
import zoneinfo

import jdatetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from pypdf import PdfReader

from intake import holidays
from intake.models import Holiday, ServiceRequest
from portal.jalali import format_jalali_date
from portal.workdays import add_working_days
from tests.intake.helpers import BASE, fill_to_review, step
from tests.intake.requests import make_request
from tests.intake.test_pdf import digit_glyphs, tj_runs

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def j(year, month, day):
    return jdatetime.date(year, month, day).togregorian()


def submit(client, service, officer):
    fill_to_review(client, service, officer)
    assert client.post(step(6), {"action": "next"}).status_code == 302
    return ServiceRequest.objects.get()


def test_submission_gets_a_due_date_that_skips_fridays_and_holidays(client, intake_page, service, officer):
    today = timezone.localdate()
    # The next three days are holidays: the due date moves by three working days (or fewer if Fridays).
    for offset in (1, 2, 3):
        Holiday.objects.create(date=today + datetime.timedelta(days=offset), title=f"تعطیل {offset}")
    req = submit(client, service, officer)
    listed = set(Holiday.objects.values_list("date", flat=True))
    start = timezone.localdate(req.submitted_at)
    assert req.due_date == add_working_days(start, service.processing_days, listed)
    assert req.due_date != add_working_days(start, service.processing_days)
    assert req.due_date.weekday() != 4 and req.due_date not in listed


def test_receipt_and_its_pdf_show_the_due_date(client, intake_page, service, officer):
    req = submit(client, service, officer)
    shown = format_jalali_date(req.due_date)
    body = client.get(BASE + "receipt/").content.decode()
    assert "مهلت پاسخ‌گویی" in body
    assert shown in body and format_jalali_date(req.due_date, long=True) in body
    assert re.search(r"[0-9]{4}/", body.split("مهلت پاسخ‌گویی")[1][:200]) is None  # Persian digits

    pdf = client.get(BASE + "receipt/pdf/").content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "مهلت" in text
    glyphs = digit_glyphs()
    jalali = jdatetime.date.fromgregorian(date=req.due_date)
    drawn = "".join("".join(re.findall(r"<([0-9a-f]{4})>", run)) for run in tj_runs(pdf))
    for part in (f"{jalali.year:04d}", f"{jalali.month:02d}", f"{jalali.day:02d}"):
        assert "".join(glyphs[int(d)] for d in part) in drawn


def test_no_due_date_without_a_processing_time(db):
    assert holidays.due_date(timezone.now(), None) is None


def test_due_date_uses_tehran_local_date_and_seeded_nowruz(db):
    holidays.seed(Holiday)
    # 00:30 on Friday 1404/12/29 in Tehran is still Thursday 12/28 in UTC: Tehran's date counts.
    moment = datetime.datetime(2026, 3, 20, 0, 30, tzinfo=TEHRAN)
    assert moment.astimezone(datetime.UTC).date() == datetime.date(2026, 3, 19)
    assert holidays.due_date(moment, 1) == j(1405, 1, 5)
    # Thursday 1404/12/28 at 23:30 (after office hours) counts from the next working day too.
    late = datetime.datetime(2026, 3, 19, 23, 30, tzinfo=TEHRAN)
    assert holidays.due_date(late, 1) == j(1405, 1, 5)
    assert holidays.due_date(late, 7) == j(1405, 1, 15)  # 12 and 13 Farvardin, two Fridays skipped
    assert holidays.due_date(late, 0) == j(1404, 12, 28)


def test_seed_is_idempotent_and_keeps_an_editors_title(db):
    Holiday.objects.create(date=j(1405, 1, 13), title="سیزده به در")
    added = holidays.seed(Holiday)
    assert added == len(holidays.SEED) - 1
    assert holidays.seed(Holiday) == 0
    assert Holiday.objects.get(date=j(1405, 1, 13)).title == "سیزده به در"
    for day in ((1406, 1, 1), (1406, 1, 4), (1406, 1, 12), (1406, 1, 13), (1405, 11, 22)):
        assert Holiday.objects.filter(date=j(*day)).exists()


def test_status_page_shows_the_due_date(client, service):
    req = make_request(service, due_date=j(1405, 9, 17))
    assert client.post("/track/", {"code": req.tracking_code}).status_code == 302
    body = client.get("/track/status/").content.decode()
    assert "مهلت پاسخ‌گویی" in body and "۱۷ آذر ۱۴۰۵" in body


def test_editors_keep_holidays_with_jalali_dates(client, db):
    admin = get_user_model().objects.create_superuser("root", password="pass-1234-word")
    client.force_login(admin)
    add_url = "/admin/snippets/intake/holiday/add/"
    form = client.get(add_url).content.decode()
    # The format is a hint beside the field, not a grey date that looks filled in.
    assert "placeholder" not in form.split('name="date"')[1].split(">")[0]
    assert "به تاریخ شمسی، مانند ۱۴۰۵/۰۱/۱۳" in form
    response = client.post(add_url, {"date": "۱۴۰۵/۰۹/۱۰", "title": "تعطیل استانی"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert Holiday.objects.get(title="تعطیل استانی").date == j(1405, 9, 10)
    listing = client.get("/admin/snippets/intake/holiday/").content.decode()
    assert "۱۴۰۵/۰۹/۱۰" in listing and "سه‌شنبه" in listing
    # A date that is not a Jalali date: a Persian message, nothing written.
    response = client.post(add_url, {"date": "1405/13/40", "title": "نادرست"})
    assert response.status_code == 200
    assert "تاریخ را به شکل سال/ماه/روز شمسی وارد کنید" in response.content.decode()
    assert not Holiday.objects.filter(title="نادرست").exists()
    # The same date twice: refused.
    response = client.post(add_url, {"date": "1405/09/10", "title": "تکراری"})
    assert response.status_code == 200 and not Holiday.objects.filter(title="تکراری").exists()


def test_a_holiday_added_counts_at_once_and_is_a_new_content_version(db):
    """Due dates read the holidays when they are computed; a holiday added (or edited,
    or removed) is a new content version, so nothing kept shows the old dates."""
    from portal import content_version
    from portal.workdays import days_off_from_settings

    now = timezone.now()
    first = holidays.due_date(now, 3)
    before = content_version.current()
    next_working_day = add_working_days(timezone.localdate(now), 1, set(), days_off_from_settings())
    Holiday.objects.create(date=next_working_day, title="تعطیل تازه")
    assert content_version.current() != before
    assert holidays.due_date(now, 3) > first
