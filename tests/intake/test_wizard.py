import re

import pytest
from django.test import Client, RequestFactory, override_settings

from intake.models import Draft, RequestEvent, ServiceRequest
from tests.factories import ServicePageFactory
from tests.intake.conftest import VALID_CITIZEN
from tests.intake.helpers import BASE, choose, fill_to_review, step
from tests.labels import FACET_LABELS as FACETS

STEP_LABELS = [
    "پیش مقدمه سامانه",
    "مشخصات درخواست",
    "ضمائم درخواست",
    "مشخصات ارباب رجوع",
    "مراجعه به سازمان",
    "بررسی و ثبت نهایی",
]


def text(response):
    return response.content.decode()


def test_service_arrives_preselected_with_its_nine_facets(client, intake_page, service, other_service):
    body = text(client.get(BASE + "?service=۱۰۰۱۲۱۳۵۰۰۰"))
    assert re.search(r'<option value="10012135000" selected>', body)
    assert f'<option value="{service.unit_id}" selected>' in body
    assert 'value="10012135000"' in body
    for facet in FACETS:
        assert f"<summary>{facet}</summary>" in body
    # Only the chosen unit's services are offered.
    assert other_service.title not in body.split('name="service"')[1].split("</select>")[0]


def test_unit_change_without_javascript_offers_that_units_services(
    client, intake_page, service, other_service
):
    response = client.post(
        BASE,
        {
            "action": "refresh",
            "unit": str(other_service.unit_id),
            "service": service.service_id,
            "service_id": service.service_id,
        },
    )
    body = text(response)
    service_select = body.split('name="service"')[1].split("</select>")[0]
    assert other_service.title in service_select
    assert service.title not in service_select
    assert "error-summary" not in body
    assert 'value="10012135000"' not in body  # the other unit's service is forgotten
    assert "<summary>شرح خدمت</summary>" not in body
    assert not Draft.objects.exists()


def test_consent_is_required_and_its_time_stored(client, intake_page, service):
    response = choose(client, service, agree=False)
    assert response.status_code == 200
    assert "برای ادامه باید قوانین را مطالعه کرده و با آن موافقت کنید." in text(response)
    assert not Draft.objects.exists()
    response = choose(client, service)
    assert response.status_code == 302
    assert Draft.objects.get().consented_at is not None


def test_a_missing_unit_is_asked_for_in_persian(client, intake_page, service):
    response = client.post(BASE, {"agree": "on"})
    assert response.status_code == 200
    html = text(response)
    assert "«واحد سازمانی» را انتخاب کنید." in html
    assert 'aria-required="true"' in re.search(r'<select[^>]*name="unit"[^>]*>', html).group(0)
    assert not Draft.objects.exists()


def test_typed_service_id_wins_and_unknown_id_is_refused(client, intake_page, service, other_service):
    data = {"unit": str(service.unit_id), "service": service.service_id, "agree": "on"}
    response = client.post(BASE, {**data, "service_id": "99999999999"})
    assert "خدمتی با این شناسه یافت نشد" in text(response)
    response = client.post(BASE, {**data, "service_id": "۱۰۰۱۲۱۳۵۰۰۱"})
    assert response.status_code == 302
    assert Draft.objects.get().data["service"]["service"] == other_service.service_id


def test_offline_services_are_not_offered(client, intake_page, service_index, unit):
    offline = ServicePageFactory(parent=service_index, unit=unit, accepts_online_requests=False)
    body = text(client.get(BASE + f"?service={offline.service_id}"))
    assert offline.title not in body


def test_steps_need_a_draft_and_open_in_order(client, intake_page, service, officer):
    response = client.get(step(4))
    assert response.status_code == 302 and response["Location"] == BASE
    choose(client, service)
    response = client.get(step(5))
    assert response["Location"] == step(1)
    client.post(step(1), {"action": "next"})
    response = client.get(step(6))
    assert response["Location"] == step(2)


def test_stepper_labels_current_step_and_buttons(client, intake_page, service, officer):
    choose(client, service)
    body = text(client.get(step(1)))
    for label in STEP_LABELS:
        assert label in body
    assert re.search(
        r'aria-current="step">\s*<span class="stepper__number">۱</span> '
        r'<span class="stepper__label">پیش مقدمه سامانه',
        body,
    )
    assert "تایید و ادامه" in body and "مرحله قبل" in body
    fill_to_review(client, service, officer)
    assert "تایید نهایی" in text(client.get(step(5)))
    review = text(client.get(step(6)))
    assert "ثبت نهایی درخواست" in review and "مرحله قبل" in review
    for n in (2, 3, 4, 5):
        assert f'href="{step(n)}"' in review


