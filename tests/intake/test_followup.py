"""The follow-up pages under /track/: lookup, workflow, identity, response, survey, history."""

import logging
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake import services, sms, survey
from intake.followup.forms import CODE_MISTYPED
from intake.models import OneTimeCode, RequestEvent, SmsMessage, SurveyAxis, SurveyQuestion, SurveyResponse
from portal.persian import to_persian_digits
from services.models import ServiceWorkflowStep
from tests.intake.requests import MOBILE, NATIONAL_CODE, answer, make_request
from tests.intake.transactional import start_as_after_a_flush  # noqa: F401 (a fixture)

INTERNAL = "یادداشت محرمانه کارکنان ۷۷۷"
NOT_FOUND = "درخواستی با این مشخصات یافت نشد"


class CitizenClient(Client):
    """Checks every page a citizen sees: no internal staff note, ever."""

    def request(self, **request):
        response = super().request(**request)
        if response.get("Content-Type", "").startswith("text/html"):
            body = response.content.decode()
            assert INTERNAL not in body and "داخلی-" not in body
        return response


@pytest.fixture
def citizen(db):
    return CitizenClient()


@pytest.fixture
def req(service):
    for order, title in enumerate(["دریافت درخواست", "بررسی کارشناسی", "صدور پاسخ"]):
        ServiceWorkflowStep.objects.create(page=service, title=title, sort_order=order, locale=service.locale)
    return make_request(service)


def dashed_persian(code):
    return to_persian_digits(f"{code[:4]}-{code[4:8]} {code[8:12]}-{code[12:]}")


def lookup(client, code, url="/track/"):
    return client.post(url, {"code": code})


def unlock(client, req_obj, national_code=NATIONAL_CODE):
    assert lookup(client, req_obj.tracking_code).status_code == 302
    return client.post("/track/identity/", {"national_code": national_code})


# Lookup -------------------------------------------------------------------------


def test_lookup_page_shows_the_seed_texts(citizen):
    body = citizen.get("/track/").content.decode()
    for text in (
        "کاربر محترم لطفاً کد پیگیری خود را جهت تکمیل فرم نظرسنجی و یا پیگیری درخواست وارد نمایید.",
        "کد پیگیری خود را وارد نمایید :",
        "جستجو",
        "سپاسگزاریم",
    ):
        assert text in body
    assert "مشاهده مراحل گردش کار" in citizen.get("/track/workflow/").content.decode()


def test_persian_digits_and_dashes_find_the_request(citizen, req):
    response = lookup(citizen, dashed_persian(req.tracking_code))
    assert response.status_code == 302 and response["Location"] == "/track/status/"
    assert req.tracking_code not in response["Location"]
    body = citizen.get("/track/status/").content.decode()
    assert req.service_title in body and req.unit_name in body and "ثبت شده" in body
    # Nothing personal with the code alone.
    assert "کریمی" not in body and NATIONAL_CODE not in body and MOBILE not in body


def test_arabic_digits_work(citizen, req):
    arabic = req.tracking_code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert lookup(citizen, arabic).status_code == 302


def test_a_mistyped_digit_is_caught_before_the_database(citizen, req):
    code = req.tracking_code
    wrong = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    with CaptureQueriesContext(connection) as queries:
        response = lookup(citizen, wrong)
    assert CODE_MISTYPED in response.content.decode()
    assert not [q for q in queries.captured_queries if "intake_servicerequest" in q["sql"]]


def test_query_string_code_is_refused(citizen, req):
    response = citizen.get(f"/track/?code={req.tracking_code}")
    assert response.status_code == 400
    assert "/track/status/" not in response.get("Location", "")
    assert citizen.get("/track/status/").status_code == 302  # nothing was looked up


def test_code_never_logged_in_clear(citizen, req, caplog):
    caplog.set_level(logging.DEBUG)
    lookup(citizen, req.tracking_code)
    other = req.tracking_code[:-1]
    from intake.tracking import damm_check_digit, generate_tracking_code

    unknown = generate_tracking_code()
    lookup(citizen, unknown)
    assert req.tracking_code not in caplog.text and unknown not in caplog.text
    assert other  # (the digest is logged instead)
    assert damm_check_digit(unknown[:-1]) == unknown[-1]


def test_rate_limit_gives_429_in_persian(citizen, req, settings):
    settings.FOLLOWUP_LOOKUP_RATE = "3/600"
    for _ in range(3):
        assert lookup(citizen, req.tracking_code).status_code == 302
    response = lookup(citizen, req.tracking_code)
    assert response.status_code == 429 and "بیش از حد مجاز" in response.content.decode()


