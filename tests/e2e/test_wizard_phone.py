"""The wizard, its review and the confirmation on a 360 px phone, and the stepper on
a wide screen (issue 17): nothing wider than the screen, left-to-right values on
one line, no word broken inside, a Persian file picker, the stepper as a bar on a
phone and one unbroken row of six on a wide screen, an on-brand date picker."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intake.models import ServiceRequest
from portal.persian import to_persian_digits
from tests.e2e.layout_guards import layout_problems
from tests.e2e.test_wizard import SERVICE, UNIT, small_pdf

GUARDS = """() => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) {
    problems.push('page ' + document.documentElement.scrollWidth + ' px wide');
  }
  for (const box of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    const rect = box.getBoundingClientRect();
    if (rect.width > 32) problems.push('a ' + box.type + ' ' + rect.width + ' px wide');
  }
  for (const value of document.querySelectorAll('main .ltr')) {
    const lines = new Set([...value.getClientRects()].map(r => Math.round(r.top)));
    if (lines.size > 1) problems.push('wrapped: ' + value.textContent);
  }
  for (const element of document.querySelectorAll('main *')) {
    const style = getComputedStyle(element);
    if (style.overflowWrap === 'anywhere' || style.wordBreak === 'break-all') {
      problems.push('words may break inside: ' + element.tagName + '.' + element.className);
    }
  }
  return problems;
}"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-index", verbosity=0)


def fits(page):
    page.wait_for_load_state("load")
    assert page.evaluate(GUARDS) == [], page.url
    assert layout_problems(page) == [], page.url


def next_step(page, name="تایید و ادامه"):
    page.get_by_role("main").get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state("load")


def contrast(page, selector):
    """The contrast ratio of an element's text on its background."""
    return page.evaluate(
        """selector => {
            const style = getComputedStyle(document.querySelector(selector));
            const lum = c => {
                const [r, g, b] = c.match(/[0-9.]+/g).slice(0, 3).map(v => {
                    v = v / 255;
                    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
                });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            };
            const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
            return (a + 0.05) / (b + 0.05);
        }""",
        selector,
    )


