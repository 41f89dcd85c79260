"""Content pages editors manage: information packages, rules and regulations,
questions and answers, required forms and form-builder pages."""

from django.db import models
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, FormSubmission
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from portal.jalali import JalaliDateField
from portal.persian import document_description

from .blocks import RICH_FEATURES, BodyBlock, QuestionGroupBlock
from .display import rich_text_html
from .forms import PortalFormBuilder


class IntroMixin:
    """The editor's introduction as HTML with Persian digits."""

    def intro_html(self):
        return rich_text_html(self.intro)


class InfoPackageIndexPage(IntroMixin, Page):
    """بسته اطلاع رسانی: the list of information packages."""

    intro = RichTextField("مقدمه", blank=True, features=RICH_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["cms_pages.InfoPackagePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "فهرست بسته‌های اطلاع رسانی"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["packages"] = InfoPackagePage.objects.live().public().child_of(self)
        return context


class InfoPackagePage(Page):
    """One information package (بسته اطلاع رسانی), optionally about one service."""

    summary = models.TextField("خلاصه", max_length=500)
    service = models.ForeignKey(
        "services.ServicePage",
        verbose_name="خدمت مرتبط",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name="متن")

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("service"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms_pages.InfoPackageIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "بسته اطلاع رسانی"
        verbose_name_plural = "بسته‌های اطلاع رسانی"

    def body_blocks(self):
        """The body without a first heading that only repeats the page's title."""
        blocks = list(self.body)
        if (
            blocks
            and blocks[0].block_type == "heading"
            and str(blocks[0].value).strip() == self.title.strip()
        ):
            blocks = blocks[1:]
        return blocks


class RulesIndexPage(IntroMixin, Page):
    """قوانین و مقررات: the list of rules and regulations."""

    intro = RichTextField("مقدمه", blank=True, features=RICH_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["cms_pages.RulesPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "فهرست قوانین و مقررات"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["rules"] = (
            RulesPage.objects.live().public().child_of(self).order_by("-in_force", "-effective_date")
        )
        return context


class RulesPage(Page):
    """One law, regulation or circular (قانون، آیین‌نامه یا بخشنامه)."""

    class Kind(models.TextChoices):
        LAW = "law", "قانون"
        REGULATION = "regulation", "آیین‌نامه"
        DIRECTIVE = "directive", "دستورالعمل"
        CIRCULAR = "circular", "بخشنامه"

    kind = models.CharField("نوع", max_length=16, choices=Kind.choices, default=Kind.REGULATION)
    approving_authority = models.CharField("مرجع تصویب", max_length=200)
    reference_number = models.CharField("شماره مصوبه", max_length=64, blank=True)
    effective_date = JalaliDateField("تاریخ اجرا", help_text="به تاریخ شمسی، مانند ۱۴۰۳/۰۱/۰۱")
    in_force = models.BooleanField("لازم‌الاجرا", default=True)
    summary = models.TextField("خلاصه", max_length=500)
    body = StreamField(BodyBlock(), verbose_name="متن")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("reference_number")]),
                FieldPanel("approving_authority"),
                FieldRowPanel([FieldPanel("effective_date"), FieldPanel("in_force")]),
            ],
            heading="مشخصات",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms_pages.RulesIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "قوانین و مقررات"
        verbose_name_plural = "قوانین و مقررات"


class FAQPage(IntroMixin, Page):
    """پرسش و پاسخ: questions and answers, grouped."""

    intro = RichTextField("مقدمه", blank=True, features=RICH_FEATURES)
    groups = StreamField([("group", QuestionGroupBlock())], verbose_name="گروه‌های پرسش")

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("groups")]
    search_fields = [*Page.search_fields, index.SearchField("groups")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "پرسش و پاسخ"
        verbose_name_plural = "صفحه‌های پرسش و پاسخ"


class RequiredFormsPage(IntroMixin, Page):
    """فرمهای مورد نیاز جهت دریافت خدمات: downloadable forms, grouped by service."""

    intro = RichTextField("مقدمه", blank=True, features=RICH_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("forms", heading="فرم‌ها", label="فرم"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "فرمهای مورد نیاز جهت دریافت خدمات"
        verbose_name_plural = "صفحه‌های فرمهای مورد نیاز"

    def grouped_forms(self):
        """[(service or None, [items])] in the editor's order, one query."""
        groups = {}
        for item in self.forms.select_related("service", "document"):
            groups.setdefault(item.service, []).append(item)
        return list(groups.items())


class RequiredFormItem(TranslatableMixin, Orderable):
    page = ParentalKey("cms_pages.RequiredFormsPage", on_delete=models.CASCADE, related_name="forms")
    service = models.ForeignKey(
        "services.ServicePage",
        verbose_name="خدمت",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField("عنوان فرم", max_length=200)
    description = models.TextField("توضیح", blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="فایل فرم", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("service"), FieldPanel("title"), FieldPanel("description"), FieldPanel("document")]

    def document_description(self):
        """«PDF، ۱۲۳ کیلوبایت»"""
        return document_description(self.document)

    class Meta(TranslatableMixin.Meta):
        verbose_name = "فرم مورد نیاز"
        verbose_name_plural = "فرم‌های مورد نیاز"
        ordering = ["sort_order"]


class FormPageSubmission(FormSubmission):
    """A form page's submission, whose reference (شماره پیگیری) is its id: shown to the
    citizen on the confirmation and to staff as the first column of the listing."""

    class Meta:
        proxy = True
        verbose_name = "فرم ارسال‌شده"
        verbose_name_plural = "فرم‌های ارسال‌شده"

    @property
    def reference(self):
        return self.pk

    def get_data(self):
        return {"reference": self.reference, **super().get_data()}


class FormField(AbstractFormField):
    page = ParentalKey("cms_pages.FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(IntroMixin, AbstractEmailForm):
    """A form-builder page (فرم درخواست نقشه، فرم قوانین و مقررات، فرم اطلاعات آمارگیران);
    submissions are listed and exported in the admin (Forms)."""

    form_builder = PortalFormBuilder

    intro = RichTextField("مقدمه", blank=True, features=RICH_FEATURES)
    thank_you_text = RichTextField(
        "چه اتفاقی می‌افتد؟",
        blank=True,
        features=RICH_FEATURES,
        help_text="پس از ارسال، زیر شماره پیگیری فرم نمایش داده می‌شود: کارشناسان چه می‌کنند، کی و چگونه پاسخ می‌دهند.",
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", heading="فیلدهای فرم", label="فیلد"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="ایمیل",
        ),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "صفحه فرم"
        verbose_name_plural = "صفحه‌های فرم"

    def next_steps_html(self):
        return rich_text_html(self.thank_you_text)

    # Post, redirect, get: after a submission the browser is sent back to the page, and
    # that GET shows the confirmation once (the submission's id kept in the session),
    # so reloading the confirmation never sends the form again (a second submission).
    def sent_key(self):
        return f"form_page_sent:{self.pk}"

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        if request.method == "POST" and form_submission is not None:
            request.session[self.sent_key()] = form_submission.pk
            return redirect(self.get_url(request))
        return super().render_landing_page(request, form_submission, *args, **kwargs)

    def serve(self, request, *args, **kwargs):
        sent = request.session.pop(self.sent_key(), None) if request.method == "GET" else None
        if sent is not None:
            submission = self.get_submission_class().objects.filter(pk=sent, page=self).first()
            if submission is not None:
                response = super().render_landing_page(request, submission, *args, **kwargs)
                patch_cache_control(response, private=True, no_store=True)  # this visitor's own
                return response
        return super().serve(request, *args, **kwargs)

    def get_submission_class(self):
        return FormPageSubmission

    def get_data_fields(self):
        return [("reference", "شماره پیگیری"), *super().get_data_fields()]

    def get_submissions_list_view_class(self):
        from .views import FormulaSafeSubmissionsListView  # Wagtail's forms views import the models

        return FormulaSafeSubmissionsListView
