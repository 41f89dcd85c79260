"""Security headers, the Content Security Policy and `check --deploy`."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def directives(header):
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def test_citizen_pages_carry_a_strict_policy_and_the_security_headers(client, home):
    response = client.get("/")
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]  # no nonce used, nothing inline
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_follow_up_and_search_pages_carry_the_citizen_policy(client, home):
    for url in ("/track/", "/search/?query=x"):
        header = client.get(url)["Content-Security-Policy"]
        assert "'unsafe-inline'" not in header, url
        assert "frame-ancestors 'none'" in header, url


def test_the_admin_gets_its_own_policy_and_its_login_the_strict_one(client, home, django_user_model):
    login = client.get("/admin/login/")
    assert "'unsafe-inline'" not in login["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in login["Content-Security-Policy"]
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-123456-long")
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    # Wagtail 8 still writes inline scripts (inline panels, date widgets).
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]  # the page preview frames the admin itself
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_a_nonce_appears_in_the_header_only_when_a_template_uses_it(rf):
    from django.http import HttpResponse

    from portal.security import PortalCSPMiddleware

    request = rf.get("/some-page/")

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    response = PortalCSPMiddleware(view)(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


INLINE_CODE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I),
        "inline <script>",
    ),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_project_template_has_inline_script_or_style():
    """The citizen policy allows neither: everything lives in static/."""
    problems = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        if "pdf" in template.name:  # rendered to PDF by WeasyPrint, never sent to a browser
            continue
        if template.parent.name == "email":  # mail clients drop <style> and static CSS
            continue
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE_CODE:
            for match in pattern.finditer(text):
                problems.append(f"{template.relative_to(ROOT)}: {what}: {match.group(0)!r}")
    assert problems == []


def check_deploy(**extra):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "LETTER_SIGNING_DEMO")
        },  # set by the browser tests
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "x" * 20 + "-a-long-random-looking-production-key-for-the-check-9f8e7d6c",
        **extra,
    }
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def organisation_p12(tmp_path_factory):
    """A PKCS#12 standing in for the organisation's certificate (docs/letters.md)."""
    from intake.letters import write_self_signed_p12

    return write_self_signed_p12(
        tmp_path_factory.mktemp("cert") / "org.p12", "pass-1405", "Test organisation"
    )


def test_production_settings_pass_check_deploy(organisation_p12):
    result = check_deploy(LETTER_SIGNING_P12=str(organisation_p12), LETTER_SIGNING_PASSWORD="pass-1405")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_production_without_the_signing_certificate(organisation_p12):
    missing = check_deploy(LETTER_SIGNING_P12="", LETTER_SIGNING_PASSWORD="")
    assert missing.returncode != 0 and "intake.E102" in missing.stderr + missing.stdout
    wrong = check_deploy(LETTER_SIGNING_P12=str(organisation_p12), LETTER_SIGNING_PASSWORD="wrong")
    assert wrong.returncode != 0 and "do not open" in wrong.stderr + wrong.stdout


def test_production_settings_keep_cookies_and_transport_secure():
    env = {
        **{
            k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        },  # set by the browser tests
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "y" * 60,
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS, s.AXES_ENABLED)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "DENY", "True"], result.stderr


def test_test_settings_still_have_the_policy():
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-ancestors"] == ["'none'"]


def test_uploaded_documents_are_downloads_never_shown_inline(client, home):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document(title="فرم")
    document.file.save("form.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    document.file.delete(save=False)
