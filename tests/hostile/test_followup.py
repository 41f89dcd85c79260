"""Hostile values in every field of every follow-up form under /track/ (tracking
lookup and workflow lookup, identity, its SMS code, history, its SMS code, the
citizen's details, the survey): never a 5xx, nothing written on refused input
(no session key, no session row, no SMS, no one-time code, no survey row), only
cleaned values on accepted input, and Persian error messages only.

One test per (form, field) sends every case of the corpus in turn and collects
what went wrong, so a failure lists every bad case at once."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake import sms
from intake.followup.forms import OTP_FORMAT, OTP_WRONG
from intake.models import OneTimeCode, SmsMessage, SurveyQuestion, SurveyResponse
from tests.hostile.conftest import assert_not_server_error
from tests.hostile.payloads import RAW_FORM_VALUES, TEXT, raw_form_body
from tests.intake.requests import MOBILE, NATIONAL_CODE, answer, make_request

URLENCODED = "application/x-www-form-urlencoded"
CASES = [("text", name, value) for name, value in sorted(TEXT.items())] + [
    ("raw", name, value) for name, value in sorted(RAW_FORM_VALUES.items())
]
# Django's own English messages (and any other Latin word or digit) in an error.
LATIN = re.compile(r"[A-Za-z0-9]")
PERSIAN = re.compile(r"[\u0600-\u06FF]")
DJANGO_ENGLISH = (
    "This field is required",
    "Null characters",
    "Ensure this value",
    "Select a valid choice",
    "available choices",
    "Enter a ",
)
# A refused SMS code: malformed, or wrong (or expired).
OTP_REFUSALS = {OTP_FORMAT, OTP_WRONG, "کد تایید ۶ رقمی پیامک‌شده را وارد کنید."}
DETAILS = {"gender": "female", "age_group": "25_40", "education": "bachelor", "relation": "self"}


@pytest.fixture(autouse=True)
def _unlimited(settings):
    settings.FOLLOWUP_LOOKUP_RATE = "0/1"  # the corpus is hundreds of posts from one address
    settings.SMS_BACKEND = "intake.sms.MemoryBackend"


@pytest.fixture
def req(service):
    return make_request(service)


def send(client, url, fields, name, kind, value):
    if kind == "text":
        return client.post(url, {**fields, name: value})
    return client.post(url, raw_form_body(fields, name, value), content_type=URLENCODED)


def form_errors(response):
    """The bound form's messages, or None (no form, or a fresh one)."""
    try:
        form = response.context["form"]
    except (KeyError, TypeError):
        return None
    if not form.is_bound:
        return None
    return [message for messages in form.errors.values() for message in messages]


def message_problems(response):
    """What is wrong with a refusal's messages: English, Latin digits, an echo."""
    problems = []
    body = response.content.decode(errors="replace")
    problems += [f"English default {text!r}" for text in DJANGO_ENGLISH if text in body]
    errors = form_errors(response)
    if errors is not None:
        if not errors:
            problems.append("refused without a message")
        for error in errors:
            if LATIN.search(error) or not PERSIAN.search(error):
                problems.append(f"message not Persian (Persian digits): {error!r}")
    return problems


def session_keys(client):
    cookie = client.cookies.get("sessionid")
    if not cookie or not cookie.value:
        return []
    return sorted(client.session.keys())


def run_corpus(make_client, url, fields, name, check):
    """Send every case to `name` (the other fields valid), each from make_client();
    `check(client, response, kind, case) -> list of problems`."""
    problems = []
    for kind, case, value in CASES:
        client = make_client()
        response = send(client, url, fields, name, kind, value)
        if response.status_code >= 500:
            problems.append(f"{case}: {response.status_code}")
            continue
        problems += [f"{case}: {p}" for p in check(client, response, kind, case)]
    assert not problems, "\n".join(problems)


# Tracking lookup ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/track/", "/track/workflow/"])
def test_lookup_code(req, url):
    def check(client, response, kind, case):
        problems = message_problems(response)
        if response.status_code != 200 or not form_errors(response):
            problems.append(f"not refused with a message ({response.status_code})")
        if "sessionid" in response.cookies or Session.objects.exists():
            problems.append("a session was written")
        return problems

    run_corpus(Client, url, {}, "code", check)