def test_the_wizard_on_a_360_px_phone(page, live_server, demo, outside_requests, tmp_path):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(live_server.url + "/request/")
    fits(page)
    next_step(page)
    fits(page)  # with errors
    page.get_by_label("واحد سازمانی").select_option(label=UNIT)
    page.get_by_label("نوع خدمت").select_option(label=SERVICE)
    # The long service name, cut by the select on a phone, is spelled out under it.
    expect(page.locator(".select-echo:visible", has_text=SERVICE)).to_have_count(1)
    page.get_by_label("قوانین و آیتم ها را مطالعه نموده ام و موافقم").check()
    next_step(page)

    # The stepper: a bar and one line «مرحله ۱ از ۶: …», the six steps hidden.
    expect(page.get_by_role("heading", name="مرحله ۱ از ۶: پیش مقدمه سامانه")).to_be_visible()
    expect(page.get_by_role("progressbar", name="پیشرفت ثبت درخواست")).to_be_visible()
    expect(page.locator(".stepper__list")).to_be_hidden()
    assert page.locator(".stepper").bounding_box()["height"] < 20
    fits(page)
    next_step(page)

    page.get_by_label("متن درخواست").fill("کوتاه")
    next_step(page)
    fits(page)
    page.get_by_label("متن درخواست").fill("لطفاً عملکرد دهیاری روستای ۱۲ را بررسی کنید.")
    next_step(page)

    # 3. A Persian file picker: «انتخاب فایل», the chosen name, two distinct labels.
    expect(page.get_by_text("Choose File")).to_have_count(0)
    first = page.get_by_label("فایل پیوست ۱")
    expect(page.locator(".file-picker__button").first).to_be_visible()
    expect(page.locator(".file-picker__button").first).to_have_text("انتخاب فایل")
    first.focus()  # still keyboard-operable: the focus shows on the button
    outline = page.locator(".file-picker__button").first.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline != "none"
    first.set_input_files(str(small_pdf(tmp_path)))
    expect(page.locator("#id_file1_name")).to_have_text("فایل انتخاب‌شده: نامه.pdf")
    expect(page.locator("#id_file2_name")).to_have_text("فایلی انتخاب نشده است")
    fits(page)
    next_step(page)

    next_step(page)  # 4, empty: errors
    fits(page)
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="«شماره ملی» را وارد کنید.", exact=True)).to_have_count(1)
    page.get_by_label("شماره ملی").fill("۰۴۹۹۳۷۰۸۹۹")
    page.locator("#id_first_name").fill("علی")
    page.get_by_label("نام خانوادگی").fill("رضایی")
    page.get_by_label("تلفن همراه").fill("۰۹۱۲۱۲۳۴۵۶۷")
    page.get_by_label("تلفن ثابت").fill("۰۲۱۱۲۳۴۵۶۷۸")
    page.get_by_label("ایمیل").fill("ali.rezaei.citizen@example.com")
    next_step(page)
    expect(page.get_by_role("alert")).to_have_count(0)  # fixed: the errors are gone

    # 5. The unit's whole name; an on-brand date picker with readable buttons.
    expect(page.get_by_label("نام واحد سازمانی")).to_have_text(UNIT)
    next_step(page, "تایید نهایی")
    fits(page)
    page.get_by_label("نام و نام خانوادگی متصدی").select_option(index=1)
    page.get_by_label("تاریخ مراجعه").click()
    expect(page.locator("jdp-container .jdp-btn-today")).to_be_visible()
    assert contrast(page, "jdp-container .jdp-btn-today") >= 4.5
    assert contrast(page, "jdp-container .jdp-btn-empty") >= 4.5
    page.get_by_label("تاریخ مراجعه").fill("۱۴۰۵/۰۹/۰۳")
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    next_step(page, "تایید نهایی")

    # 6. The review: label over value, one «تغییر» per section, each named apart.
    fits(page)
    for section in ("مشخصات درخواست", "ضمائم درخواست", "مشخصات ارباب رجوع", "مراجعه به سازمان"):
        expect(page.get_by_role("link", name=f"تغییر {section}", exact=True)).to_have_count(1)
    national = page.locator(".summary-list dd", has_text="۰۴۹۹۳۷۰۸۹۹")
    label = page.locator(".summary-list dt", has_text="شماره ملی")
    assert national.bounding_box()["y"] > label.bounding_box()["y"] + 10  # stacked
    next_step(page, "ثبت نهایی درخواست")

    # The confirmation.
    fits(page)
    request_obj = ServiceRequest.objects.get()
    expect(page.locator("#tracking-code")).to_have_text(to_persian_digits(request_obj.tracking_code))
    expect(page.get_by_role("heading", name="چه اتفاقی می‌افتد؟")).to_be_visible()
    expect(page.get_by_role("link", name="پیگیری درخواست", exact=True)).to_have_attribute("href", "/track/")
    code = page.locator("#tracking-code .code-groups")
    assert (
        len({round(r["top"]) for r in code.evaluate("e => [...e.getClientRects()].map(r => r.toJSON())")})
        == 1
    )
    assert errors == []
    assert outside_requests == []


def test_the_stepper_is_one_unbroken_row_on_a_wide_screen(page, live_server, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/request/?service=10012135000")
    page.get_by_label("قوانین و آیتم ها را مطالعه نموده ام و موافقم").check()
    next_step(page)
    expect(page.locator(".stepper__list")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_be_hidden()
    steps = page.locator(".stepper__step")
    expect(steps).to_have_count(6)
    tops = {round(steps.nth(i).bounding_box()["y"]) for i in range(6)}
    assert len(tops) == 1
    for i in range(6):
        label = steps.nth(i).locator(".stepper__label")
        lines = label.evaluate("e => new Set([...e.getClientRects()].map(r => Math.round(r.top))).size")
        assert lines == 1
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), label.text_content()
    assert page.evaluate(GUARDS) == [] and layout_problems(page) == []