def test_the_stepper_follows_each_citizens_progress(intake_page, service, officer, settings):
    """Two citizens at different points see their own links."""
    from django.test import Client

    ahead, behind = Client(), Client()
    fill_to_review(ahead, service, officer)
    choose(behind, service)
    ahead_page, behind_page = text(ahead.get(step(1))), text(behind.get(step(1)))
    for n in (2, 3, 4, 5, 6):
        assert f'href="{step(n)}"' in ahead_page
        assert f'href="{step(n)}"' not in behind_page
    assert ahead_page.count("(تکمیل شده)") == 5 and "(تکمیل شده)" not in behind_page
    assert f'href="{step(1)}"' not in ahead_page  # the current step is not a link
    assert f'href="{step(1)}"' in text(ahead.get(step(2)))


def test_errors_summary_links_to_each_field(client, intake_page, service, officer):
    choose(client, service)
    client.post(step(1), {"action": "next"})
    response = client.post(
        step(2), {"action": "next", "unit": str(service.unit_id), "service": service.service_id}
    )
    client.post(
        step(2),
        {
            "action": "next",
            "unit": str(service.unit_id),
            "service": service.service_id,
            "request_text": "متن درخواست من",
        },
    )
    client.post(step(3), {"action": "next"})
    response = client.post(step(4), {"action": "next", "national_code": "1111111111", "mobile": "123"})
    body = text(response)
    assert response.status_code == 200
    assert 'class="error-summary"' in body
    # Each link says its message once (not «label: message»), the field named as labelled.
    assert '<a href="#id_national_code">شماره ملی معتبر نیست' in body
    assert '<a href="#id_first_name">«نام» را وارد کنید.</a>' in body
    assert "نام: «نام»" not in body
    summary = body.split('id="error-summary"')[1].split("</div>")[0]
    assert summary.count("«نام» را وارد کنید.") == 1
    assert '<a href="#id_mobile">' in body
    assert 'aria-invalid="true"' in body
    assert 'id="id_national_code_error"' in body


def test_request_text_limit_is_shown_and_enforced(client, intake_page, service):
    choose(client, service)
    client.post(step(1), {"action": "next"})
    body = text(client.get(step(2)))
    assert "حداکثر ۲۰۰۰ نویسه" in body and 'maxlength="2000"' in body
    response = client.post(
        step(2),
        {
            "action": "next",
            "unit": str(service.unit_id),
            "service": service.service_id,
            "request_text": "ا" * 2001,
        },
    )
    assert "متن درخواست حداکثر ۲۰۰۰ نویسه است؛ آن را کوتاه‌تر کنید." in text(response)


