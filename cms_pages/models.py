"""Content pages editors manage: information packages, rules and regulations,
questions and answers, required forms and form-builder pages."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from portal.jalali import JalaliDateField

from .blocks import RICH_FEATURES, BodyBlock, QuestionGroupBlock
from .forms import PortalFormBuilder


class InfoPackageIndexPage(Page):
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


class RulesIndexPage(Page):
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


class FAQPage(Page):
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


class RequiredFormsPage(Page):
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

    class Meta(TranslatableMixin.Meta):
        verbose_name = "فرم مورد نیاز"
        verbose_name_plural = "فرم‌های مورد نیاز"
        ordering = ["sort_order"]


class FormField(AbstractFormField):
    page = ParentalKey("cms_pages.FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(AbstractEmailForm):
    """A form-builder page (فرم درخواست نقشه، فرم قوانین و مقررات، فرم اطلاعات آمارگیران);
    submissions are listed and exported in the admin (Forms)."""

    form_builder = PortalFormBuilder

    intro = RichTextField("مقدمه", blank=True, features=RICH_FEATURES)
    thank_you_text = RichTextField("متن پس از ارسال", blank=True, features=RICH_FEATURES)

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

    def get_submissions_list_view_class(self):
        from .views import FormulaSafeSubmissionsListView  # Wagtail's forms views import the models

        return FormulaSafeSubmissionsListView
