"""Demo back office (run by `manage.py load_demo` after intake.demo; idempotent):
one user per role and a dozen requests in every status.

Passwords are set only where settings.DEMO_ADMIN_ALLOWED (development and tests);
elsewhere the users exist with unusable passwords. The demo requests are made
where settings.DESK_DEMO_REQUESTS is true (default: the development settings,
DEBUG with DEMO_ADMIN_ALLOWED) — never in production, where their status SMS
would go to made-up numbers, and not in tests that expect only their own
requests. The users are listed in the README («کاربران نمایشی»).
"""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from intake import holidays, services
from intake.models import RequestEvent, ServiceRequest
from intake.tracking import damm_check_digit
from services.demo import EVALUATION, RURAL, STATISTICS, TECHNICAL
from services.models import OrgUnit, ServicePage

from . import scoping
from .models import StaffProfile
from .roles import ensure_roles

# username, password, first name, last name, role group, units
USERS = [
    ("editor", "editor-demo-1405", "نسرین", "ویراستار", scoping.EDITORS, []),
    ("desk1", "desk1-demo-1405", "کامران", "میزخدمتی", scoping.DESK_STAFF, [RURAL, EVALUATION]),
    ("desk2", "desk2-demo-1405", "شیرین", "پاسخگو", scoping.DESK_STAFF, [TECHNICAL, STATISTICS]),
    ("manager", "manager-demo-1405", "بهرام", "مدیرکل", scoping.MANAGERS, []),
]

Status = ServiceRequest.Status
# (unit, final status, days ago, citizen first/last name, national code, assigned to desk1)
REQUESTS = [
    (RURAL, Status.RECEIVED, 1, "علی", "کریمی", "0499370899", False),
    (RURAL, Status.RECEIVED, 25, "مریم", "احمدی", "0013542419", False),  # overdue
    (EVALUATION, Status.IN_REVIEW, 4, "حسین", "نوری", "0790419904", True),
    (EVALUATION, Status.IN_REVIEW, 30, "زهرا", "صادقی", "1111111111", True),  # overdue
    (RURAL, Status.REFERRED, 6, "رضا", "جعفری", "0084575948", False),
    (TECHNICAL, Status.REFERRED, 3, "سارا", "قاسمی", "0499370899", False),
    (RURAL, Status.WAITING, 8, "مهدی", "عباسی", "0013542419", True),
    (STATISTICS, Status.WAITING, 5, "لیلا", "حیدری", "0790419904", False),
    (EVALUATION, Status.ANSWERED, 12, "امیر", "رحیمی", "0084575948", True),
    (TECHNICAL, Status.ANSWERED, 10, "الهام", "یوسفی", "0499370899", False),
    (RURAL, Status.CLOSED, 40, "بهروز", "اکبری", "0013542419", False),
    (STATISTICS, Status.CLOSED, 35, "پریسا", "مرادی", "0790419904", False),
]
# The path from received to each status (answered through the official response).
PATHS = {
    Status.RECEIVED: [],
    Status.IN_REVIEW: [Status.IN_REVIEW],
    Status.REFERRED: [Status.IN_REVIEW, Status.REFERRED],
    Status.WAITING: [Status.IN_REVIEW, Status.WAITING],
    Status.ANSWERED: [Status.IN_REVIEW, Status.ANSWERED],
    Status.CLOSED: [Status.IN_REVIEW, Status.ANSWERED, Status.CLOSED],
}
NOTES = {
    Status.IN_REVIEW: ("درخواست شما در دست بررسی است.", "مدارک پیوست کامل است."),
    Status.REFERRED: ("درخواست به واحد مربوط ارجاع شد.", "موضوع در حیطه این واحد نیست."),
    Status.WAITING: ("لطفاً تصویر کارت ملی را به واحد تحویل دهید.", "منتظر مدرک هویتی."),
    Status.CLOSED: ("پرونده درخواست مختومه شد.", ""),
}
NAMESPACE = uuid.UUID("6f1c1a4e-1405-4d0e-9a1e-5e3f0c0d0e5a")


def load(ctx):
    users = ensure_users(ctx)
    if not demo_requests_enabled():
        return
    made = 0
    for number, row in enumerate(REQUESTS, start=1):
        if make_request(number, row, users):
            made += 1
    if made:
        ctx.say(f"{made} demo requests created")


def demo_requests_enabled():
    default = settings.DEBUG and settings.DEMO_ADMIN_ALLOWED
    return getattr(settings, "DESK_DEMO_REQUESTS", default)