@pytest.mark.parametrize("case", sorted(TEXT))
def test_lookup_code_in_the_query_string(db, case):
    response = Client().get("/track/", {"code": TEXT[case]})
    assert_not_server_error(response, case)
    assert response.status_code == 400 and not Session.objects.exists()


# Identity and its SMS code -------------------------------------------------------------


def looked_up(req):
    def make():
        client = Client()
        assert client.post("/track/", {"code": req.tracking_code}).status_code == 302
        return client

    return make


def test_identity_national_code(req):
    def check(client, response, kind, case):
        problems = message_problems(response)
        if session_keys(client) != ["followup_request"]:
            problems.append(f"session now {session_keys(client)}")
        if OneTimeCode.objects.exists() or SmsMessage.objects.exists():
            problems.append("a code or an SMS was written")
        return problems

    run_corpus(looked_up(req), "/track/identity/", {}, "national_code", check)


def test_identity_sms_code(req, settings):
    settings.FOLLOWUP_OTP_REQUIRED = True
    answer(req)

    def make():
        client = looked_up(req)()
        assert client.post("/track/identity/", {"national_code": NATIONAL_CODE}).status_code == 200
        return client

    def check(client, response, kind, case):
        problems = message_problems(response)
        if response.status_code != 200 or not set(form_errors(response) or ()) & OTP_REFUSALS:
            problems.append(f"not refused in Persian ({response.status_code})")
        if session_keys(client) != ["followup_otp_pending", "followup_request"]:
            problems.append(f"session now {session_keys(client)}")
        return problems

    run_corpus(make, "/track/identity/", {}, "otp", check)


# History and its SMS code ------------------------------------------------------------


@pytest.mark.parametrize("name", ["national_code", "mobile"])
def test_history_fields(req, name):
    valid = {"national_code": NATIONAL_CODE, "mobile": MOBILE}

    def check(client, response, kind, case):
        problems = message_problems(response)
        errors = form_errors(response)
        sms_rows = list(SmsMessage.objects.values_list("recipient", flat=True))
        SmsMessage.objects.all().delete()
        if errors is None:  # accepted: only the cleaned values are kept
            pending = client.session.get("followup_history_pending")
            if pending != valid:
                problems.append(f"accepted, kept {pending!r}")
            if sms_rows != [MOBILE]:
                problems.append(f"accepted, SMS to {sms_rows!r}")
            Session.objects.all().delete()
        else:
            if "sessionid" in response.cookies or Session.objects.exists():
                problems.append("refused, yet a session was written")
            if sms_rows:
                problems.append("refused, yet an SMS was written")
        return problems

    run_corpus(Client, "/track/history/", valid, name, check)


def test_history_accepts_persian_and_arabic_digits_as_cleaned_ascii(req):
    """(The corpus' digit cases are a valid mobile: accepted, kept as ASCII digits.)"""
    for case in ("persian_digits", "arabic_digits"):
        client = Client()
        client.post("/track/history/", {"national_code": NATIONAL_CODE, "mobile": TEXT[case]})
        assert client.session["followup_history_pending"] == {
            "national_code": NATIONAL_CODE,
            "mobile": MOBILE,
        }


def test_history_sms_code(req):
    def make():
        client = Client()
        client.post("/track/history/", {"national_code": NATIONAL_CODE, "mobile": MOBILE})
        return client

    def check(client, response, kind, case):
        problems = message_problems(response)
        if response.status_code != 200 or not set(form_errors(response) or ()) & OTP_REFUSALS:
            problems.append(f"not refused in Persian ({response.status_code})")
        if session_keys(client) != ["followup_history_pending"]:
            problems.append(f"session now {session_keys(client)}")
        return problems

    run_corpus(make, "/track/history/", {}, "otp", check)


@pytest.mark.parametrize("pk", ["9" * 400, "0", "-1", "2147483648", "9223372036854775808", "١"])
def test_history_open_with_hostile_numbers(req, pk):
    client = Client()
    client.post("/track/history/", {"national_code": NATIONAL_CODE, "mobile": MOBILE})
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group(0)
    assert client.post("/track/history/", {"otp": code}).status_code == 302
    response = client.post(f"/track/history/{pk}/")
    assert_not_server_error(response, pk)
    assert response.status_code in (302, 404)
    assert response.get("Location") in (None, "/track/history/")
    assert "followup_unlock" not in client.session


