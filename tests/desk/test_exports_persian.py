"""The request list's exports, as staff open them: the workbook reads right to left
with a Persian sheet name, and codes, national codes and mobiles stay text in both
the workbook and the CSV (no lost leading zero, no 1.2E+15)."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from intake.models import ServiceRequest
from tests.factories import ServicePageFactory
from tests.intake.requests import make_request

pytestmark = pytest.mark.django_db

CODE = "0000123400005678"  # a valid-looking code with leading zeros, stored as given


@pytest.fixture
def exported(client, service_index):
    service = ServicePageFactory(parent=service_index, service_id="10012136999")
    request_obj = make_request(service, national_code="0499370899", mobile="09121234567")
    ServiceRequest.objects.filter(pk=request_obj.pk).update(tracking_code=CODE)
    client.force_login(get_user_model().objects.create_superuser("root", password="pass-1234-word"))

    def fetch(fmt):
        response = client.get("/admin/requests/", {"export": fmt})
        assert response.status_code == 200
        return b"".join(response.streaming_content) if response.streaming else response.content

    return fetch


def test_the_workbook_is_right_to_left_and_keeps_codes_as_text(exported):
    workbook = load_workbook(io.BytesIO(exported("xlsx")))
    assert workbook.sheetnames == ["درخواست‌ها"]
    sheet = workbook.active
    assert sheet.sheet_view.rightToLeft
    headings = [cell.value for cell in sheet[1]]
    row = dict(zip(headings, sheet[2], strict=True))
    for heading, value in (("کد پیگیری", CODE), ("کد ملی", "0499370899"), ("تلفن همراه", "09121234567")):
        cell = row[heading]
        assert (cell.value, cell.data_type, cell.number_format) == (value, "s", "@"), heading


def test_the_csv_writes_codes_in_persian_digits_that_no_spreadsheet_reads_as_numbers(exported):
    rows = list(csv.DictReader(io.StringIO(exported("csv").decode("utf-8-sig"))))
    assert rows[0]["کد پیگیری"] == "۰۰۰۰۱۲۳۴۰۰۰۰۵۶۷۸"
    assert rows[0]["کد ملی"] == "۰۴۹۹۳۷۰۸۹۹"
    assert rows[0]["تلفن همراه"] == "۰۹۱۲۱۲۳۴۵۶۷"