def test_unknown_code_and_wrong_national_code_give_the_same_page(citizen, req):
    from intake.tracking import generate_tracking_code

    unknown = lookup(citizen, generate_tracking_code())
    wrong = unlock(Client(), req, national_code="0012345679")
    assert unknown.status_code == wrong.status_code == 200
    assert NOT_FOUND in unknown.content.decode() and NOT_FOUND in wrong.content.decode()
    assert [t.name for t in unknown.templates][0] == [t.name for t in wrong.templates][0]


# Workflow -----------------------------------------------------------------------


def test_workflow_marks_the_current_step_and_public_history(citizen, req):
    services.transition(req, "in_review", None, public_note="بررسی آغاز شد", internal_note=INTERNAL)
    assert lookup(citizen, req.tracking_code, "/track/workflow/").status_code == 302
    body = citizen.get("/track/status/").content.decode()
    current = body.split('aria-current="step"')[1][:200]
    assert "بررسی کارشناسی" in current
    assert "بررسی آغاز شد" in body and "در حال بررسی" in body


def test_status_page_queries_do_not_grow_with_events(citizen, req):
    lookup(citizen, req.tracking_code)
    citizen.get("/track/status/")
    with CaptureQueriesContext(connection) as one:
        citizen.get("/track/status/")
    for i in range(49):
        RequestEvent.objects.create(request=req, kind="note", status="received", note=f"یادداشت {i}")
    with CaptureQueriesContext(connection) as fifty:
        body = citizen.get("/track/status/").content.decode()
    assert "یادداشت ۴۸" in body or "یادداشت 48" in body
    assert len(one) == len(fifty)


def test_status_page_reads_the_request_with_its_history_in_one_query(citizen, req):
    """The request's fields come with its events (one query through the events); the
    internal note is never read; a request without any event still shows."""
    services.transition(req, "in_review", None, public_note="بررسی آغاز شد", internal_note=INTERNAL)
    lookup(citizen, req.tracking_code)
    with CaptureQueriesContext(connection) as queries:
        body = citizen.get("/track/status/").content.decode()
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if q.startswith("SELECT") and 'FROM "intake_servicerequest"' in q]
    assert not [q for q in sql if "internal_note" in q]
    assert "بررسی آغاز شد" in body and "در حال بررسی" in body and INTERNAL not in body
    RequestEvent.objects.filter(request=req).delete()
    body = citizen.get("/track/status/").content.decode()
    assert "در حال بررسی" in body and req.service_title in body


# Identity -----------------------------------------------------------------------


def test_national_code_with_persian_digits_unlocks_without_otp_in_tests(citizen, req):
    answer(req)
    response = unlock(citizen, req, national_code=to_persian_digits(NATIONAL_CODE))
    assert response.status_code == 302
    body = citizen.get("/track/status/").content.decode()
    assert "مشاهده پاسخ رسمی" in body


@pytest.fixture(autouse=True)
def _memory_sms(sms_outbox):
    """The one-time codes are read from the gateway's outbox (tests/conftest.py)."""


def otp_from_sms(req_obj):
    text = [text for recipient, text in sms.outbox if recipient == req_obj.mobile and "کد تایید" in text][-1]
    assert not SmsMessage.objects.filter(text__contains=text[-60:]).exclude(text__contains="******").exists()
    return "".join(ch for ch in text if ch.isdigit())[:6]


@pytest.fixture
def otp_on(settings):
    settings.FOLLOWUP_OTP_REQUIRED = True


def test_otp_single_use_and_bound_to_request_and_browser(citizen, req, service, otp_on):
    answer(req)
    response = unlock(citizen, req)
    assert response.status_code == 200 and "کد تایید" in response.content.decode()
    assert citizen.get("/track/response/").status_code == 302  # not yet
    code = otp_from_sms(req)
    assert OneTimeCode.objects.get(used_at__isnull=True).code_hash != code
    assert citizen.post("/track/identity/", {"otp": code}).status_code == 302
    assert "درخواست شما پذیرفته شد" in citizen.get("/track/response/").content.decode()
    # Another browser with the same tracking code is not unlocked.
    other_browser = CitizenClient()
    lookup(other_browser, req.tracking_code)
    assert other_browser.get("/track/response/").status_code == 302
    # Reusing the code in the other browser fails.
    other_browser.post("/track/identity/", {"national_code": NATIONAL_CODE})
    assert "نادرست" in other_browser.post("/track/identity/", {"otp": code}).content.decode()
    # Another request in the first browser is not unlocked.
    second = make_request(service)
    lookup(citizen, second.tracking_code)
    assert citizen.get("/track/response/").status_code == 302