# The citizen's details and the survey -----------------------------------------------


def unlocked(req):
    def make():
        client = looked_up(req)()
        assert client.post("/track/identity/", {"national_code": NATIONAL_CODE}).status_code == 302
        return client

    return make


@pytest.mark.parametrize("name", sorted(DETAILS))
def test_citizen_details(req, name):
    answer(req)

    def check(client, response, kind, case):
        problems = message_problems(response)
        if response.status_code != 200 or not form_errors(response):
            problems.append(f"not refused with a message ({response.status_code})")
        if "followup_details" in session_keys(client) or SurveyResponse.objects.exists():
            problems.append("refused details were kept")
        return problems

    run_corpus(unlocked(req), "/track/survey/", DETAILS, name, check)


@pytest.mark.parametrize("number", [1, 9, 16])
def test_survey_answers(req, number):
    answer(req)
    numbers = list(SurveyQuestion.objects.filter(active=True).values_list("number", flat=True))
    assert number in numbers
    valid = {f"q{n}": "4" for n in numbers}

    def make():
        client = unlocked(req)()
        assert client.post("/track/survey/", DETAILS).status_code == 302
        return client

    def check(client, response, kind, case):
        problems = message_problems(response)
        if response.status_code != 200 or not form_errors(response):
            problems.append(f"not refused with a message ({response.status_code})")
        if SurveyResponse.objects.exists():
            problems.append("a survey was stored")
        if "followup_details" not in session_keys(client):
            problems.append("the details were lost")
        return problems

    run_corpus(make, "/track/survey/", valid, f"q{number}", check)


def test_every_survey_question_refuses_a_value_off_the_scale(req):
    """Every question (not only those above) refuses what is not 1..5."""
    answer(req)
    client = unlocked(req)()
    client.post("/track/survey/", DETAILS)
    numbers = list(SurveyQuestion.objects.filter(active=True).values_list("number", flat=True))
    for value in ("0", "6", "-1", "4.0", "۴", TEXT["nul"], TEXT["huge_number"]):
        response = client.post("/track/survey/", {f"q{n}": value for n in numbers})
        assert response.status_code == 200 and len(form_errors(response)) == len(numbers), value
        assert not message_problems(response), value
    assert not SurveyResponse.objects.exists()
    # And the valid answers are stored as the integers they are.
    response = client.post("/track/survey/", {f"q{n}": "5" for n in numbers})
    assert response.status_code == 200
    assert set(SurveyResponse.objects.get().answers.values()) == {5}


# Properties -------------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(sorted(TEXT.values()))


def cleaned_national_code(value):
    from django.core.exceptions import ValidationError

    from intake.validators import normalise_national_code

    try:
        return normalise_national_code(value.replace(" ", "").replace("-", ""))
    except ValidationError:
        return None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    real_code=st.booleans(),
    code_noise=ANY_TEXT,
    real_identity=st.booleans(),
    national_noise=ANY_TEXT,
    mobile=ANY_TEXT,
)
def test_any_text_never_fails_and_only_the_real_values_open_anything(
    req, real_code, code_noise, real_identity, national_noise, mobile
):
    client = Client()
    code = req.tracking_code + code_noise if real_code else code_noise
    response = client.post("/track/", {"code": code})
    assert_not_server_error(response, "lookup")
    opened = response.status_code == 302
    assert opened == ("sessionid" in response.cookies)
    if opened:
        assert session_keys(client) == ["followup_request"] and client.session["followup_request"] == req.pk
    elif form_errors(response):
        assert not message_problems(response)
    national_code = NATIONAL_CODE + national_noise if real_identity else national_noise
    response = client.post("/track/identity/", {"national_code": national_code})
    assert_not_server_error(response, "identity")
    if "followup_unlock" in session_keys(client):
        assert opened and cleaned_national_code(national_code) == NATIONAL_CODE
    history = Client()
    response = history.post("/track/history/", {"national_code": national_code, "mobile": mobile})
    assert_not_server_error(response, "history")
    if form_errors(response):
        assert not message_problems(response) and not session_keys(history)
    SmsMessage.objects.all().delete()
    OneTimeCode.objects.all().delete()