def test_back_and_refresh_keep_what_was_typed(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    # Change step 4 with an error, go back: the values that validated are kept, the
    # refused one is not (a draft holds cleaned data only), and the step is unfinished.
    response = client.post(step(4), {"action": "back", **VALID_CITIZEN, "first_name": "رضا", "mobile": "12"})
    assert response["Location"] == step(3)
    body = text(client.get(step(4)))
    assert 'value="رضا"' in body and 'value="12"' not in body
    assert 'name="mobile" value=' not in body
    assert client.get(step(6))["Location"] == step(4)
    # Leaving and coming back in the same browser: the draft is still there.
    body = text(client.get(step(2)))
    assert "درخواست بررسی عملکرد دهیاری روستای 12 را دارم." in body


def test_step5_offers_the_units_active_officers_with_their_position(client, intake_page, service, officer):
    from tests.factories import OfficerFactory

    OfficerFactory(unit=service.unit, full_name="غیرفعال", active=False)
    fill_to_review(client, service, officer)
    body = text(client.get(step(5)))
    assert "مریم احمدی — ریاست سازمان" in body
    assert "غیرفعال" not in body
    assert "نتیجه مراجعه را انتخاب کنید" in body
    assert service.unit.name in body
    assert "data-jdp" in body


@pytest.mark.parametrize("typed", ["1405/09/03", "۱۴۰۵/۰۹/۰۳", "1405-09-03"])
def test_visit_dates_in_any_form(client, intake_page, service, officer, typed):
    fill_to_review(client, service, officer)
    response = client.post(step(5), {"action": "next", "officer": str(officer.pk), "visit_date": typed})
    assert response.status_code == 302
    assert Draft.objects.get().data["5"]["visit_date"] == "1405/09/03"


@pytest.mark.parametrize("typed", ["1405/12/31", "1404/13/01", "1405/07/31", "31/09/1405", "فردا"])
def test_impossible_visit_dates_are_refused(client, intake_page, service, officer, typed):
    fill_to_review(client, service, officer)
    response = client.post(step(5), {"action": "next", "officer": str(officer.pk), "visit_date": typed})
    assert response.status_code == 200
    assert "تاریخ را به شکل سال/ماه/روز شمسی وارد کنید" in text(response)


def test_previous_visit_choices_come_from_site_settings(client, intake_page, service, officer):
    from intake.models import IntakeSettings

    settings_obj = IntakeSettings.for_site(intake_page.get_site())
    settings_obj.previous_visit_results = "نتیجه الف\nنتیجه ب"
    settings_obj.save()
    fill_to_review(client, service, officer)
    body = text(client.get(step(5)))
    assert "نتیجه الف" in body and "نتیجه ب" in body and "پاسخ داده شد" not in body


def test_replayed_final_post_gives_one_request_and_the_same_receipt(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    first = client.post(step(6), {"action": "next"})
    second = client.post(step(6), {"action": "next"})
    assert first["Location"] == second["Location"] == BASE + "receipt/"
    assert ServiceRequest.objects.count() == 1
    assert RequestEvent.objects.count() == 1


def test_double_submission_of_the_same_draft_is_idempotent(client, intake_page, service, officer):
    from intake import services, wizard

    fill_to_review(client, service, officer)
    draft = Draft.objects.get()
    options = wizard.options_for()
    first, created_first = services.submit_request(draft, options)
    again, created_again = services.submit_request(Draft.objects.get(), options)
    assert created_first and not created_again and first.pk == again.pk


def test_a_draft_submitted_meanwhile_gives_its_request(client, intake_page, service, officer):
    """Two submissions of one draft read before either wrote: the second finds the
    draft taken (a conditional UPDATE) and returns the first one's request."""
    from intake import services, wizard

    fill_to_review(client, service, officer)
    stale = Draft.objects.get()
    first, _created = services.submit_request(Draft.objects.get(), wizard.options_for())
    assert stale.submitted_at is None
    again, created = services.submit_request(stale, wizard.options_for())
    assert not created and again.pk == first.pk
    assert ServiceRequest.objects.count() == 1 and RequestEvent.objects.count() == 1


def test_a_draft_is_read_by_its_key_and_taken_once(client, intake_page, service, officer):
    """The session's key finds its draft (an unknown or malformed key none); the final
    submission takes a draft with one conditional UPDATE that succeeds once only."""
    import uuid

    from django.utils import timezone

    from intake import drafts
    from intake.services import submission

    fill_to_review(client, service, officer)
    expected = Draft.objects.get()
    found = drafts.get_draft(str(expected.key))
    assert found.pk == expected.pk and found.data["4"]["national_code"] == "0499370899"
    assert drafts.get_draft(str(uuid.uuid4())) is None
    assert drafts.get_draft("not-a-key") is None
    now = timezone.now()
    assert submission.take_draft(expected, now)
    assert not submission.take_draft(expected, now)  # taken already
    assert Draft.objects.get().submitted_at == now


def test_a_service_gone_while_writing_sends_the_citizen_back_to_step_2(
    client, intake_page, service, officer, monkeypatch
):
    """The write fails on the service's foreign key (deleted meanwhile): not a tracking
    code collision to retry, but step 2 again; nothing written."""
    from django.db import IntegrityError

    from intake import services, wizard
    from intake.services import submission

    fill_to_review(client, service, officer)
    options = wizard.options_for(RequestFactory().post(step(6)))  # as the review step's
    forms, bad_step = wizard.revalidate(Draft.objects.get(), options)
    assert bad_step is None
    attempts = []

    def write(*args):
        attempts.append(1)
        raise IntegrityError("insert or update violates foreign key constraint")

    monkeypatch.setattr(submission, "write", write)
    service.unpublish()  # after the validation, before the write
    with pytest.raises(services.StepsIncomplete) as raised:
        services.submit_request(Draft.objects.get(), options, forms=forms)
    assert raised.value.step == 2 and len(attempts) == 1
    assert not ServiceRequest.objects.exists()


def test_final_submission_validates_every_step_again(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    service.unpublish()
    # The service is validated with step 2, where another one can be chosen.
    response = client.post(step(6), {"action": "next"})
    assert response["Location"] == step(2)
    assert not ServiceRequest.objects.exists()
    assert client.get(step(6))["Location"] == step(2)  # the review too


def test_a_draft_without_consent_goes_back_to_the_choice(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    Draft.objects.update(consented_at=None)
    for response in (client.get(step(6)), client.post(step(6), {"action": "next"})):
        assert response.status_code == 302 and response["Location"] == BASE
    assert not ServiceRequest.objects.exists()


def test_personal_data_never_in_urls(client, intake_page, service, officer):
    responses = []
    fill_to_review(client, service, officer)
    responses.append(client.post(step(6), {"action": "next"}))
    request_obj = ServiceRequest.objects.get()
    for response in responses:
        location = response["Location"]
        for secret in (request_obj.national_code, request_obj.mobile, request_obj.tracking_code):
            assert secret not in location


def test_pages_are_not_cached(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    for url in (BASE, step(1), step(4), step(6)):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
    client.post(step(6), {"action": "next"})
    assert "no-store" in client.get(BASE + "receipt/")["Cache-Control"]


def test_csrf_is_enforced(intake_page, service):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(
        BASE, {"unit": str(service.unit_id), "service": service.service_id, "agree": "on"}
    )
    assert response.status_code == 403
    assert not Draft.objects.exists()
    body = text(csrf_client.get(BASE))
    assert "csrfmiddlewaretoken" in body


@override_settings(INTAKE_SUBMIT_RATE="2/600")
def test_final_submissions_are_rate_limited_per_client(intake_page, service, officer):
    for _ in range(2):
        client = Client()
        fill_to_review(client, service, officer)
        assert client.post(step(6), {"action": "next"}).status_code == 302
    client = Client()
    fill_to_review(client, service, officer)
    response = client.post(step(6), {"action": "next"})
    assert response.status_code == 429
    assert "درخواست شما ثبت نشد" in text(response)
    assert ServiceRequest.objects.count() == 2
    other = Client(REMOTE_ADDR="10.1.2.3")
    fill_to_review(other, service, officer)
    assert other.post(step(6), {"action": "next"}).status_code == 302


def test_receipt_needs_the_submitting_session(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    client.post(step(6), {"action": "next"})
    assert Client().get(BASE + "receipt/")["Location"] == BASE
    assert Client().get(BASE + "receipt/pdf/")["Location"] == BASE


def test_receipt_shows_everything_with_masked_national_code(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    client.post(step(6), {"action": "next"})
    body = text(client.get(BASE + "receipt/"))
    assert "رسید خدمت" in body
    assert "۰۴۹****۸۹۹" in body and "۰۴۹۹۳۷۰۸۹۹" not in body
    assert "۷ روز کاری" in body
    assert "ساعت" in body  # Jalali submission time
    assert "مریم احمدی" in body and "ریاست سازمان" in body
    assert "۱۴۰۵/۰۹/۰۳" in body
    assert "کپی کد پیگیری" in body
    # Recorded with the request; on_commit (the queue) did not run in this test.
    assert "پیامک کد پیگیری در صف ارسال است" in body


def test_the_final_submission_leaves_the_session_alone(client, intake_page, service, officer):
    """The draft's key is the request's submission key: the session keeps it and the
    receipt finds the request by it (no session write on the final POST)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fill_to_review(client, service, officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(step(6), {"action": "next"})
    assert response["Location"] == BASE + "receipt/"
    assert not [
        q
        for q in queries.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]
    first = ServiceRequest.objects.get()
    assert first.tracking_code in client.get(BASE + "receipt/").content.decode()
    # The wizard's steps now lead to the receipt (step 6) or a new request (the others).
    assert client.get(step(6))["Location"] == BASE + "receipt/"
    assert client.get(step(3))["Location"] == BASE


def test_a_new_request_keeps_the_last_receipt_until_it_is_submitted(client, intake_page, service, officer):
    fill_to_review(client, service, officer)
    client.post(step(6), {"action": "next"})
    first = ServiceRequest.objects.get()
    choose(client, service)  # a new draft: the choice page starts empty, the receipt stays
    assert Draft.objects.filter(submitted_at__isnull=True).count() == 1
    assert first.tracking_code in client.get(BASE + "receipt/").content.decode()
    fill_to_review(client, service, officer)
    client.post(step(6), {"action": "next"})
    second = ServiceRequest.objects.exclude(pk=first.pk).get()
    receipt = client.get(BASE + "receipt/").content.decode()
    assert second.tracking_code in receipt and first.tracking_code not in receipt
