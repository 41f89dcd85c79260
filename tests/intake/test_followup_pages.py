"""What a citizen reads on the follow-up pages (issue 17): workflow steps marked only
from the request's events, the tracking code in groups, errors that say how to fix
(said once, linking to the field, a wrong SMS code a field error), Persian digits and
isolated left-to-right values on the response and its PDF."""

import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from intake import services, sms
from intake.followup.forms import CODE_LENGTH_WRONG, CODE_MISTYPED, OTP_FORMAT, OTP_WRONG
from portal.persian import to_persian_digits
from services.models import ServiceWorkflowStep
from tests.intake.requests import NATIONAL_CODE, answer, make_request

STEPS = ["ثبت درخواست", "بررسی اولیه مدارک", "بررسی کارشناسی", "تأیید مدیر واحد", "صدور پاسخ"]
DETAILS = {"gender": "female", "age_group": "25_40", "education": "bachelor", "relation": "self"}


@pytest.fixture(autouse=True)
def _memory_sms(sms_outbox):
    """The one-time codes are read from the gateway's outbox (tests/conftest.py)."""


@pytest.fixture
def req(service):
    for order, title in enumerate(STEPS):
        ServiceWorkflowStep.objects.create(page=service, title=title, sort_order=order, locale=service.locale)
    return make_request(service)


@pytest.fixture
def citizen(db):
    return Client()


def look_up(client, req_obj):
    assert client.post("/track/", {"code": req_obj.tracking_code}).status_code == 302


def unlocked(client, req_obj):
    look_up(client, req_obj)
    assert client.post("/track/identity/", {"national_code": NATIONAL_CODE}).status_code == 302


def step_marks(body):
    """{step title: "done" | "current" | ""} as the status page shows them."""
    steps = body.split('<ol class="workflow-steps">')[1].split("</ol>")[0]
    marks = {}
    for item in steps.split("<li")[1:]:
        title = re.search(r"<strong>(.*?)</strong>", item).group(1)
        current = 'aria-current="step"' in item and "(مرحله فعلی)" in item
        done = "(انجام شده)" in item
        assert not (current and done), item
        marks[title] = "current" if current else "done" if done else ""
    return marks


def grouped(code):
    """The tracking code as |code_groups writes it: Persian digits, four to a group."""
    return "</span><span>".join(re.findall("....", to_persian_digits(code)))


# Workflow steps ---------------------------------------------------------------------


def test_a_received_request_has_only_its_submission_done(citizen, req):
    look_up(citizen, req)
    marks = step_marks(citizen.get("/track/status/").content.decode())
    assert marks == dict.fromkeys(STEPS, "") | {"ثبت درخواست": "done"}


def test_in_review_marks_the_second_step_current_and_nothing_after_it_done(citizen, req):
    services.transition(req, "in_review", None)
    look_up(citizen, req)
    marks = step_marks(citizen.get("/track/status/").content.decode())
    assert marks == {
        "ثبت درخواست": "done",
        "بررسی اولیه مدارک": "current",
        "بررسی کارشناسی": "",
        "تأیید مدیر واحد": "",
        "صدور پاسخ": "",
    }


def test_after_the_response_the_last_step_is_done_and_none_is_current(citizen, req):
    """No event says the unit's head approved: that step is not «انجام شده»; the
    response is issued: «صدور پاسخ» is done, not «مرحله فعلی»."""
    answer(req)
    look_up(citizen, req)
    body = citizen.get("/track/status/").content.decode()
    assert 'aria-current="step"' not in body
    assert step_marks(body) == {
        "ثبت درخواست": "done",
        "بررسی اولیه مدارک": "",
        "بررسی کارشناسی": "",
        "تأیید مدیر واحد": "",
        "صدور پاسخ": "done",
    }
    services.transition(req, "closed", None)
    marks = step_marks(citizen.get("/track/status/").content.decode())
    assert marks["صدور پاسخ"] == "done" and "current" not in marks.values()


def test_closed_without_a_response_marks_no_response_step(citizen, req):
    services.transition(req, "closed", None)
    look_up(citizen, req)
    marks = step_marks(citizen.get("/track/status/").content.decode())
    assert marks == dict.fromkeys(STEPS, "") | {"ثبت درخواست": "done"}


def test_a_reopened_request_is_back_in_review(citizen, req):
    answer(req)
    services.transition(req, "in_review", None)
    look_up(citizen, req)
    marks = step_marks(citizen.get("/track/status/").content.decode())
    assert marks["صدور پاسخ"] == "" and marks["بررسی اولیه مدارک"] == "current"


def test_the_status_page_shows_the_tracking_code_in_groups(citizen, req):
    look_up(citizen, req)
    body = citizen.get("/track/status/").content.decode()
    code = body.split('id="tracking-code"')[1].split("</dd>")[0]
    assert 'class="ltr code-groups"' in code and grouped(req.tracking_code) in code


# Errors -----------------------------------------------------------------------------


def summary_links(body):
    summary = body.split('class="error-summary"')[1].split("</div>")[0]
    return re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("۱۲۳۴ ۵۶۷۸", CODE_LENGTH_WRONG), ("", "کد پیگیری را وارد کنید"), ("abc", "فقط رقم")],
)
def test_a_lookup_error_says_how_to_fix_once_and_links_to_the_field(citizen, typed, message):
    body = citizen.post("/track/", {"code": typed}).content.decode()
    [(target, text)] = summary_links(body)
    assert target == "id_code" and message in text
    assert not re.search(r"[0-9]", text)  # Persian digits
    # The summary says the message itself, not the label and the message.
    assert "وارد نمایید" not in text
    assert body.count(text) == 2  # the summary and the field


