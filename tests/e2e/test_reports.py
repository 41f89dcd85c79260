"""The reports page in a real browser: a manager signs in, filters by Jalali dates,
sees the inline SVG charts (named images) beside their tables on a 360px phone
without sideways scrolling and with no policy violation, and downloads the workbook."""

import io

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook
from playwright.sync_api import expect

from desk import scoping
from tests.factories import OrgUnitFactory, ServicePageFactory
from tests.intake.requests import make_request

PASSWORD = "a-long-manager-password-1405"
LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) { window.__violations.push(e.violatedDirective); });
"""


@pytest.fixture
def manager(transactional_db, django_user_model, service_index):
    unit = OrgUnitFactory(name="دفتر ارزیابی عملکرد")
    service = ServicePageFactory(parent=service_index, unit=unit, title="صدور مجوز دهیاری")
    for _ in range(3):
        make_request(service)
    user = django_user_model.objects.create_user("boss", password=PASSWORD, first_name="مدیر")
    user.groups.add(Group.objects.get(name=scoping.MANAGERS))
    return user


def test_manager_reads_the_charts_on_a_phone_and_downloads_the_workbook(
    page, live_server, manager, outside_requests
):
    page.set_viewport_size({"width": 360, "height": 800})
    page.add_init_script(LISTENER)
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill("boss")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    # The dashboard panel, then the page.
    expect(page.locator("#panel-overdue")).to_have_text("۰")
    page.goto(live_server.url + "/admin/desk-reports/")
    expect(page.get_by_role("heading", name="خلاصه")).to_be_visible()
    page.get_by_label("از تاریخ ثبت").fill("۱۴۰۰/۰۱/۰۱")
    page.get_by_label("تا تاریخ ثبت").press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#report-total")).to_have_text("۳")
    chart = page.get_by_role("img", name="درخواست‌ها بر حسب وضعیت")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 200 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    expect(page.get_by_role("table").filter(has_text="صدور مجوز دهیاری").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="دریافت فایل اکسل").click()
    with open(download_info.value.path(), "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert dict(book["وضعیت"].iter_rows(min_row=2, values_only=True))["ثبت شده"] == 3
    assert page.evaluate("window.__violations") == []
    assert outside_requests == []
