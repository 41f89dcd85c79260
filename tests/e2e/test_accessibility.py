"""axe-core (from npm) on every citizen page, on a desktop and on a 360 px phone.

The browser walks the whole journey: dashboard, service list, a service page, the
wizard's choice page and its six steps (each once with the errors a citizen can
make, once without), the receipt, then the follow-up under /track/ (lookup with a
wrong and a right code, status, identity with a wrong national code, the SMS code
page with a wrong code, status unlocked, receipt again, official response,
citizen details and the 16-question survey each with and without errors, the
thanks page) and the request history with its SMS code step. Each page is audited
with the WCAG 2.0/2.1/2.2 level A and AA rules and axe's best practices; every violation of every page is
collected and printed readably, so one run shows them all.

axe.min.js is read from node_modules (npm devDependency, `make assets` installs
it) and evaluated in the page by Playwright: it is never served to citizens.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intake import services
from intake.models import ServiceRequest
from intake.sms import outbox
from portal.persian import to_persian_digits

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0/2.1/2.2 level A and AA, plus axe's best practices (heading order, one
# main landmark, a level-one heading...): Lighthouse's accessibility audit uses those too.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
UNIT = "دفتر ارزیابی عملکرد، بازرسی و پاسخگویی به شکایات"
SERVICE = "نظارت و ارزیابی عملکرد شهرداریها و دهیاریهای کشور"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone-360": {"width": 360, "height": 740}}


@pytest.fixture
def demo(transactional_db, settings):
    call_command("load_demo", "--no-index", verbosity=0)
    settings.FOLLOWUP_OTP_REQUIRED = True
    # The one-time code is only ever in what is sent (the SMS table keeps it masked).
    settings.SMS_BACKEND = "intake.sms.MemoryBackend"
    outbox.clear()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("node_modules/axe-core is missing: run `make assets` (npm ci).")
        pytest.skip("node_modules/axe-core is missing: run `make assets` (npm ci)")
    return AXE.read_text(encoding="utf-8")


def format_violations(label, url, violations):
    lines = [f"{label} ({url}):"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:8]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            if summary:
                lines.append(f"         {summary}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


class Audit:
    """Runs axe on the current page and keeps every violation for one final assertion."""

    def __init__(self, page, source):
        self.page = page
        self.source = source
        self.failures = []
        self.audited = []

    def __call__(self, label):
        page = self.page
        page.wait_for_load_state("load")
        # Playwright's evaluate is not subject to the page's Content-Security-Policy.
        if page.evaluate("typeof window.axe") == "undefined":
            page.evaluate(self.source)
        result = page.evaluate(
            """tags => axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            })""",
            AXE_TAGS,
        )
        self.audited.append(label)
        if result["violations"]:
            self.failures.append(format_violations(label, page.url, result["violations"]))

    def assert_clean(self):
        assert not self.failures, "axe-core found violations:\n" + "\n\n".join(self.failures)


def press(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_every_citizen_page_passes_axe(
    page, live_server, demo, outside_requests, axe_source, viewport, tmp_path
):
    page.set_viewport_size(VIEWPORTS[viewport])
    audit = Audit(page, axe_source)
    base = live_server.url

    page.goto(base + "/")
    audit("dashboard")
    if viewport == "phone-360":
        page.get_by_role("navigation", name="داشبورد شهروندان").get_by_text("داشبورد شهروندان").click()
        audit("dashboard, menu open")
    page.goto(base + "/services/")
    audit("service list")
    page.goto(base + "/services/?unit=999999")
    audit("service list, unknown unit")
    page.goto(base + "/services/dehyari-establishment/")
    audit("service page")
    page.get_by_text("پاسخ به سوالات").first.click()
    audit("service page after a facet link")
    for path in ("/info/", "/rules/", "/faq/", "/search/?query=دهیاری", "/no-such-page/"):
        page.goto(base + path)
        audit(path)

    # The wizard: the choice page, first without agreeing to the rules.
    page.goto(base + "/request/")
    audit("wizard: choose service")
    page.get_by_label("واحد سازمانی").select_option(label=UNIT)
    page.get_by_label("نوع خدمت").select_option(label=SERVICE)
    page.get_by_text("گردش کار", exact=True).click()
    audit("wizard: choose service, facet open")
    press(page, "تایید و ادامه")
    expect(page.get_by_role("alert")).to_be_visible()
    audit("wizard: choose service with errors")
    page.get_by_label("قوانین و آیتم ها را مطالعه نموده ام و موافقم").check()
    press(page, "تایید و ادامه")

    audit("wizard step 1: intro")
    press(page, "تایید و ادامه")

    audit("wizard step 2: details")
    page.get_by_label("متن درخواست").fill("")
    press(page, "تایید و ادامه")
    expect(page.get_by_role("alert")).to_be_visible()
    audit("wizard step 2 with errors")
    page.get_by_label("متن درخواست").fill("لطفاً عملکرد دهیاری روستای ۱۲ را بررسی کنید.")
    press(page, "تایید و ادامه")

    audit("wizard step 3: attachments")
    bad = tmp_path / "برنامه.exe"
    bad.write_bytes(b"MZ" + b"\0" * 200)
    page.get_by_label("فایل پیوست ۱").set_input_files(str(bad))
    press(page, "تایید و ادامه")
    expect(page.get_by_role("alert")).to_be_visible()
    audit("wizard step 3 with errors")
    press(page, "تایید و ادامه")

    audit("wizard step 4: citizen")
    page.get_by_label("شماره ملی").fill("۱۱۱۱۱۱۱۱۱۱")
    page.get_by_label("تلفن همراه").fill("۰۱۲")
    press(page, "تایید و ادامه")
    expect(page.get_by_role("alert")).to_be_visible()
    audit("wizard step 4 with errors")
    page.get_by_label("شماره ملی").fill("۰۴۹۹۳۷۰۸۹۹")
    page.get_by_label(re.compile(r"^نام( \*)?$")).fill("علی")
    page.get_by_label("نام خانوادگی").fill("رضایی")
    page.get_by_label("تلفن همراه").fill("۰۹۱۲۱۲۳۴۵۶۷")
    press(page, "تایید و ادامه")

    audit("wizard step 5: visit")
    page.get_by_label("تاریخ مراجعه").fill("۱۴۰۵/۱۳/۴۰")
    page.keyboard.press("Escape")
    press(page, "تایید نهایی")
    expect(page.get_by_role("alert")).to_be_visible()
    audit("wizard step 5 with errors")
    page.get_by_label("نام و نام خانوادگی متصدی").select_option(index=1)
    page.get_by_label("تاریخ مراجعه").fill("۱۴۰۵/۰۹/۰۳")
    page.keyboard.press("Escape")
    page.get_by_label("شرح مراجعه").fill("مراجعه حضوری")
    press(page, "تایید نهایی")

    audit("wizard step 6: review")
    press(page, "ثبت نهایی درخواست")
    expect(page.get_by_text("کد پیگیری شما")).to_be_visible()
    audit("receipt")

    # Staff answer the request (through intake.services, as the back office does).
    request_obj = ServiceRequest.objects.get()
    services.transition(request_obj, "in_review", None, public_note="کارشناس بررسی می‌کند")
    services.issue_response(
        request_obj,
        None,
        legal_grounds="ماده ۵ آیین‌نامه",
        content="با درخواست شما موافقت شد.",
        appeal="دیوان عدالت اداری، ظرف ۳۰ روز",
        notes="—",
    )
    code = request_obj.tracking_code
    lookup_label = "کد پیگیری خود را وارد نمایید :"

    page.goto(base + "/track/")
    audit("tracking lookup")
    page.get_by_label(lookup_label).fill("۱۲۳")
    page.get_by_role("main").get_by_role("button", name="جستجو").click()
    audit("tracking lookup with errors")
    page.get_by_label(lookup_label).fill(to_persian_digits(code))
    page.get_by_role("main").get_by_role("button", name="جستجو").click()
    expect(page.locator("#current-status")).to_be_visible()
    audit("tracking status")

    page.goto(base + "/track/workflow/")
    audit("workflow lookup")

    page.goto(base + "/track/status/")
    page.get_by_role("link", name="تایید هویت").click()
    audit("identity")
    page.get_by_label("کد ملی").fill("۱۲۳")
    page.get_by_role("button", name="تایید", exact=True).click()
    audit("identity with errors")
    page.get_by_label("کد ملی").fill("۰۴۹۹۳۷۰۸۹۹")
    page.get_by_role("button", name="تایید", exact=True).click()
    audit("SMS code")
    page.get_by_label("کد تایید پیامک‌شده").fill("۰۰۰۰۰۰")
    page.get_by_role("button", name="تایید کد").click()
    audit("SMS code with errors")
    otp = re.search(r"\d{6}", [text for _, text in outbox if "کد تایید" in text][-1]).group(0)
    page.get_by_label("کد تایید پیامک‌شده").fill(otp)
    page.get_by_role("button", name="تایید کد").click()
    expect(page.get_by_role("link", name="مشاهده پاسخ رسمی")).to_be_visible()
    audit("tracking status, identity confirmed")

    page.goto(base + "/track/receipt/")
    audit("receipt from the follow-up")
    page.goto(base + "/track/response/")
    audit("official response")

    page.goto(base + "/track/survey/")
    audit("citizen details")
    page.get_by_role("button", name="ثبت مشخصات شهروند").click()
    audit("citizen details with errors")
    for group, answer in (
        ("جنسیت", "زن"),
        ("گروه سنی", "۲۵ تا ۴۰ سال"),
        ("تحصیلات", "دیپلم"),
        ("نسبت شما با متقاضی", "خود متقاضی هستم"),
    ):
        page.get_by_role("group", name=group).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="ثبت مشخصات شهروند").click()
    audit("survey")
    page.get_by_role("button", name="ثبت فرم پرسش نامه").click()
    audit("survey with errors")
    groups = page.get_by_role("main").locator("fieldset")
    for index in range(groups.count()):
        groups.nth(index).get_by_label("زیاد", exact=True).check()
    page.get_by_role("button", name="ثبت فرم پرسش نامه").click()
    expect(page.get_by_text("پاسخ‌های شما ثبت شد.")).to_be_visible()
    audit("survey thanks")

    page.goto(base + "/track/history/")
    audit("request history")
    page.get_by_role("main").get_by_role("button").first.click()
    audit("request history with errors")

    print(json.dumps(audit.audited, ensure_ascii=False))
    assert len(audit.audited) >= 40
    assert outside_requests == []
    audit.assert_clean()


def test_the_audit_reports_a_planted_violation(page, live_server, demo, axe_source):
    """The audit is not vacuous: a field without a label and grey-on-white text fail it."""
    page.goto(live_server.url + "/")
    audit = Audit(page, axe_source)
    audit("dashboard")
    assert audit.failures == []
    page.evaluate(
        """() => {
            // Through the CSSOM: the CSP (style-src 'self') would drop a style attribute.
            const main = document.querySelector('main');
            main.insertAdjacentHTML('afterbegin', '<input type="text" name="x"><p id="faint">کم‌رنگ</p>');
            const faint = document.getElementById('faint');
            faint.style.color = '#bbb';
            faint.style.background = '#fff';
        }"""
    )
    audit("dashboard with a planted violation")
    assert len(audit.failures) == 1
    report = audit.failures[0]
    assert "color-contrast" in report and "label" in report and 'name="x"' in report
    with pytest.raises(AssertionError, match="color-contrast"):
        audit.assert_clean()


@pytest.mark.parametrize(("width", "menu_visible"), [(360, False), (1280, True)])
def test_the_menu_is_painted_in_its_final_state_before_any_script(
    browser, live_server, demo, width, menu_visible
):
    """No layout shift when portal.js syncs the dashboard menu: without JavaScript a phone
    already shows it folded and a desktop shows the list (Lighthouse counted a shift of
    0.45 on a slow phone when the menu was served open and folded by the script)."""
    context = browser.new_context(
        locale="fa-IR", viewport={"width": width, "height": 800}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        link = page.get_by_role("navigation", name="داشبورد شهروندان").get_by_role("link", name="لیست خدمات")
        if menu_visible:
            expect(link).to_be_visible()
        else:
            expect(link).to_be_hidden()
            page.locator("#dashboard-title").click()  # still opens without a script
            expect(link).to_be_visible()
    finally:
        context.close()


def test_no_console_errors_favicon_and_description(page, live_server, demo):
    """Lighthouse's best-practice and SEO audits: nothing logged to the console (a missing
    /favicon.ico was), and every page has a description."""
    messages = []
    page.on("console", lambda message: message.type == "error" and messages.append(message.text))
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    for path in ("/", "/services/", "/request/", "/track/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        icon = page.locator('link[rel="icon"]').get_attribute("href")
        assert page.request.get(live_server.url + icon).status == 200
        assert page.locator('meta[name="description"]').get_attribute("content").strip()
    assert messages == [] and failed == []