def ensure_users(ctx):
    # The roles' groups and permissions, as every migrate leaves them (desk.roles), made
    # sure of here too: the editors' rights on the page tree need the root page, which a
    # flushed test database gets only after its last migrate.
    ensure_roles()
    User = get_user_model()
    users = {}
    for username, password, first_name, last_name, group, unit_names in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first_name, last_name=last_name, email="")
            if settings.DEMO_ADMIN_ALLOWED:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=group))
            if unit_names:
                profile, _ = StaffProfile.objects.get_or_create(user=user)
                profile.units.set(OrgUnit.objects.filter(name__in=unit_names, locale=ctx.locale))
            ctx.say(f"demo user {username} ({group})")
        users[username] = user
    ensure_signatories(ctx, users)
    return users


# Who signs the demo letters (intake.models.Signatory): national codes with valid check digits.
SIGNATORIES = {
    "desk1": ("کارشناس میز خدمت", "0011223340", None),
    "desk2": ("کارشناس میز خدمت", "0022334459", None),
    "manager": ("رئیس اداره ارزیابی عملکرد", "0033445567", EVALUATION),
}


def ensure_signatories(ctx, users):
    from intake.models import Signatory

    for username, (position, national_code, head_of) in SIGNATORIES.items():
        user = users[username]
        unit = OrgUnit.objects.filter(name=head_of, locale=ctx.locale).first() if head_of else None
        Signatory.objects.get_or_create(
            user=user,
            defaults={
                "full_name": user.get_full_name() or username,
                "position": position,
                "national_code": national_code,
                "unit": unit,
                "unit_head": unit is not None,
            },
        )


def demo_tracking_code(number):
    payload = f"90000000000{number:04d}"
    return payload + damm_check_digit(payload)


def make_request(number, row, users):
    unit_name, final, days_ago, first_name, last_name, national_code, assigned = row
    key = uuid.uuid5(NAMESPACE, str(number))
    if ServiceRequest.objects.filter(submission_key=key).exists():
        return None
    unit = OrgUnit.objects.filter(name=unit_name).first()
    service = ServicePage.objects.live().filter(unit=unit).order_by("path").first()
    if unit is None or service is None:
        return None
    submitted = timezone.now() - datetime.timedelta(days=days_ago, hours=number)
    # Written like intake.services writes a submission (a demo has no wizard draft).
    req = ServiceRequest.objects.create(
        tracking_code=demo_tracking_code(number),
        submission_key=key,
        service=service,
        unit=unit,
        service_title=service.title,
        service_code=service.service_id,
        unit_name=unit.name,
        processing_days=service.processing_days,
        request_text=f"درخواست نمونه شماره {number}: لطفاً درباره «{service.title}» رسیدگی کنید.",
        consented_at=submitted,
        national_code=national_code,
        first_name=first_name,
        last_name=last_name,
        mobile=f"0912000{number:04d}",
        address="تبریز، خیابان امام، کوچه نمونه",
        submitted_at=submitted,
        due_date=holidays.due_date(submitted, service.processing_days),
    )
    RequestEvent.objects.create(
        request=req,
        kind=RequestEvent.Kind.SUBMITTED,
        status=Status.RECEIVED,
        note="درخواست از درگاه ثبت شد.",
        created_at=submitted,
    )
    staff = users["desk1"] if unit_name in (RURAL, EVALUATION) else users["desk2"]
    if assigned:
        services.assign(req, staff, staff, internal_note="نمونه")
    for step in PATHS[final]:
        if step == Status.ANSWERED:
            services.issue_response(
                req,
                staff,
                legal_grounds="ماده ۵ آیین‌نامه اجرایی قانون ارتقای سلامت نظام اداری",
                content="با درخواست شما موافقت شد؛ نتیجه به واحد مربوط ابلاغ شده است.",
                appeal="دیوان عدالت اداری، ظرف سه ماه از تاریخ ابلاغ",
                notes="نمونه پاسخ رسمی",
            )
        elif step == Status.REFERRED:
            target = OrgUnit.objects.filter(name=STATISTICS if unit_name != STATISTICS else RURAL).first()
            public, internal = NOTES[step]
            services.transition(req, step, staff, public_note=public, internal_note=internal, unit=target)
        else:
            public, internal = NOTES.get(step, ("", ""))
            services.transition(req, step, staff, public_note=public, internal_note=internal)
    return req
