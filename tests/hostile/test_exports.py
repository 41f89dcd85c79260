"""Every spreadsheet and CSV the portal produces, with units, services and names set to
text a spreadsheet program would run as a formula: each such cell goes out as text
(OWASP CSV injection), through portal.spreadsheets.neutralise; numbers stay numbers."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from intake.models import ServiceRequest, SurveyResponse
from portal.spreadsheets import FormulaSafeExportMixin, is_formula_like, neutralise
from tests.hostile.payloads import TEXT
from tests.intake.requests import make_request

pytestmark = pytest.mark.django_db

FORMULAS = {
    "equals": "=1+2",
    "plus": "+1+2",
    "minus": "-1+2",
    "at": "@SUM(A1:A2)",
    "tab": "\t=1+2",
    "carriage_return": "\r=1+2",
    "line_feed": "\n=1+2",
    "fullwidth_equals": "＝1+2",
    "fullwidth_plus": "＋1+2",
    "fullwidth_minus": "－1+2",
    "fullwidth_at": "＠SUM(A1)",
    "hyperlink": TEXT["formula"],
    "dde": "=cmd|' /C calc'!A0",
    "spaces_then_equals": "   =1+2",
    "rlm_then_equals": "\u200f=1+2",
    "persian_then_equals": "=واحد",
}
HARMLESS = ["واحد الف", "", "a=b", "1-2", "'=already quoted", "ـ کشیده"]


# The helper itself ------------------------------------------------------------------


@pytest.mark.parametrize(("case", "value"), sorted(FORMULAS.items()))
def test_formula_like_text_gets_an_apostrophe(case, value):
    assert is_formula_like(value), case
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_harmless_text_is_unchanged(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-1, 0, -2.5, 10**40, None, True])
def test_numbers_stay_numbers(value):
    assert neutralise(value) is value


def test_the_export_mixin_neutralises_after_the_views_own_preprocessing():
    class Base:
        def preprocess_field_value(self, field, value, export_format):
            return f"{value}"

    class View(FormulaSafeExportMixin, Base):
        pass

    assert View().preprocess_field_value("name", "=1", "csv") == "'=1"
    assert View().preprocess_field_value("name", "ok", "xlsx") == "ok"


# The exports ------------------------------------------------------------------------


def _world(service_index):
    """One unit, one service and one request per formula case; all names formula-like."""
    from tests.factories import OrgUnitFactory, ServicePageFactory

    made = {}
    for number, (case, value) in enumerate(sorted(FORMULAS.items())):
        unit = OrgUnitFactory(name=value)
        service = ServicePageFactory(
            parent=service_index, unit=unit, title=value, service_id=f"{10012136000 + number}"
        )
        req = make_request(service)
        ServiceRequest.objects.filter(pk=req.pk).update(first_name=value, last_name=value)
        SurveyResponse.objects.create(
            request=req,
            gender="female",
            age_group="u25",
            education="diploma",
            relation="self",
            answers={},
            axis_scores={},
            overall_score=-1,  # a (nonsensical) negative number must stay a number
        )
        made[case] = req
    return made


@pytest.fixture
def staff_client(client, service_index):
    made = _world(service_index)
    client.force_login(get_user_model().objects.create_superuser("root", password="pass-1234-word"))
    return client, made


def _workbook(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def _text_cells(workbook):
    return {
        (sheet.title, cell.coordinate): cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def _assert_no_live_formula(cells, values, where):
    """Every formula case appears, each as text with the apostrophe, and no cell is a formula."""
    formulas = [coord for coord, cell in cells.items() if cell.data_type == "f"]
    assert not formulas, f"{where}: live formulas at {formulas}"
    texts = {cell.value for cell in cells.values() if cell.data_type in ("s", "inlineStr")}
    # XML keeps no carriage return: a stored "\r" reads back as "\n".
    missing = [case for case, value in values.items() if "'" + value.replace("\r", "\n") not in texts]
    assert not missing, f"{where}: not neutralised: {missing}"
    unsafe = [cell.value for cell in cells.values() if is_formula_like(cell.value)]
    assert not unsafe, f"{where}: formula-like text left: {unsafe!r}"


def test_managers_report_workbook(staff_client):
    client, _made = staff_client
    response = client.get("/admin/desk-reports/export.xlsx")
    assert response.status_code == 200
    workbook = _workbook(response)
    cells = _text_cells(workbook)
    _assert_no_live_formula(cells, FORMULAS, "report workbook")
    for title in ("واحد سازمانی", "خدمت"):
        counts = [row[1] for row in workbook[title].iter_rows(min_row=2, values_only=True)]
        assert counts and all(isinstance(count, int) for count in counts), (title, counts)
    satisfaction = list(workbook["رضایت واحدها"].iter_rows(min_row=2, values_only=True))
    assert satisfaction and all(row[2] == -1 for row in satisfaction), satisfaction  # a number


def test_requests_listing_xlsx(staff_client):
    client, _made = staff_client
    response = client.get("/admin/requests/", {"export": "xlsx"})
    assert response.status_code == 200
    _assert_no_live_formula(_text_cells(_workbook(response)), FORMULAS, "requests xlsx")


def test_requests_listing_csv(staff_client):
    client, _made = staff_client
    response = client.get("/admin/requests/", {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    fields = [field for row in rows[1:] for field in row]
    missing = [case for case, value in FORMULAS.items() if "'" + value not in fields]
    assert not missing, f"requests csv: not neutralised: {missing}"
    unsafe = [field for field in fields if is_formula_like(field)]
    assert not unsafe, f"requests csv: formula-like text left: {unsafe!r}"


# Wagtail's own exports: the catalog's snippet listings and the form pages' submissions
# (services.wagtail_hooks, cms_pages.forms) use portal.spreadsheets too.


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_catalog_snippet_exports(staff_client, fmt):
    client, _made = staff_client
    response = client.get("/admin/snippets/services/orgunit/", {"export": fmt})
    assert response.status_code == 200
    if fmt == "xlsx":
        _assert_no_live_formula(_text_cells(_workbook(response)), FORMULAS, "org units xlsx")
    else:
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        fields = [field for row in csv.reader(io.StringIO(text)) for field in row]
        assert not [field for field in fields if is_formula_like(field)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_form_page_submissions_export(client, home, fmt):
    """What a citizen types into a form page, exported by an editor."""
    from cms_pages.models import FormField, FormPage

    page = home.add_child(instance=FormPage(title="فرم درخواست نقشه", slug="map-request"))
    field = FormField.objects.create(page=page, label="نام", field_type="singleline", required=True)
    field.refresh_from_db()
    for value in FORMULAS.values():
        page.get_submission_class().objects.create(page=page, form_data={field.clean_name: value})
    client.force_login(get_user_model().objects.create_superuser("root", password="pass-1234-word"))
    response = client.get(f"/admin/forms/submissions/{page.pk}/", {"export": fmt})
    assert response.status_code == 200
    if fmt == "xlsx":
        _assert_no_live_formula(_text_cells(_workbook(response)), FORMULAS, "submissions xlsx")
    else:
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        fields = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert len(fields) > len(FORMULAS)
        assert not [cell for cell in fields if is_formula_like(cell)]
