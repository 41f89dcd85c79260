"""Front-end budgets (issue 7): at most 30 KB of JavaScript, compressed, on every
citizen page; the date picker only on the wizard's visit step (step 5); fonts only
in the weights the stylesheets use."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.factories import OrgUnitFactory, ServicePageFactory

JS_BUDGET = 30 * 1024
SCRIPT_RE = re.compile(r'<script[^>]+src="/static/([^"]+)"')
TEMPLATE_SCRIPT_RE = re.compile(r"<script[^>]+src=\"{% static '([^']+)' %}\"")
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def gzipped_size(static_name):
    path = finders.find(static_name)
    assert path, static_name
    return len(gzip.compress(Path(path).read_bytes(), compresslevel=9))


def scripts(html):
    return SCRIPT_RE.findall(html)


@pytest.fixture
def pages(client, service_index, home):
    unit = OrgUnitFactory(name="دفتر ارزیابی عملکرد")
    service = ServicePageFactory(parent=service_index, unit=unit, title="صدور مجوز دهیاری")
    return {
        "dashboard": home.url,
        "service list": service_index.url,
        "service page": service.url,
        "search": "/search/?query=دهیاری",
        "track": "/track/",
    }


def test_citizen_pages_load_at_most_30_kb_of_compressed_javascript(client, pages):
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        total = sum(gzipped_size(script) for script in scripts(response.content.decode()))
        assert 0 < total <= JS_BUDGET, (name, total)


def test_the_heaviest_wizard_step_stays_within_the_javascript_budget():
    """Step 5 (the visit date) adds the date picker to the base and wizard scripts."""
    base, wizard, visit = (
        TEMPLATE_SCRIPT_RE.findall((TEMPLATES / name).read_text())
        for name in ("base.html", "intake/_wizard_base.html", "intake/step_visit.html")
    )
    assert any("jalalidatepicker" in name for name in visit)
    total = sum(gzipped_size(name) for name in {*base, *wizard, *visit})
    assert total <= JS_BUDGET, total


def test_the_date_picker_is_loaded_by_the_visit_step_only():
    users = [
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if "jalalidatepicker" in path.read_text()
    ]
    assert users == ["intake/step_visit.html"]


def test_fonts_only_in_the_weights_the_stylesheets_use():
    css = "\n".join(
        Path(finders.find(name)).read_text() for name in ("css/portal.css", "css/wizard.css", "css/print.css")
    )
    faces = re.findall(r"@font-face\s*{[^}]*}", css)
    declared = {re.search(r"font-weight:\s*(\d+)", face).group(1) for face in faces}
    rules = re.sub(r"@font-face\s*{[^}]*}", "", css)
    used = set(re.findall(r"font-weight:\s*(\d+)", rules)) | {"400"}  # 400: body text
    assert declared == used, (declared, used)
    woff2 = set(re.findall(r'url\("[^"]*?([\w-]+\.woff2)"\)', css))
    # Vazirmatn with Farsi digits for the text; the plain one for Latin digits (emails, URLs).
    assert woff2 == {
        "Vazirmatn-FD-Regular.woff2",
        "Vazirmatn-FD-Bold.woff2",
        "Vazirmatn-Regular.woff2",
        "Vazirmatn-Bold.woff2",
    }
