"""The request lifecycle's data: the wizard's and the follow-up's pages (their
editable texts), drafts, requests, attachments, events, SMS records, official
responses, the survey, one-time codes and holidays.

Only intake.services writes ServiceRequest, RequestAttachment and RequestEvent;
only intake.drafts writes Draft and DraftFile. No model imports a view: the pages
are served by plain Django URLs (intake.urls, intake.followup.urls).
"""

import datetime
import uuid
from functools import cached_property

from django.conf import settings
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from .storage import private_storage

DEFAULT_VISIT_RESULTS = "\n".join(
    [
        "پاسخ داده شد",
        "نیاز به تکمیل مدارک",
        "ارجاع به واحد دیگر",
        "در حال رسیدگی",
        "پاسخی دریافت نشد",
    ]
)


def new_public_id():
    """12 random characters (about 62 bits) for Open311's service_request_id."""
    import secrets

    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


@register_setting(icon="form")
class IntakeSettings(BaseSiteSetting):
    """The wizard's editable lists (settings → تنظیمات ثبت درخواست)."""

    previous_visit_results = models.TextField(
        "گزینه‌های نتیجه مراجعه قبلی",
        default=DEFAULT_VISIT_RESULTS,
        help_text="هر گزینه در یک سطر.",
    )
    request_text_max_length = models.PositiveIntegerField("حداکثر طول متن درخواست (نویسه)", default=2000)

    panels = [FieldPanel("previous_visit_results"), FieldPanel("request_text_max_length")]

    class Meta:
        verbose_name = "تنظیمات ثبت درخواست"

    def visit_result_choices(self):
        lines = [line.strip() for line in self.previous_visit_results.splitlines()]
        return [line for line in lines if line]


