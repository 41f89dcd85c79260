import re

from intake.models import RequestEvent, ServiceRequest, SmsMessage
from intake.tracking import is_valid_tracking_code
from tests.intake.helpers import BASE, fill_to_review, step


def test_whole_journey_creates_one_request_and_shows_the_receipt(
    client, intake_page, service, officer, django_capture_on_commit_callbacks
):
    response = client.get(BASE + f"?service={service.service_id}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    fill_to_review(client, service, officer)
    review = client.get(step(6))
    assert review.status_code == 200
    body = review.content.decode()
    assert "ثبت نهایی درخواست" in body
    assert "۰۴۹۹۳۷۰۸۹۹" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step(6), {"action": "next"})
    assert response.status_code == 302
    assert response["Location"].endswith("/request/receipt/")
    request_obj = ServiceRequest.objects.get()
    assert is_valid_tracking_code(request_obj.tracking_code)
    assert request_obj.national_code == "0499370899"
    assert request_obj.first_name == "علی"
    assert request_obj.last_name == "کریمی"
    assert request_obj.mobile == "09121234567"
    assert request_obj.landline == "02112345678"
    assert request_obj.email == "citizen@example.com"
    assert request_obj.address == "تهران، خیابان آزادی، پلاک 12"
    assert request_obj.officer == officer
    assert request_obj.officer_position == "ریاست سازمان"
    assert str(request_obj.visit_date) == "2026-11-24"
    assert request_obj.consented_at is not None
    assert RequestEvent.objects.filter(request=request_obj, kind="submitted").count() == 1
    receipt = client.get(response["Location"])
    text = receipt.content.decode()
    assert "کد پیگیری شما" in text
    from portal.persian import to_persian_digits

    # In groups of four (<span>s, no spaces between them): the text reads as one code.
    assert to_persian_digits(request_obj.tracking_code) in re.sub(r"<[^>]+>", "", text)
    assert "no-store" in receipt["Cache-Control"]
    sms = SmsMessage.objects.get(request=request_obj)
    assert sms.status == "sent" and sms.attempts == 1
    assert "پیامک کد پیگیری" in text
