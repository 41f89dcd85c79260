"""Requests made directly (without walking the wizard) for the follow-up tests."""

import uuid

from django.utils import timezone

from intake.models import RequestEvent, ServiceRequest
from intake.tracking import generate_tracking_code

NATIONAL_CODE = "0499370899"
MOBILE = "09121234567"
SIGNER_NATIONAL_CODE = "0012345679"


def signatory(user, **extra):
    """The user may sign official letters (issue_response needs the signer's national code)."""
    from intake.models import Signatory

    values = {
        "full_name": "مریم احمدی",
        "position": "کارشناس میز خدمت",
        "national_code": SIGNER_NATIONAL_CODE,
    }
    return Signatory.objects.get_or_create(user=user, defaults={**values, **extra})[0]


def default_signer():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get_or_create(username="letter-signer")[0]
    return signatory(user)


def make_request(service, national_code=NATIONAL_CODE, mobile=MOBILE, **extra):
    now = timezone.now()
    request_obj = ServiceRequest.objects.create(
        tracking_code=generate_tracking_code(),
        submission_key=uuid.uuid4(),
        service=service,
        unit=service.unit,
        service_title=service.title,
        service_code=service.service_id,
        unit_name=service.unit.name,
        processing_days=service.processing_days,
        request_text="درخواست بررسی عملکرد دهیاری",
        consented_at=now,
        national_code=national_code,
        first_name="علی",
        last_name="کریمی",
        mobile=mobile,
        submitted_at=now,
        **extra,
    )
    RequestEvent.objects.create(
        request=request_obj,
        kind=RequestEvent.Kind.SUBMITTED,
        status=ServiceRequest.Status.RECEIVED,
        note="درخواست از درگاه ثبت شد.",
        created_at=now,
    )
    return request_obj


def answer(request_obj, actor=None, internal_note="یادداشت محرمانه کارکنان ۷۷۷"):
    from intake import services

    services.transition(
        request_obj, "in_review", actor, public_note="بررسی آغاز شد.", internal_note=internal_note
    )
    return services.issue_response(
        request_obj,
        actor,
        legal_grounds="ماده ۱۰ قانون",
        content="درخواست شما پذیرفته شد.",
        appeal="دیوان عدالت اداری تا ۳۰ روز",
        notes="توضیح پایانی",
        internal_note=internal_note,
        signer=None if actor is not None and hasattr(actor, "signatory") else default_signer(),
    )
