"""The desk API's docs page in a real browser: Swagger UI from the portal's own
static files (nothing fetched from outside), every operation listed, no Content
Security Policy violation, and a call made from the page with a token works."""

import pytest
from playwright.sync_api import expect
from wagtail.models import APIToken

from tests.desk.conftest import desk_world  # noqa: F401 (the fixture)

LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.mark.django_db(transaction=True)
def test_docs_page_works_offline(page, live_server, outside_requests, desk_world):  # noqa: F811
    token = APIToken.create_token(user=desk_world["staff_a"], name="docs")[1]
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(LISTENER)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/api/desk/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Desk API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert len(paths) == 7
    # Authorize with the token, then run «GET /requests» from the page.
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".modal-ux input").first.fill(token)
    page.locator(".modal-ux .auth-btn-wrapper button.authorize").click()
    page.locator(".modal-ux .auth-btn-wrapper button.btn-done").click()
    page.locator(".opblock-summary-path", has_text="/api/desk/requests").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    assert desk_world["request_a"].tracking_code in page.locator(".live-responses-table").inner_text()
    assert outside_requests == []
    assert page.evaluate("window.__cspViolations") == [] and console == []
