"""axe-core (from npm) and the layout guards on every citizen page, on a desktop and
on a 360 px phone.

The browser walks the tour of every citizen page and state (tools/tour.py, the one
`make screenshots` pictures): the dashboard and its menu, the catalog, every
content page, each form page (empty, with errors, sent), the wizard's choice page
and its six steps (each once with the errors a citizen can make, once without), the
receipt, then the follow-up under /track/ (lookup with a wrong and a right code,
status, workflow, identity with a wrong national code, the SMS code page with a
wrong code, status unlocked, receipt again, official response, citizen details and
the 16-question survey each with and without errors, the thanks page) and the
request history with its errors and list. Each stop is audited with the WCAG
2.0/2.1/2.2 level A and AA rules and axe's best practices, and checked by the
layout guards (tests/e2e/layout_guards.py: no overflow, no stretched radio, no
split code, no broken word); every finding of every page is collected and printed
readably, so one run shows them all.

axe.min.js is read from node_modules (npm devDependency, `make assets` installs
it) and evaluated in the page by Playwright: it is never served to citizens.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intake.sms import outbox
from tests.e2e.layout_guards import layout_problems
from tools.tour import walk

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
    call_command("load_demo", verbosity=0)
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


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_every_citizen_page_passes_axe_and_the_layout_guards(
    page, live_server, demo, axe_source, outside_requests, viewport, tmp_path
):
    page.set_viewport_size(VIEWPORTS[viewport])
    audit = Audit(page, axe_source)
    layout = []
    for stop in walk(page, live_server.url, tmp_path):
        audit(stop)
        layout.extend(f"{stop}: {problem}" for problem in layout_problems(page))
    assert len(audit.audited) > 50, audit.audited
    assert outside_requests == []
    assert not layout, "layout guards:\n" + "\n".join(layout)
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
