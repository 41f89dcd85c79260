"""The back office in a real browser: a desk staff member signs in to the admin,
filters the requests, opens one, moves it through review to answered with the
official response; the citizen's follow-up page shows the answer."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intake import services
from intake.models import ServiceRequest
from portal.persian import to_persian_digits
from services.demo import RURAL
from services.models import ServicePage
from tests.intake.requests import make_request


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-index", verbosity=0)
    service = ServicePage.objects.filter(unit__name=RURAL).order_by("path").first()
    waiting = make_request(service, national_code="0013542419")
    services.transition(waiting, "in_review", None)
    return make_request(service), waiting


def test_staff_answers_a_request_and_the_citizen_sees_it(page, live_server, demo, outside_requests):
    req, other = demo
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("نام کاربری").fill("desk1")
    page.get_by_label("گذرواژه").fill("desk1-demo-1405")
    page.get_by_role("button", name="ورود").click()
    page.wait_for_load_state("load")

    page.get_by_role("link", name="درخواست‌ها").first.click()
    expect(page).to_have_url(re.compile(r"/admin/requests/$"))
    code, other_code = to_persian_digits(req.tracking_code), to_persian_digits(other.tracking_code)
    expect(page.get_by_role("link", name=code)).to_be_visible()
    expect(page.get_by_role("link", name=other_code)).to_be_visible()

    # Filter: status «ثبت شده» (the drawer updates the results in place).
    page.locator("#filters-drilldown").get_by_role("button").first.click()  # «نمایش فیلترها»
    page.locator("#filters-drilldown").get_by_role("button", name="وضعیت", exact=True).click()
    page.locator("#id_status").select_option("received")
    expect(page.get_by_role("link", name=other_code)).to_have_count(0)
    expect(page.get_by_role("link", name=code)).to_be_visible()

    page.get_by_role("link", name=code).click()
    expect(page.locator("#current-status")).to_have_text("ثبت شده")
    expect(page.get_by_text("علی کریمی").first).to_be_visible()

    status_form = page.locator("#form-status")
    status_form.get_by_label("وضعیت جدید").select_option(label="در حال بررسی")
    status_form.get_by_label("توضیح برای شهروند").fill("کارشناس پرونده را بررسی می‌کند.")
    status_form.get_by_label("یادداشت داخلی").fill("یادداشت محرمانه ۹۹")
    status_form.get_by_role("button", name="ثبت تغییر وضعیت").click()
    expect(page.locator("#current-status")).to_have_text("در حال بررسی")

    page.get_by_role("tab", name="پاسخ رسمی").click()
    response_form = page.locator("#form-response")
    response_form.get_by_label("مستندات قانونی و استدلال های منجر به پاسخ ارائه شده").fill("ماده ۵ آیین‌نامه")
    response_form.get_by_label("مفاد اصلی پاسخ").fill("با درخواست شما موافقت شد.")
    response_form.get_by_label("اعلام مرجع و مهلت اعتراض به پاسخ (تصمیم)").fill("دیوان عدالت اداری، ۳۰ روز")
    response_form.get_by_role("button", name="صدور پاسخ رسمی").click()
    expect(page.locator("#current-status")).to_have_text("پاسخ داده شده")
    number = ServiceRequest.objects.get(pk=req.pk).responses.get().number
    expect(page.locator("#response-number")).to_have_text(to_persian_digits(number))
    assert re.fullmatch(r"1[34]\d\d/\d{6}", number)

    # The citizen follows it up.
    page.goto(live_server.url + "/track/")
    page.get_by_label("کد پیگیری خود را وارد نمایید :").fill(code)
    page.get_by_role("main").get_by_role("button", name="جستجو").click()
    expect(page.locator("#current-status")).to_have_text("پاسخ داده شده")
    expect(page.get_by_text("کارشناس پرونده را بررسی می‌کند.")).to_be_visible()
    assert "یادداشت محرمانه ۹۹" not in page.content()
    assert outside_requests == []


DESK1 = ("desk1", "desk1-demo-1405")  # the demo clerk (README «Demo users»)


def sign_in(page, live_server, user=DESK1):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("نام کاربری").fill(user[0])
    page.get_by_label("گذرواژه").fill(user[1])
    page.get_by_role("button", name="ورود").click()
    page.wait_for_load_state("load")


def test_a_clerk_handles_a_new_request_in_five_clicks(page, live_server, demo, outside_requests):
    """Open the next new request, move it to «در حال بررسی» with a note, issue the official
    response, go to the next one: five clicks besides typing (choosing in a list counts
    as typing), with the actions beside the history and «درخواست بعدی» at the top."""
    older, _in_review = demo
    service = older.service
    newer = make_request(service, national_code="0499370899")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/requests/?view=new")
    clicks = []

    def click(locator):
        clicks.append(locator)
        locator.click()
        page.wait_for_load_state("load")

    click(page.get_by_role("link", name=to_persian_digits(newer.tracking_code)))
    expect(page.locator("#tracking-code")).to_have_text(to_persian_digits(newer.tracking_code))
    status_form = page.locator("#form-status")
    status_form.get_by_label("وضعیت جدید").select_option(label="در حال بررسی")
    status_form.get_by_label("توضیح برای شهروند").fill("کارشناس پرونده را بررسی می‌کند.")
    click(status_form.get_by_role("button", name="ثبت تغییر وضعیت"))
    expect(page.locator("#current-status")).to_have_text("در حال بررسی")
    click(page.get_by_role("tab", name="پاسخ رسمی"))
    response_form = page.locator("#form-response")
    response_form.get_by_label("مستندات قانونی و استدلال های منجر به پاسخ ارائه شده").fill("ماده ۵ آیین‌نامه")
    response_form.get_by_label("مفاد اصلی پاسخ").fill("با درخواست شما موافقت شد.")
    response_form.get_by_label("اعلام مرجع و مهلت اعتراض به پاسخ (تصمیم)").fill("دیوان عدالت اداری، ۳۰ روز")
    click(response_form.get_by_role("button", name="صدور پاسخ رسمی"))
    expect(page.locator("#current-status")).to_have_text("پاسخ داده شده")
    click(page.get_by_role("link", name="درخواست بعدی"))
    expect(page.locator("#tracking-code")).to_have_text(to_persian_digits(older.tracking_code))
    expect(page.locator("#current-status")).to_have_text("ثبت شده")
    assert len(clicks) <= 5
    assert ServiceRequest.objects.get(pk=newer.pk).status == "answered"
    assert outside_requests == []


def shortcut_ready(page, key):
    """Wait until Wagtail's Stimulus application has bound the link's shortcut: a key
    pressed before that (a loaded machine) goes nowhere."""
    page.wait_for_function(
        """key => {
            const link = document.querySelector(`[aria-keyshortcuts="${key}"]`);
            return link && window.wagtail.app.getControllerForElementAndIdentifier(link, "w-kbd");
        }""",
        arg=key,
    )


def test_the_keyboard_moves_between_requests(page, live_server, demo):
    """«j» opens the next request of the list and «k» the previous one (Wagtail's
    keyboard shortcuts, listed in its shortcuts dialog)."""
    older, _in_review = demo
    newer = make_request(older.service, national_code="0499370899")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/requests/?view=new")
    page.get_by_role("link", name=to_persian_digits(newer.tracking_code)).click()
    expect(page.locator("#tracking-code")).to_have_text(to_persian_digits(newer.tracking_code))
    shortcut_ready(page, "j")
    page.locator("body").press("j")
    expect(page.locator("#tracking-code")).to_have_text(to_persian_digits(older.tracking_code))
    shortcut_ready(page, "k")
    page.locator("body").press("k")
    expect(page.locator("#tracking-code")).to_have_text(to_persian_digits(newer.tracking_code))
    page.locator("body").press("n")
    expect(page.locator("#id_status-public_note")).to_be_focused()
    page.evaluate("document.activeElement.blur()")
    page.locator("body").press("?")
    dialog = page.locator("#keyboard-shortcuts-dialog")
    expect(dialog.get_by_text("درخواست بعدی")).to_be_visible()


def test_twenty_five_requests_fit_on_one_screen(page, live_server, demo):
    """One line per request: a page of 25 fits a 1280×900 screen without scrolling
    either way, and no tracking code is cut."""
    older, _in_review = demo
    for _ in range(25):
        make_request(older.service)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/requests/?view=all")
    rows = page.locator("tbody tr:has(td.desk-code)")
    expect(rows).to_have_count(25)
    assert rows.nth(24).bounding_box()["y"] + rows.nth(24).bounding_box()["height"] <= 900
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    code = rows.first.locator("td.desk-code")
    assert code.evaluate("el => el.scrollWidth <= el.clientWidth")


def test_bulk_move_to_review_from_the_list(page, live_server, demo):
    """Tick two new requests, «انتقال به «در حال بررسی»», one note, confirm: both move."""
    older, _in_review = demo
    newer = make_request(older.service, national_code="0499370899")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/requests/?view=new")
    for req in (older, newer):
        page.locator(f'input[data-object-id="{req.pk}"]').check()
    page.get_by_role("link", name="انتقال درخواست‌های انتخاب‌شده به وضعیت «در حال بررسی»").click()
    page.get_by_label("توضیح برای شهروندان").fill("کارشناس پرونده را بررسی می‌کند.")
    page.get_by_role("button", name="انتقال به «در حال بررسی»").click()
    expect(page.get_by_text("انتقال به «در حال بررسی»: ۲ درخواست.")).to_be_visible()
    assert set(
        ServiceRequest.objects.filter(pk__in=[older.pk, newer.pk]).values_list("status", flat=True)
    ) == {"in_review"}


def test_the_request_page_fits_a_phone(page, live_server, demo):
    """At 360 px the action forms stay on the screen: the referral unit's long names
    once widened the form past the edge, cutting its help text."""
    older, _in_review = demo
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, live_server)
    page.goto(live_server.url + f"/admin/requests/{older.pk}/")
    for form in page.locator(".desk-action-form").all():
        if form.is_visible():
            box = form.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box


def test_the_list_on_a_phone_keeps_the_code_citizen_and_status(page, live_server, demo):
    """At 360 px the list drops the service, unit, date and assignee columns, so the code,
    the citizen and the status are on the screen without scrolling sideways."""
    older, _in_review = demo
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/requests/?view=all")
    headers = [h.strip() for h in page.locator(".desk-list thead th:visible").all_inner_texts()]
    assert "خدمت" not in headers and "واحد" not in headers and "کارشناس مسئول" not in headers
    row = page.locator(".desk-list tbody tr").filter(has_text=to_persian_digits(older.tracking_code))
    for cell in (row.locator("td.desk-code"), row.get_by_text("ثبت شده")):
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    page.set_viewport_size({"width": 1280, "height": 900})
    headers = [h.strip() for h in page.locator(".desk-list thead th:visible").all_inner_texts()]
    assert "خدمت" in headers and "کارشناس مسئول" in headers
