"""The Content Security Policy in a real browser: citizen pages and the Wagtail
admin (sign-in, two-factor setup with its QR code, page editing) load and work
with no violation reported, and an injected inline script really is blocked."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from services.models import ServicePage
from staffauth.models import StaffSecuritySettings

PASSWORD = "a-long-staff-password-1404"
LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || ""));
});
"""


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", "--no-index", verbosity=0)


@pytest.fixture
def violations(page):
    """CSP violations: Chromium's console reports and securitypolicyviolation events."""
    found = []
    page.on(
        "console",
        lambda message: found.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(LISTENER)

    def collect():
        try:
            found.extend(page.evaluate("window.__cspViolations || []"))
        except Exception:  # noqa: S110 (a page in the middle of navigating)
            pass
        return found

    return collect


def totp(secret_b32):
    secret = secret_b32.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def visit(page, url, violations):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    assert violations() == [], url
    return response


def test_citizen_pages_run_under_the_strict_policy(page, live_server, demo, violations, outside_requests):
    service = ServicePage.objects.live().first()
    for url in ("/", service.url, "/track/", "/search/?query=" + "دهیاری"):
        response = visit(page, live_server.url + url, violations)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    # The wizard's first step (its script fills the unit's services) works.
    visit(page, live_server.url + f"/request/?service={service.service_id}", violations)
    page.get_by_label("واحد سازمانی").select_option(label="دفتر برنامه ریزی و مدیریت توسعه روستایی")
    expect(
        page.get_by_label("نوع خدمت").locator("option", has_text="درجه بندی دهیاری های کشور")
    ).to_have_count(1)
    assert violations() == []
    # Autocomplete (fetch to this site) works under connect-src 'self'.
    visit(page, live_server.url + "/", violations)
    page.get_by_label("جستجو در خدمات و صفحه‌ها").fill("دهیار")
    page.wait_for_timeout(800)
    assert violations() == []
    # And the policy does bite: an inline script added to the page never runs.
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';
                 document.body.appendChild(s); }"""
    )
    assert page.evaluate("window.__ran === true") is False
    assert any("script-src" in v for v in violations())
    assert outside_requests == []


def test_admin_sign_in_two_factor_setup_and_page_editing_without_violations(
    page, live_server, demo, violations, django_user_model, outside_requests
):
    django_user_model.objects.create_superuser("csp-admin", "csp-admin@example.com", PASSWORD)
    row = StaffSecuritySettings.load()
    row.require_two_factor = True
    row.save()
    page.set_viewport_size({"width": 1280, "height": 900})

    visit(page, live_server.url + "/admin/login/", violations)
    page.locator("input[name=username]").fill("csp-admin")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    # Sent to the Persian two-factor setup page; its QR code loads as a same-origin image.
    expect(page.get_by_role("heading", name="راه‌اندازی ورود دومرحله‌ای")).to_be_visible()
    qr = page.get_by_role("img", name="کد QR برای افزودن حساب به برنامه احراز هویت")
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", qr.element_handle()) > 0
    secret = page.locator("code").inner_text()
    page.get_by_label("کد شش‌رقمی").fill(totp(secret))
    page.get_by_role("button", name="تأیید و ادامه").click()
    page.wait_for_load_state("load")
    assert page.url.rstrip("/").endswith("/admin")
    assert violations() == []

    service = ServicePage.objects.live().first()
    visit(page, live_server.url + f"/admin/pages/{service.pk}/edit/", violations)
    title = page.locator("#id_title")
    expect(title).to_have_value(service.title)
    # The editor's scripts ran: the page's tabs and the publishing menu are live.
    page.wait_for_timeout(1500)
    assert page.evaluate("typeof window.wagtail === 'object'")
    title.fill(service.title + " (ویرایش)")
    page.locator("form#page-edit-form button[type=submit]:not([name])").first.click()  # save draft
    page.wait_for_load_state("load")
    expect(page.locator(".messages")).to_be_visible()
    service.refresh_from_db()
    assert service.get_latest_revision().content["title"].endswith("(ویرایش)")
    assert violations() == []
    visit(page, live_server.url + "/admin/pages/", violations)
    visit(page, live_server.url + f"/admin/settings/staffauth/staffsecuritysettings/{row.pk}/", violations)
    assert outside_requests == []