def test_a_mistyped_digit_is_named_as_such(citizen, req):
    code = req.tracking_code
    wrong = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    assert CODE_MISTYPED in citizen.post("/track/", {"code": wrong}).content.decode()
    assert CODE_LENGTH_WRONG == "کد پیگیری ۱۶ رقم است؛ رقم‌ها را دوباره بررسی کنید."


@pytest.fixture
def otp_on(settings):
    settings.FOLLOWUP_OTP_REQUIRED = True


def sent_code():
    return re.search(r"\d{6}", [text for _, text in sms.outbox if "کد تایید" in text][-1]).group(0)


def test_a_wrong_sms_code_is_an_error_on_the_field_and_clears_when_fixed(citizen, req, otp_on):
    answer(req)
    look_up(citizen, req)
    citizen.post("/track/identity/", {"national_code": NATIONAL_CODE})
    wrong = f"{(int(sent_code()) + 1) % 10**6:06d}"
    response = citizen.post("/track/identity/", {"otp": to_persian_digits(wrong)})
    body = response.content.decode()
    assert response.status_code == 200 and response.context["form"].errors["otp"] == [OTP_WRONG]
    assert 'class="notice"' not in body
    assert 'class="error-summary" role="alert"' in body
    assert summary_links(body) == [("id_otp", OTP_WRONG)]
    field_error = body.split('<div class="error" id="id_otp_error">')[1].split("</div>")[0]
    assert OTP_WRONG in field_error
    assert 'aria-invalid="true"' in body
    assert '<a href="/track/identity/">کد تازه بگیرید</a>' in body
    # Fixed and sent again: no error, unlocked.
    assert citizen.post("/track/identity/", {"otp": sent_code()}).status_code == 302
    assert "error-summary" not in citizen.get("/track/status/").content.decode()


def test_a_malformed_sms_code_is_refused_without_counting_a_guess(citizen, req, otp_on):
    look_up(citizen, req)
    citizen.post("/track/identity/", {"national_code": NATIONAL_CODE})
    response = citizen.post("/track/identity/", {"otp": "۱۲۳"})
    assert response.context["form"].errors["otp"] == [OTP_FORMAT]
    assert "کد تایید ۶ رقم است" in OTP_FORMAT
    from intake.models import OneTimeCode

    assert OneTimeCode.objects.get(used_at__isnull=True).attempts == 0


def test_a_wrong_history_code_is_a_field_error(citizen, req):
    citizen.post("/track/history/", {"national_code": NATIONAL_CODE, "mobile": req.mobile})
    body = citizen.post("/track/history/", {"otp": "000000"}).content.decode()
    assert summary_links(body) == [("id_otp", OTP_WRONG)] and 'class="notice"' not in body


# Survey and citizen details ----------------------------------------------------------


def test_survey_errors_only_for_missing_questions_in_persian_linking_to_the_first_radio(citizen, req):
    answer(req)
    unlocked(citizen, req)
    assert citizen.post("/track/survey/", DETAILS).status_code == 302
    partial = {f"q{n}": "3" for n in range(1, 17) if n not in (7, 12)}
    response = citizen.post("/track/survey/", partial)
    body = response.content.decode()
    assert set(response.context["form"].errors) == {"q7", "q12"}
    assert summary_links(body) == [
        ("id_q7_0", "برای پرسش ۷ یک گزینه انتخاب کنید."),
        ("id_q12_0", "برای پرسش ۱۲ یک گزینه انتخاب کنید."),
    ]
    assert 'id="id_q7_0"' in body and body.count('class="error" id=') == 2
    # What was answered stays checked.
    assert re.search(r'name="q1" value="3"[^>]*checked', body)


def test_citizen_details_summary_links_to_the_first_radio(citizen, req):
    answer(req)
    unlocked(citizen, req)
    body = citizen.post("/track/survey/", {"gender": "female"}).content.decode()
    targets = [target for target, _ in summary_links(body)]
    assert targets == ["id_age_group_0", "id_education_0", "id_relation_0"]
    assert "followup.css" in body


# Response and its PDF ------------------------------------------------------------------


def test_response_page_isolates_left_to_right_values(citizen, req):
    official = answer(req)
    unlocked(citizen, req)
    body = citizen.get("/track/response/").content.decode()
    assert f'<bdi dir="ltr" class="ltr">{to_persian_digits(NATIONAL_CODE)}</bdi>' in body
    assert f'<bdi dir="ltr" class="ltr">{to_persian_digits(official.number)}</bdi>' in body
    assert f"<bdi>{official.citizen_name}</bdi>" in body
    assert grouped(req.tracking_code) in body
    assert 'dir="ltr">' not in body.replace('<bdi dir="ltr"', "").replace('dir="ltr" class', "")


def test_response_pdf_is_in_persian_digits_with_the_organisation(citizen, req):
    official = answer(req)
    unlocked(citizen, req)
    pdf = citizen.get("/track/response/pdf/")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    # Persian digits everywhere but the verification page's address (a URL, left to right).
    address = f"http://testserver/verify/{official.guid}/"
    assert address in text.replace("\n", "")
    assert not re.search(r"[0-9]", text.replace("\n", "").replace(address, "")), text
    number = to_persian_digits(official.number)
    assert number in text or number[::-1] in text
    assert "سازمان" in text and "پاسخ" in text  # the organisation heads it
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1  # one A4 page