def test_expired_and_guessed_otp_refused(citizen, req, otp_on, settings):
    answer(req)
    unlock(citizen, req)
    code = otp_from_sms(req)
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert "نادرست" in citizen.post("/track/identity/", {"otp": code}).content.decode()
    # A new code; five wrong guesses lock it even for the right code.
    citizen.post("/track/identity/", {"national_code": NATIONAL_CODE})
    code = otp_from_sms(req)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(settings.FOLLOWUP_OTP_MAX_ATTEMPTS):
        citizen.post("/track/identity/", {"otp": wrong})
    assert "نادرست" in citizen.post("/track/identity/", {"otp": code}).content.decode()
    assert citizen.get("/track/response/").status_code == 302


def test_unlock_expires(citizen, req, settings):
    settings.FOLLOWUP_UNLOCK_SECONDS = -1
    answer(req)
    unlock(citizen, req)
    assert citizen.get("/track/response/").status_code == 302


# Response -------------------------------------------------------------------------


def test_response_page_persian_digits_jalali_and_pdf(citizen, req):
    official = answer(req)
    unlock(citizen, req)
    body = citizen.get("/track/response/").content.decode()
    for label in (
        "تاریخ پاسخ",
        "شماره پاسخ",
        "نام و نام خانوادگی ارباب رجوع",
        "کد ملی",
        "مستندات قانونی و استدلال های منجر به پاسخ ارائه شده",
        "مفاد اصلی پاسخ",
        "اعلام مرجع و مهلت اعتراض به پاسخ (تصمیم)",
        "توضیحات",
    ):
        assert label in body
    assert to_persian_digits(official.number) in body and to_persian_digits(NATIONAL_CODE) in body
    assert "۱۴۰" in body and 'media="print"' in body
    pdf = citizen.get("/track/response/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    assert "attachment" in pdf["Content-Disposition"] and "no-store" in pdf["Cache-Control"]
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(p.extract_text() for p in reader.pages)
    persian = to_persian_digits(req.tracking_code)
    assert persian in text or persian[::-1] in text  # the tracking code is on it
    assert "پاسخ" in text and "رسمی" in text  # shaped, joined letters map back to words
    fonts = {
        str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()
    }
    assert any("Vazirmatn" in name for name in fonts), fonts


# Survey ----------------------------------------------------------------------------


def test_seeded_survey_equals_the_spec(db):
    questions = list(SurveyQuestion.objects.select_related("axis").order_by("number"))
    assert [(q.number, q.axis.title, q.text, q.reversed) for q in questions] == [
        (n, survey.AXES[a], t, r) for n, a, t, r in survey.QUESTIONS
    ]
    assert [q.number for q in questions if q.reversed] == [9, 11, 14, 15]
    assert list(SurveyAxis.objects.values_list("title", flat=True)) == survey.AXES
    assert questions[0].text == "نحوه اطلاع رسانی درباره مراحل انجام کار"
    assert questions[15].text == "احساس رضایت از کل خدمت دریافت شده"
    assert questions[12].axis.title == "نظام مند بودن فرایند"


def test_reversed_scoring():
    questions = list(SurveyQuestion.objects.select_related("axis"))
    all_best = {q.number: (1 if q.reversed else 5) for q in questions}
    axes, overall = survey.score(questions, all_best)
    assert overall == Decimal("100.00") and set(axes.values()) == {100.0}
    all_five = {q.number: 5 for q in questions}
    axes, overall = survey.score(questions, all_five)
    assert overall == Decimal("75.00")  # 12 at 100, 4 reversed at 0
    assert axes["کلیت فرایند"] == 100.0 and axes["نظام مند بودن فرایند"] == pytest.approx(100 / 3, abs=0.01)


test_reversed_scoring = pytest.mark.django_db(test_reversed_scoring)


def answers(value=4):
    return {f"q{n}": str(value) for n in range(1, 17)}


DETAILS = {"gender": "female", "age_group": "25_40", "education": "bachelor", "relation": "self"}


def test_survey_flow_stores_scores_once(citizen, req):
    answer(req)
    unlock(citizen, req)
    body = citizen.get("/track/survey/").content.decode()
    assert "فرم ثبت مشخصات شهروند" in body and "ثبت مشخصات شهروند" in body
    assert citizen.post("/track/survey/", DETAILS).status_code == 302
    body = citizen.get("/track/survey/").content.decode()
    assert body.count("<fieldset") == 16 and body.count("<legend>") == 16
    assert "ثبت فرم پرسش نامه" in body and "خیلی کم" in body and "خیلی زیاد" in body
    missing = answers()
    del missing["q7"]
    assert "برای پرسش ۷ یک گزینه انتخاب کنید" in citizen.post("/track/survey/", missing).content.decode()
    citizen.post("/track/survey/", answers(4))
    stored = SurveyResponse.objects.get(request=req)
    assert stored.gender == "female" and stored.answers["9"] == 4
    assert stored.overall_score == Decimal("62.50")  # 12 × 75 and 4 reversed × 25
    again = citizen.post("/track/survey/", answers(5))
    assert "پیش از این ثبت شده" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_survey_closed_before_answer(citizen, req):
    unlock(citizen, req)
    assert "پس از پاسخ" in citizen.get("/track/survey/").content.decode()


def test_survey_questions_are_editable(citizen, req):
    SurveyQuestion.objects.filter(number=16).update(text="پرسش ویرایش‌شده")
    answer(req)
    unlock(citizen, req)
    citizen.post("/track/survey/", DETAILS)
    assert "پرسش ویرایش‌شده" in citizen.get("/track/survey/").content.decode()


# History ------------------------------------------------------------------------------


def test_history_by_national_code_mobile_and_otp(citizen, req, service):
    mine = make_request(service)
    make_request(service, national_code="0012345679")
    response = citizen.post(
        "/track/history/", {"national_code": to_persian_digits(NATIONAL_CODE), "mobile": "+98 912 123 4567"}
    )
    assert response.status_code == 200
    code = otp_from_sms(req)
    assert citizen.post("/track/history/", {"otp": code}).status_code == 302
    body = citizen.get("/track/history/").content.decode()
    for code in (req.tracking_code, mine.tracking_code):  # in groups of four
        assert "</span><span>".join(re.findall("....", to_persian_digits(code))) in body
    assert body.count("<tr>") == 3  # header + two (the table; phones get cards)
    assert body.count('class="request-card"') == 2
    assert citizen.post(f"/track/history/{mine.pk}/").status_code == 302
    assert citizen.get("/track/response/").status_code == 200  # unlocked for that request


def test_history_wrong_otp_and_unknown_citizen(citizen, req):
    response = citizen.post("/track/history/", {"national_code": "0012345679", "mobile": "09120000000"})
    assert response.status_code == 200 and not SmsMessage.objects.filter(recipient="09120000000").exists()
    assert "نادرست" in citizen.post("/track/history/", {"otp": "123456"}).content.decode()
    assert "سوابق" in citizen.get("/track/history/").content.decode()
    assert citizen.get("/track/history/?national_code=1").status_code == 400


def test_survey_snippets_in_the_admin(admin_client):
    assert admin_client.get("/admin/snippets/intake/surveyquestion/").status_code == 200
    question = SurveyQuestion.objects.get(number=9)
    response = admin_client.get(f"/admin/snippets/intake/surveyquestion/edit/{question.pk}/")
    assert response.status_code == 200 and "معکوس" in response.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL=postgres://...)"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("start_as_after_a_flush")
def test_two_surveys_submitted_at_the_same_moment_store_one(service):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    survey.seed(SurveyAxis, SurveyQuestion)
    req_obj = make_request(service)
    answer(req_obj)
    browsers = [CitizenClient(), CitizenClient()]
    for browser in browsers:
        unlock(browser, req_obj)
        assert browser.post("/track/survey/", DETAILS).status_code == 302
    barrier = threading.Barrier(2)

    def submit(browser):
        try:
            barrier.wait(timeout=30)
            return browser.post("/track/survey/", answers(3)).content.decode()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        bodies = list(pool.map(submit, browsers))
    assert SurveyResponse.objects.count() == 1
    assert sum("پیش از این ثبت شده" in body for body in bodies) == 1


def test_console_sms_log_masks_codes(
    citizen, req, caplog, otp_on, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "intake.sms.ConsoleBackend"
    caplog.set_level(logging.INFO)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(req, "in_review", None)
    unlock(citizen, req)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("SMS to")]
    assert len(lines) == 2 and "کد تایید" in lines[-1]
    assert req.tracking_code not in caplog.text and to_persian_digits(req.tracking_code) not in caplog.text
    assert not any(re.search(r"[0-9\u06f0-\u06f9]{6}", line.split(": ", 1)[1]) for line in lines)


def test_receipt_only_once_unlocked(citizen, req):
    lookup(citizen, req.tracking_code)
    assert citizen.get("/track/receipt/").status_code == 302
    citizen.post("/track/identity/", {"national_code": NATIONAL_CODE})
    body = citizen.get("/track/receipt/").content.decode()
    assert "رسید خدمت" in body and "کریمی" in body and to_persian_digits("049****899") in body


def test_editors_title_and_intro_from_the_track_page(citizen, home):
    from intake.models import TrackPage

    page = TrackPage(title="پیگیری درخواست‌ها", slug="track", intro="<p>متن راهنمای ویراستار</p>")
    home.add_child(instance=page)
    page.save_revision().publish()
    body = citizen.get("/track/").content.decode()
    assert "پیگیری درخواست‌ها" in body and "متن راهنمای ویراستار" in body
    assert "کد پیگیری خود را وارد نمایید :" in body


def test_demo_creates_the_track_page_once(home):
    from types import SimpleNamespace

    from intake import demo
    from intake.models import TrackPage

    ctx = SimpleNamespace(home=home, stdout=None)
    demo.load(ctx)
    demo.load(ctx)
    page = TrackPage.objects.get()
    assert page.slug == "track" and page.url.endswith("/track/")


# Guessing limits, through the views ----------------------------------------------------

LIMITED = "بیش از حد مجاز"


def post_from(client, url, data, address):
    return client.post(url, data, REMOTE_ADDR=address)


def assert_refused_then_other_client_allowed(responses, other):
    *allowed, refused = responses
    assert all(r.status_code == 200 and LIMITED not in r.content.decode() for r in allowed)
    assert refused.status_code == 429 and LIMITED in refused.content.decode()
    assert other.status_code == 200 and LIMITED not in other.content.decode()


def test_identity_national_code_guesses_are_limited_per_client(citizen, req, settings):
    settings.FOLLOWUP_LOOKUP_RATE = "3/600"
    assert post_from(citizen, "/track/", {"code": req.tracking_code}, "10.0.0.1").status_code == 302
    # Guesses from another address (the lookup's count is its own address's).
    responses = [
        post_from(citizen, "/track/identity/", {"national_code": "12"}, "10.0.0.2") for _ in range(4)
    ]
    other = post_from(citizen, "/track/identity/", {"national_code": "12"}, "10.0.0.3")
    assert_refused_then_other_client_allowed(responses, other)
    # Refused before the national code is even read: the right one is refused too.
    refused = post_from(citizen, "/track/identity/", {"national_code": NATIONAL_CODE}, "10.0.0.2")
    assert refused.status_code == 429 and citizen.get("/track/response/").status_code == 302


def test_identity_sms_code_guesses_are_limited_per_client(citizen, req, settings, otp_on):
    settings.FOLLOWUP_LOOKUP_RATE = "4/600"
    answer(req)
    post_from(citizen, "/track/", {"code": req.tracking_code}, "10.0.0.1")
    assert (
        post_from(citizen, "/track/identity/", {"national_code": NATIONAL_CODE}, "10.0.0.2").status_code
        == 200
    )
    code = otp_from_sms(req)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    # 3 more guesses from 10.0.0.2 are allowed (under the 5 the code itself allows), the 4th is not.
    responses = [post_from(citizen, "/track/identity/", {"otp": wrong}, "10.0.0.2") for _ in range(4)]
    other = post_from(citizen, "/track/identity/", {"otp": wrong}, "10.0.0.3")
    assert_refused_then_other_client_allowed(responses, other)


def test_history_guesses_are_limited_per_client(citizen, req, settings):
    settings.FOLLOWUP_LOOKUP_RATE = "3/600"
    data = {"national_code": "0012345679", "mobile": "09120000000"}
    responses = [post_from(citizen, "/track/history/", data, "10.0.0.2") for _ in range(4)]
    other = post_from(Client(), "/track/history/", data, "10.0.0.3")
    assert_refused_then_other_client_allowed(responses, other)


def test_history_sms_code_guesses_are_limited_per_client(citizen, req, settings):
    settings.FOLLOWUP_LOOKUP_RATE = "4/600"
    post_from(citizen, "/track/history/", {"national_code": NATIONAL_CODE, "mobile": MOBILE}, "10.0.0.2")
    code = otp_from_sms(req)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    responses = [post_from(citizen, "/track/history/", {"otp": wrong}, "10.0.0.2") for _ in range(4)]
    other = post_from(citizen, "/track/history/", {"otp": wrong}, "10.0.0.3")
    assert_refused_then_other_client_allowed(responses, other)
    # Still refused at 10.0.0.2 with the right code; the right code works from elsewhere.
    assert post_from(citizen, "/track/history/", {"otp": code}, "10.0.0.2").status_code == 429


# Same answer, nothing left behind ------------------------------------------------------

CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


SESSION_COOKIE = re.compile(r"^(sessionid=)[a-z0-9]+(; expires=)[^;]+")


def comparable(response):
    """Status, headers and body, without the CSRF token's value and cookie (and
    without the session cookie's value and expiry second: each browser has its own),
    and without never_cache's Expires, the clock's second of each response (two
    responses a loaded machine made across a second differed there)."""
    headers = sorted(
        (k, v) for k, v in response.headers.items() if k.lower() not in ("set-cookie", "expires")
    )
    cookies = sorted(
        (name, SESSION_COOKIE.sub(r"\1…\2…", morsel.OutputString()))
        for name, morsel in response.cookies.items()
        if "csrf" not in name.lower()
    )
    body = CSRF_INPUT.sub(r"\1\2", response.content.decode())
    return response.status_code, headers, cookies, body


def session_keys(client):
    """(The test client's .session saves an empty session when the browser has none.)"""
    return sorted(client.session.keys())


def test_unknown_code_and_wrong_identity_are_the_same_response_byte_for_byte(citizen, req, service):
    from intake.tracking import generate_tracking_code

    # Both browsers looked up a request first (the same state), then one types an
    # unknown code, the other a wrong national code for that request.
    first, second = CitizenClient(), CitizenClient()
    for browser in (first, second):
        assert lookup(browser, req.tracking_code).status_code == 302
    unknown = lookup(first, generate_tracking_code())
    wrong = second.post("/track/identity/", {"national_code": "0012345679"})
    assert NOT_FOUND in unknown.content.decode()
    assert comparable(unknown) == comparable(wrong)
    assert session_keys(first) == session_keys(second) == []


def test_unknown_code_leaves_nothing_in_the_session(citizen, req):
    from intake.tracking import generate_tracking_code

    assert session_keys(citizen) == []
    response = lookup(citizen, generate_tracking_code())
    assert NOT_FOUND in response.content.decode() and session_keys(citizen) == []
    assert "sessionid" not in response.cookies
    response = lookup(citizen, "12345")  # refused by the form
    assert session_keys(citizen) == [] and "sessionid" not in response.cookies


def test_wrong_identity_leaves_nothing_in_the_session(citizen, req, otp_on):
    lookup(citizen, req.tracking_code)
    before = session_keys(citizen)
    citizen.post("/track/identity/", {"national_code": "12"})  # refused by the form
    assert session_keys(citizen) == before
    citizen.post("/track/identity/", {"national_code": "0012345679"})  # wrong
    assert session_keys(citizen) == []
    assert not OneTimeCode.objects.exists() and not SmsMessage.objects.exists()


def test_history_unknown_and_known_citizen_are_the_same_response(citizen, req):
    known = citizen.post("/track/history/", {"national_code": NATIONAL_CODE, "mobile": MOBILE})
    other = CitizenClient()
    unknown = other.post("/track/history/", {"national_code": "0012345679", "mobile": "09120000000"})
    assert comparable(known)[:2] == comparable(unknown)[:2]
    assert comparable(known)[3] == comparable(unknown)[3]
    assert session_keys(citizen) == session_keys(other)


def test_history_refused_input_and_wrong_code_leave_the_session_as_it_was(citizen, req):
    from django.contrib.sessions.models import Session

    response = citizen.post("/track/history/", {"national_code": "12", "mobile": "1"})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies and not Session.objects.exists()  # no empty session row
    citizen.post("/track/history/", {"national_code": "0012345679", "mobile": "09120000000"})
    before = session_keys(citizen)
    citizen.post("/track/history/", {"otp": "123456"})
    citizen.post("/track/history/", {"otp": "\x00"})
    assert session_keys(citizen) == before