class IntakePage(Page):
    """ثبت درخواست ارباب رجوع: the wizard's title and intro, edited here.

    Editors place it under the home page with the slug "request" (intake.demo does).
    The wizard itself is a set of Django views at the fixed address /request/
    (intake.urls, included before Wagtail's pages); they read this page's title and
    intro. Served by Wagtail (a preview, another slug), the page sends the visitor
    to the wizard.
    """

    intro = RichTextField("متن راهنما", blank=True, features=["bold", "italic", "link", "ul", "ol"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "صفحه ثبت درخواست"
        verbose_name_plural = "صفحه‌های ثبت درخواست"

    def serve(self, request, *args, **kwargs):
        return redirect(reverse("intake:choose"))

    def get_sitemap_urls(self, request=None):
        return []


class TrackPage(Page):
    """نظرسنجی و پیگیری درخواست: editors keep its title and intro texts here.

    Created by intake.demo with slug "track" under the home page. The follow-up
    pages under /track/ are Django views (intake.followup.urls, included before
    Wagtail's pages); they read this page's title and intro when it is live.
    Served by Wagtail (a preview, another slug), the page sends the visitor there.
    """

    intro = RichTextField("متن راهنما", blank=True, features=["bold", "italic", "link", "ul", "ol"])
    thanks = models.CharField(
        "متن سپاس",
        max_length=300,
        blank=True,
        default="از اینکه با تکمیل فرم مذکور سازمان را در بهبود ارائه خدمات یاری می نمائید. سپاسگزاریم.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("thanks")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "صفحه پیگیری درخواست"
        verbose_name_plural = "صفحه‌های پیگیری درخواست"

    def serve(self, request, *args, **kwargs):
        return redirect(reverse("track"))

    def get_sitemap_urls(self, request=None):
        return []


class Draft(models.Model):
    """A wizard in progress, keyed by a random id kept in the citizen's session.

    `data` holds what was typed per step (as strings), `completed` the steps that
    validated. Abandoned drafts are removed by `manage.py cleanup_intake_drafts`.
    """

    key = models.UUIDField("شناسه", default=uuid.uuid4, unique=True, editable=False)
    data = models.JSONField("داده‌ها", default=dict, blank=True)
    completed = models.JSONField("مراحل تکمیل‌شده", default=list, blank=True)
    consented_at = models.DateTimeField("زمان موافقت با قوانین", null=True, blank=True)
    created_at = models.DateTimeField("ایجاد", default=timezone.now)
    updated_at = models.DateTimeField("آخرین تغییر", default=timezone.now, db_index=True)
    submitted_at = models.DateTimeField("ثبت نهایی", null=True, blank=True)

    # Beside the DraftFile rows, data[FILES_KEY] lists them (these fields of each), so
    # the later steps and the final submission read no rows (intake.drafts keeps it).
    FILES_KEY = "files"
    FILE_FIELDS = ("id", "file", "original_name", "content_type", "size")

    class Meta:
        verbose_name = "پیش‌نویس درخواست"
        verbose_name_plural = "پیش‌نویس‌های درخواست"

    def __str__(self):
        return str(self.key)

    @cached_property
    def attachments(self):
        """The draft's files (DraftFile objects, in upload order) from the list in
        `data`: no query. Only a draft written before that list existed reads its rows."""
        listed = self.data.get(self.FILES_KEY)
        if listed is None:
            return list(self.files.all()) if self.pk else []
        return [DraftFile(draft=self, **{name: entry[name] for name in self.FILE_FIELDS}) for entry in listed]

    @classmethod
    def file_list(cls, files):
        """What data[FILES_KEY] holds for these DraftFile objects."""
        return [{**{name: getattr(f, name) for name in cls.FILE_FIELDS}, "file": f.file.name} for f in files]


class StoredFile(models.Model):
    """A checked, re-encoded upload kept in private storage under a generated name;
    the citizen's file name is kept only for display."""

    original_name = models.CharField("نام فایل", max_length=120)
    content_type = models.CharField("نوع", max_length=40)
    size = models.PositiveIntegerField("اندازه (بایت)")

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


class ResumeLink(models.Model):
    """A link to go on with a wizard draft in any browser («ذخیره و ادامه در زمانی
    دیگر»), sent by SMS to a mobile confirmed with a code. Only the SHA-256 of its random
    token is stored; it works once, until `expires_at` (72 hours). Written by
    intake.resume only."""

    draft = models.ForeignKey(
        Draft, verbose_name="پیش‌نویس", on_delete=models.CASCADE, related_name="resume_links"
    )
    token_hash = models.CharField("چکیده پیوند", max_length=64, unique=True)
    mobile = models.CharField("تلفن همراه", max_length=11)
    expires_at = models.DateTimeField("انقضا", db_index=True)
    used_at = models.DateTimeField("استفاده", null=True, blank=True)
    created_at = models.DateTimeField("ایجاد", default=timezone.now)

    class Meta:
        verbose_name = "پیوند ادامه ثبت"
        verbose_name_plural = "پیوندهای ادامه ثبت"

    def __str__(self):
        return f"پیوند ادامه پیش‌نویس {self.draft_id}"


class DraftFile(StoredFile):
    """An attachment uploaded to a draft: already checked and re-encoded."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("فایل", storage=private_storage, upload_to="drafts/%Y/%m/%d/", max_length=200)
    created_at = models.DateTimeField("بارگذاری", default=timezone.now)

    class Meta:
        verbose_name = "پیوست پیش‌نویس"
        verbose_name_plural = "پیوست‌های پیش‌نویس"
        ordering = ["created_at", "pk"]


class ServiceRequest(models.Model):
    """A citizen's request (درخواست ارباب رجوع), written by intake.services only."""

    class Status(models.TextChoices):
        RECEIVED = "received", "ثبت شده"
        IN_REVIEW = "in_review", "در حال بررسی"
        REFERRED = "referred", "ارجاع شده"
        WAITING = "waiting", "در انتظار تکمیل مدارک"
        ANSWERED = "answered", "پاسخ داده شده"
        CLOSED = "closed", "مختومه"

    # Still waiting for an answer; only these can be overdue.
    OPEN_STATUSES = (Status.RECEIVED, Status.IN_REVIEW, Status.REFERRED, Status.WAITING)

    tracking_code = models.CharField("کد پیگیری", max_length=16, unique=True)
    submission_key = models.UUIDField("کلید ثبت", unique=True, editable=False)
    status = models.CharField("وضعیت", max_length=20, choices=Status.choices, default=Status.RECEIVED)
    # The service, with what the citizen saw at the time.
    service = models.ForeignKey(
        "services.ServicePage",
        verbose_name="خدمت",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "services.OrgUnit",
        verbose_name="واحد سازمانی",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service_title = models.CharField("نوع خدمت", max_length=255)
    service_code = models.CharField("شناسه خدمت", max_length=11)
    unit_name = models.CharField("واحد سازمانی (نام)", max_length=200)
    processing_days = models.PositiveSmallIntegerField("مدت انجام (روز کاری)", null=True, blank=True)
    request_text = models.TextField("متن درخواست")
    consented_at = models.DateTimeField("زمان موافقت با قوانین")
    # The citizen.
    national_code = models.CharField("شماره ملی", max_length=10, db_index=True)
    first_name = models.CharField("نام", max_length=100)
    last_name = models.CharField("نام خانوادگی", max_length=100)
    mobile = models.CharField("تلفن همراه", max_length=11)
    landline = models.CharField("تلفن ثابت", max_length=11, blank=True)
    email = models.EmailField("ایمیل", blank=True)
    address = models.TextField("آدرس", blank=True)
    # The visit to the organisation.
    officer = models.ForeignKey(
        "services.Officer",
        verbose_name="متصدی",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    officer_name = models.CharField("نام و نام خانوادگی متصدی", max_length=200, blank=True)
    officer_position = models.CharField("سمت متصدی", max_length=200, blank=True)
    visit_date = models.DateField("تاریخ مراجعه", null=True, blank=True)
    previous_visit_result = models.CharField("نتیجه مراجعه قبلی", max_length=200, blank=True)
    visit_description = models.TextField("شرح مراجعه", blank=True)
    submitted_at = models.DateTimeField("زمان ثبت", default=timezone.now, db_index=True)
    # The back office.
    due_date = models.DateField(
        "مهلت پاسخ",
        null=True,
        blank=True,
        db_index=True,
        help_text="از زمان ثبت، به روز کاری (جمعه‌ها و تعطیلات رسمی شمرده نمی‌شوند).",
    )
    next_date = models.DateField(
        "تاریخ اقدام بعدی",
        null=True,
        blank=True,
        help_text="روزی که کارکنان برای گام بعدی (مانند مراجعه یا بازدید) اعلام کرده‌اند؛ به شهروند نشان داده می‌شود.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="کارشناس مسئول",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Missing documents (intake.services.workflow): when the request went into «در انتظار
    # تکمیل مدارک» (cleared when it leaves), the time it spent there in all (reports leave it
    # out of the time to answer), and when the citizen answered (the desk's «پاسخ شهروند»
    # flag, cleared by the next staff action).
    waiting_since = models.DateTimeField("در انتظار مدارک از", null=True, blank=True, editable=False)
    waiting_time = models.DurationField(
        "مدت انتظار برای مدارک", default=datetime.timedelta(0), editable=False
    )
    citizen_answered_at = models.DateTimeField(
        "پاسخ شهروند", null=True, blank=True, db_index=True, editable=False
    )
    # Open311's service_request_id: opaque, never the tracking code, no personal data.
    objection_to = models.ForeignKey(
        "intake.OfficialResponse",
        verbose_name="اعتراض به پاسخ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objections",
        help_text="این درخواست اعتراض شهروند به آن پاسخ رسمی است (intake.services.file_objection).",
    )
    public_id = models.CharField(
        "شناسه عمومی", max_length=16, unique=True, default=new_public_id, editable=False
    )

    class Meta:
        verbose_name = "درخواست"
        verbose_name_plural = "درخواست‌ها"
        ordering = ["-submitted_at"]
        permissions = [("view_reports", "مشاهده گزارش‌های درخواست‌ها")]
        constraints = [
            # One open objection per response (the writer also checks, with a message);
            # the statuses are OPEN_STATUSES (tests/intake/test_objection.py checks).
            models.UniqueConstraint(
                fields=["objection_to"],
                condition=models.Q(status__in=["received", "in_review", "referred", "waiting"]),
                name="intake_one_open_objection_per_response",
            )
        ]

    def __str__(self):
        return f"{self.tracking_code} — {self.service_title}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @classmethod
    def overdue_q(cls, today=None):
        """The one overdue rule: still open and due before today (on its due date a
        request is still on time). For querysets; is_overdue() for one request."""
        today = today or timezone.localdate()
        return models.Q(due_date__lt=today, status__in=cls.OPEN_STATUSES)

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return bool(self.due_date and self.due_date < today and self.status in self.OPEN_STATUSES)

    def announced_next_date(self, today=None):
        """The next date staff announced (a visit, the next step), while it is still to
        come and the request open; else None."""
        today = today or timezone.localdate()
        if self.next_date and self.next_date >= today and self.status in self.OPEN_STATUSES:
            return self.next_date
        return None

    @property
    def masked_national_code(self):
        """0499370899 -> 049****899 (ASCII; the templates show Persian digits)."""
        code = self.national_code
        return f"{code[:3]}****{code[-3:]}" if len(code) == 10 else code

    def latest_sms(self):
        """The last SMS recorded for the request (a handful at most; prefetched by the receipt)."""
        return max(
            self.sms_messages.all(), key=lambda message: (message.created_at, message.pk), default=None
        )

    def latest_receipt_email(self):
        """The last receipt email recorded for the request, or None (prefetched by the receipt)."""
        receipts = [message for message in self.email_messages.all() if message.kind == "receipt"]
        return max(receipts, key=lambda message: (message.created_at, message.pk), default=None)


class RequestAttachment(StoredFile):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    # The citizen's answer («پاسخ شهروند») the file came with; none for the submission's files.
    event = models.ForeignKey(
        "RequestEvent",
        verbose_name="رویداد",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField("فایل", storage=private_storage, upload_to="requests/%Y/%m/", max_length=200)

    class Meta:
        verbose_name = "پیوست درخواست"
        verbose_name_plural = "پیوست‌های درخواست"
        ordering = ["pk"]


class RequestEvent(models.Model):
    """One step in a request's history (سوابق): submission, assignment, answer..."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "ثبت درخواست"
        STATUS = "status", "تغییر وضعیت"
        NOTE = "note", "یادداشت"
        ASSIGNED = "assigned", "واگذاری به کارشناس"
        CITIZEN_ANSWER = "citizen_answer", "پاسخ شهروند"

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("نوع رویداد", max_length=20, choices=Kind.choices)
    status = models.CharField("وضعیت", max_length=20, choices=ServiceRequest.Status.choices)
    from_status = models.CharField(
        "وضعیت قبلی", max_length=20, choices=ServiceRequest.Status.choices, blank=True
    )
    # The public note is shown to the citizen; the internal note never is.
    note = models.TextField("توضیح عمومی", blank=True)
    internal_note = models.TextField("یادداشت داخلی", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="انجام‌دهنده",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    next_date = models.DateField("تاریخ اقدام بعدی", null=True, blank=True)
    created_at = models.DateTimeField("زمان", default=timezone.now)

    class Meta:
        verbose_name = "رویداد درخواست"
        verbose_name_plural = "رویدادهای درخواست"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.request_id})"


class SmsMessage(models.Model):
    """Every SMS the portal sends, with its outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "در صف ارسال"
        SENT = "sent", "ارسال شد"
        FAILED = "failed", "ارسال نشد"

    request = models.ForeignKey(
        ServiceRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="sms_messages"
    )
    recipient = models.CharField("گیرنده", max_length=11)
    text = models.TextField("متن")
    backend = models.CharField("درگاه", max_length=100)
    status = models.CharField("وضعیت", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("تعداد تلاش", default=0)
    provider_id = models.CharField("شناسه در درگاه", max_length=100, blank=True)
    last_error = models.TextField("آخرین خطا", blank=True)
    created_at = models.DateTimeField("ایجاد", default=timezone.now)
    updated_at = models.DateTimeField("آخرین تغییر", default=timezone.now)

    class Meta:
        verbose_name = "پیامک"
        verbose_name_plural = "پیامک‌ها"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.recipient}: {self.get_status_display()}"


class OfficialResponseQuerySet(models.QuerySet):
    def current(self):
        """The letters no correction has replaced (one per answered request)."""
        return self.filter(replaced_by__isnull=True)


class OfficialResponse(models.Model):
    """پاسخ رسمی: the organisation's answer (SPEC.md section 4), an official letter.

    Once issued it never changes: its signed PDF is made once, in the issuing
    transaction, and stored privately (`pdf`, with its SHA-256). A correction is a
    new letter for the same request that `replaces` the earlier one; each letter is
    replaced at most once (a one-to-one link), and a request has one original
    letter (the constraint below), so its letters form one chain whose last link
    is the current response (intake.letters, docs/letters.md).
    """

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="responses")
    replaces = models.OneToOneField(
        "self",
        verbose_name="جایگزین پاسخ",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replaced_by",
    )
    number = models.CharField("شماره پاسخ", max_length=20, unique=True)
    guid = models.UUIDField("شناسه یکتا", default=uuid.uuid4, unique=True, editable=False)
    response_date = models.DateField("تاریخ پاسخ")
    citizen_name = models.CharField("نام و نام خانوادگی ارباب رجوع", max_length=200)
    national_code = models.CharField("کد ملی", max_length=10)
    subject = models.CharField("موضوع", max_length=500, blank=True)
    organisation_name = models.CharField("نام سازمان", max_length=200, blank=True)
    legal_grounds = models.TextField("مستندات قانونی و استدلال های منجر به پاسخ ارائه شده")
    content = models.TextField("مفاد اصلی پاسخ")
    appeal = models.TextField("اعلام مرجع و مهلت اعتراض به پاسخ (تصمیم)")
    notes = models.TextField("توضیحات", blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signer_name = models.CharField("نام امضاکننده", max_length=200, blank=True)
    signer_position = models.CharField("سمت امضاکننده", max_length=200, blank=True)
    signer_national_code = models.CharField("کد ملی امضاکننده", max_length=10, blank=True)
    pdf = models.FileField(
        "نامه امضاشده", storage=private_storage, upload_to="letters/%Y/", max_length=200, blank=True
    )
    pdf_sha256 = models.CharField("چکیده SHA-256 نامه", max_length=64, blank=True)
    qr_text = models.TextField("متن کد QR (شمس)", blank=True)
    objection_unit = models.ForeignKey(
        "services.OrgUnit",
        verbose_name="مرجع رسیدگی به اعتراض",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    objection_unit_name = models.CharField("مرجع رسیدگی به اعتراض (نام)", max_length=200, blank=True)
    objection_deadline = models.DateField(
        "مهلت اعتراض",
        null=True,
        blank=True,
        help_text="آخرین روزی که شهروند می‌تواند برخط اعتراض کند (روز کاری، از تاریخ پاسخ).",
    )
    created_at = models.DateTimeField("زمان صدور", default=timezone.now)

    objects = OfficialResponseQuerySet.as_manager()

    class Meta:
        verbose_name = "پاسخ رسمی"
        verbose_name_plural = "پاسخ‌های رسمی"
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(replaces__isnull=True),
                name="intake_one_original_response_per_request",
            )
        ]

    def __str__(self):
        return self.number

    def get_verify_url(self):
        """The public verification page of this letter (no personal data there)."""
        return reverse("letter_verify", args=(self.guid,))


class Signatory(models.Model):
    """امضاکننده: what a staff member's letters carry under the signature (name,
    position, national code for the «شمس» QR). Issuing a response needs one for
    the signer; a unit head (رئیس واحد) may be chosen to sign for their unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="کاربر", on_delete=models.CASCADE, related_name="signatory"
    )
    full_name = models.CharField("نام و نام خانوادگی", max_length=200)
    position = models.CharField("سمت", max_length=200)
    national_code = models.CharField("کد ملی", max_length=10)
    unit = models.ForeignKey(
        "services.OrgUnit",
        verbose_name="واحد سازمانی",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit_head = models.BooleanField("رئیس واحد", default=False)

    panels = [
        FieldPanel("user"),
        FieldPanel("full_name"),
        FieldPanel("position"),
        FieldPanel("national_code"),
        FieldPanel("unit"),
        FieldPanel("unit_head"),
    ]

    class Meta:
        verbose_name = "امضاکننده"
        verbose_name_plural = "امضاکنندگان"
        ordering = ["full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.position})"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .validators import normalise_national_code

        try:
            self.national_code = normalise_national_code(self.national_code)
        except ValidationError as error:
            raise ValidationError({"national_code": error.messages}) from None


class ResponseCounter(models.Model):
    """The last response number issued in a Jalali year (locked while issuing)."""

    year = models.PositiveSmallIntegerField("سال", unique=True)
    last = models.PositiveIntegerField("آخرین شماره", default=0)

    class Meta:
        verbose_name = "شمارنده پاسخ"
        verbose_name_plural = "شمارنده‌های پاسخ"

    def __str__(self):
        return f"{self.year}: {self.last}"


class SurveyAxis(models.Model):
    """محور سنجشی: editable in the admin (snippets)."""

    title = models.CharField("عنوان محور", max_length=200)
    sort_order = models.PositiveSmallIntegerField("ترتیب", default=0)

    panels = [FieldPanel("title"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = "محور سنجشی"
        verbose_name_plural = "محورهای سنجشی"
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.title


class SurveyQuestion(models.Model):
    """A question of the survey (پرسشنامه); `reversed` when «خیلی زیاد» means low satisfaction."""

    axis = models.ForeignKey(
        SurveyAxis, verbose_name="محور", on_delete=models.PROTECT, related_name="questions"
    )
    number = models.PositiveSmallIntegerField("شماره", unique=True)
    text = models.TextField("متن پرسش")
    reversed = models.BooleanField("معکوس", default=False)
    active = models.BooleanField("فعال", default=True)

    panels = [
        FieldPanel("axis"),
        FieldPanel("number"),
        FieldPanel("text"),
        FieldPanel("reversed"),
        FieldPanel("active"),
    ]

    class Meta:
        verbose_name = "پرسش نظرسنجی"
        verbose_name_plural = "پرسش‌های نظرسنجی"
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.text}"


class SurveyResponse(models.Model):
    """One survey per request: the citizen's details, answers and scores (0-100)."""

    class Gender(models.TextChoices):
        FEMALE = "female", "زن"
        MALE = "male", "مرد"

    class AgeGroup(models.TextChoices):
        UNDER_25 = "u25", "کمتر از ۲۵ سال"
        FROM_25 = "25_40", "۲۵ تا ۴۰ سال"
        FROM_40 = "40_60", "۴۰ تا ۶۰ سال"
        OVER_60 = "o60", "بیشتر از ۶۰ سال"

    class Education(models.TextChoices):
        SCHOOL = "school", "زیر دیپلم"
        DIPLOMA = "diploma", "دیپلم"
        BACHELOR = "bachelor", "کاردانی و کارشناسی"
        GRADUATE = "graduate", "کارشناسی ارشد و بالاتر"

    class Relation(models.TextChoices):
        SELF = "self", "خود متقاضی هستم"
        PROXY = "proxy", "از طرف متقاضی اقدام می‌کنم"

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="survey")
    gender = models.CharField("جنسیت", max_length=10, choices=Gender.choices)
    age_group = models.CharField("گروه سنی", max_length=10, choices=AgeGroup.choices)
    education = models.CharField("تحصیلات", max_length=10, choices=Education.choices)
    relation = models.CharField("نسبت با متقاضی", max_length=10, choices=Relation.choices)
    answers = models.JSONField("پاسخ‌ها", default=dict)
    axis_scores = models.JSONField("امتیاز محورها", default=dict)
    overall_score = models.DecimalField("امتیاز کل", max_digits=5, decimal_places=2)
    created_at = models.DateTimeField("زمان ثبت", default=timezone.now)

    class Meta:
        verbose_name = "نظرسنجی"
        verbose_name_plural = "نظرسنجی‌ها"

    def __str__(self):
        return f"{self.request_id}: {self.overall_score}"


class OneTimeCode(models.Model):
    """A 6-digit SMS code (stored hashed) for one purpose: a request or a history lookup."""

    purpose = models.CharField("کاربرد", max_length=100, db_index=True)
    code_hash = models.CharField("چکیده کد", max_length=128)
    mobile = models.CharField("تلفن همراه", max_length=11)
    attempts = models.PositiveSmallIntegerField("تعداد تلاش", default=0)
    used_at = models.DateTimeField("استفاده", null=True, blank=True)
    expires_at = models.DateTimeField("انقضا")
    created_at = models.DateTimeField("ایجاد", default=timezone.now)

    class Meta:
        verbose_name = "کد یک‌بار مصرف"
        verbose_name_plural = "کدهای یک‌بار مصرف"

    def __str__(self):
        return self.purpose


class Holiday(models.Model):
    """An official holiday (تعطیل رسمی): not a working day for due dates.
    Fridays are never working days and need no entry."""

    date = models.DateField("تاریخ", unique=True)
    title = models.CharField("مناسبت", max_length=200)

    # A change is a new content version (intake.apps): due dates are shown publicly.

    class Meta:
        verbose_name = "تعطیل رسمی"
        verbose_name_plural = "تعطیلات رسمی"
        ordering = ["date"]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"


class EmailMessage(models.Model):
    """Every email the portal sends a citizen (the receipt with its PDF, a status
    change), with its outcome: recorded like SmsMessage, delivered by the task
    intake.tasks.send_email. The text and HTML are kept as written at the time."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "رسید خدمت"
        STATUS = "status", "تغییر وضعیت"

    class Status(models.TextChoices):
        PENDING = "pending", "در صف ارسال"
        SENT = "sent", "ارسال شد"
        FAILED = "failed", "ارسال نشد"

    request = models.ForeignKey(
        ServiceRequest,
        verbose_name="درخواست",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="email_messages",
    )
    kind = models.CharField("نوع", max_length=10, choices=Kind.choices)
    recipient = models.EmailField("گیرنده")
    subject = models.CharField("موضوع", max_length=255)
    text = models.TextField("متن")
    html = models.TextField("متن HTML")
    status = models.CharField("وضعیت", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("تعداد تلاش", default=0)
    last_error = models.TextField("آخرین خطا", blank=True)
    created_at = models.DateTimeField("ایجاد", default=timezone.now)
    updated_at = models.DateTimeField("آخرین تغییر", default=timezone.now)

    class Meta:
        verbose_name = "ایمیل"
        verbose_name_plural = "ایمیل‌ها"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_status_display()}"
