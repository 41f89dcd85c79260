"""The request lifecycle: the wizard's page, drafts, requests, attachments,
events and SMS records.

Only intake.services writes ServiceRequest, RequestAttachment and RequestEvent.
"""

import uuid

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
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


class IntakePage(RoutablePageMixin, Page):
    """ثبت درخواست ارباب رجوع: the page that embeds the six-step wizard.

    Editors place it under the home page (slug "request", so it is /request/);
    the routes (choose service, six steps, receipt, PDF) live in intake.views.
    """

    intro = RichTextField("متن راهنما", blank=True, features=["bold", "italic", "link", "ul", "ol"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "صفحه ثبت درخواست"
        verbose_name_plural = "صفحه‌های ثبت درخواست"

    @path("")
    def choose_service(self, request):
        from . import views

        return views.choose_service(request, self)

    @path("facets/<str:service_id>/")
    def facets(self, request, service_id):
        from . import views

        return views.facets_fragment(request, self, service_id)

    @path("step/<int:step>/")
    def step(self, request, step):
        from . import views

        return views.wizard_step(request, self, step)

    @path("receipt/")
    def receipt(self, request):
        from . import views

        return views.receipt(request, self)

    @path("receipt/pdf/")
    def receipt_pdf(self, request):
        from . import views

        return views.receipt_pdf(request, self)

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

    class Meta:
        verbose_name = "پیش‌نویس درخواست"
        verbose_name_plural = "پیش‌نویس‌های درخواست"

    def __str__(self):
        return str(self.key)


class DraftFile(models.Model):
    """An attachment uploaded to a draft: already checked and re-encoded."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("فایل", storage=private_storage, upload_to="drafts/%Y/%m/%d/", max_length=200)
    original_name = models.CharField("نام فایل", max_length=120)
    content_type = models.CharField("نوع", max_length=40)
    size = models.PositiveIntegerField("اندازه (بایت)")
    created_at = models.DateTimeField("بارگذاری", default=timezone.now)

    class Meta:
        verbose_name = "پیوست پیش‌نویس"
        verbose_name_plural = "پیوست‌های پیش‌نویس"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name


class ServiceRequest(models.Model):
    """A citizen's request (درخواست ارباب رجوع), written by intake.services only."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "ثبت شده"
        IN_PROGRESS = "in_progress", "در حال رسیدگی"
        ANSWERED = "answered", "پاسخ داده شده"
        CLOSED = "closed", "بسته شده"

    tracking_code = models.CharField("کد پیگیری", max_length=16, unique=True)
    submission_key = models.UUIDField("کلید ثبت", unique=True, editable=False)
    status = models.CharField("وضعیت", max_length=20, choices=Status.choices, default=Status.SUBMITTED)
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

    class Meta:
        verbose_name = "درخواست"
        verbose_name_plural = "درخواست‌ها"
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.tracking_code} — {self.service_title}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_national_code(self):
        """0499370899 -> 049****899 (ASCII; the templates show Persian digits)."""
        code = self.national_code
        return f"{code[:3]}****{code[-3:]}" if len(code) == 10 else code

    def latest_sms(self):
        return self.sms_messages.order_by("-created_at", "-pk").first()


class RequestAttachment(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("فایل", storage=private_storage, upload_to="requests/%Y/%m/", max_length=200)
    original_name = models.CharField("نام فایل", max_length=120)
    content_type = models.CharField("نوع", max_length=40)
    size = models.PositiveIntegerField("اندازه (بایت)")

    class Meta:
        verbose_name = "پیوست درخواست"
        verbose_name_plural = "پیوست‌های درخواست"
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class RequestEvent(models.Model):
    """One step in a request's history (سوابق): submission, assignment, answer..."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "ثبت درخواست"
        STATUS = "status", "تغییر وضعیت"
        NOTE = "note", "یادداشت"

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("نوع رویداد", max_length=20, choices=Kind.choices)
    status = models.CharField("وضعیت", max_length=20, choices=ServiceRequest.Status.choices)
    note = models.TextField("توضیح", blank=True)
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
