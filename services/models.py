"""The service catalog: organisational units, officers and one page per service.

A ServicePage carries the nine facets of SPEC.md section 2:
identity card, inquiries, workflow, responsible officers, cost, FAQ,
rules/regulations, documents and description.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from portal.persian import document_description

from .fields import ServiceIdField

# The nine facets of a service (SPEC.md section 2), in the order citizens see them;
# each is rendered by templates/services/facets/<key>.html.
FACETS = (
    ("identity", "شناسنامه خدمات"),
    ("inquiries", "استعلامات"),
    ("workflow", "گردش کار"),
    ("officers", "مسؤل خدمات"),
    ("cost", "هزینه ارائه خدمات"),
    ("faq", "پاسخ به سوالات"),
    ("rules", "قوانین/مقررات"),
    ("documents", "مستندات"),
    ("description", "شرح خدمت"),
)

RICH_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class OrgUnit(TranslatableMixin, index.Indexed, models.Model):
    """واحد سازمانی"""

    name = models.CharField("نام واحد", max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name="واحد بالادست",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    address = models.TextField("نشانی", blank=True)
    phone = models.CharField("تلفن", max_length=32, blank=True)
    sort_order = models.PositiveIntegerField("ترتیب نمایش", default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("parent"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "واحد سازمانی"
        verbose_name_plural = "واحدهای سازمانی"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Officer(TranslatableMixin, index.Indexed, models.Model):
    """متصدی: a member of staff who serves citizens."""

    full_name = models.CharField("نام و نام خانوادگی", max_length=200)
    position = models.CharField("سمت", max_length=200)
    unit = models.ForeignKey(
        "services.OrgUnit",
        verbose_name="واحد سازمانی",
        on_delete=models.PROTECT,
        related_name="officers",
    )
    active = models.BooleanField("فعال", default=True)

    panels = [
        FieldPanel("full_name"),
        FieldPanel("position"),
        FieldPanel("unit"),
        FieldPanel("active"),
    ]
    search_fields = [
        index.SearchField("full_name"),
        index.SearchField("position"),
        index.AutocompleteField("full_name"),
        index.FilterField("active"),
        index.FilterField("unit_id"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "متصدی"
        verbose_name_plural = "متصدیان"
        ordering = ["full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.position})"


class ServiceIndexPage(Page):
    """لیست خدمات: every live service, grouped by unit."""

    intro = RichTextField("مقدمه", blank=True, features=RICH_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["services.ServicePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "فهرست خدمات"
        verbose_name_plural = "فهرست‌های خدمات"

    def services(self):
        return (
            ServicePage.objects.live()
            .public()
            .child_of(self)
            .select_related("unit")
            .order_by("unit__sort_order", "unit__name", "title")
        )

    def route(self, request, path_components):
        """A service's address reads its page in one query (Wagtail's own routing reads
        the child page, then its ServicePage row)."""
        if len(path_components) == 1:
            try:
                service = ServicePage.objects.child_of(self).get(slug=path_components[0])
            except ServicePage.DoesNotExist:
                return super().route(request, path_components)
            return service.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        selected = request.GET.get("unit", "")
        context["selected_unit"] = selected if selected.isascii() and selected.isdigit() else ""
        context["catalog"] = ServiceCatalog(self, context["selected_unit"])
        return context


class ServiceCatalog:
    """The live services of a service list grouped by unit, and the unit picked in its
    filter. Read when the template first asks, so a kept fragment of the list reads
    nothing; one query then, with only the columns the list shows."""

    def __init__(self, index_page, selected_unit=""):
        self.index_page = index_page
        self.selected_unit = selected_unit

    @cached_property
    def all_units(self):
        """[{"unit": OrgUnit, "services": [ServicePage, …]}, …] in the list's order."""
        services = self.index_page.services().only(
            "id", "title", "url_path", "locale_id", "service_id", "summary", "unit", "unit__name"
        )
        groups = {}
        for service in services:
            groups.setdefault(service.unit_id, {"unit": service.unit, "services": []})["services"].append(
                service
            )
        return list(groups.values())

    @cached_property
    def unit_groups(self):
        """The groups shown: every unit, or only the one picked."""
        if self.selected_unit:
            return [group for group in self.all_units if str(group["unit"].pk) == self.selected_unit]
        return self.all_units

    @cached_property
    def service_count(self):
        return sum(len(group["services"]) for group in self.unit_groups)


class ServicePage(Page):
    """One government service and its nine facets."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", "حضوری"
        ONLINE = "online", "الکترونیکی"
        MIXED = "mixed", "الکترونیکی و حضوری"

    class Recipient(models.TextChoices):
        CITIZENS = "g2c", "شهروندان (G2C)"
        BUSINESSES = "g2b", "کسب و کارها (G2B)"
        GOVERNMENT = "g2g", "دستگاه‌های دولتی (G2G)"

    unit = models.ForeignKey(
        "services.OrgUnit",
        verbose_name="واحد سازمانی",
        on_delete=models.PROTECT,
        related_name="services",
    )
    service_id = ServiceIdField(
        "شناسه خدمت",
        help_text="شناسه ملی ۱۱ رقمی خدمت؛ ارقام فارسی هم پذیرفته می‌شود.",
    )
    summary = models.TextField("خلاصه خدمت", max_length=500)
    accepts_online_requests = models.BooleanField("پذیرش درخواست برخط", default=True)

    # 1. شناسنامه خدمات (identity card)
    recipient_type = models.CharField(
        "نوع خدمت", max_length=8, choices=Recipient.choices, default=Recipient.CITIZENS
    )
    applicants = models.CharField("متقاضیان خدمت", max_length=300)
    delivery_channel = models.CharField(
        "شیوه ارائه", max_length=16, choices=Channel.choices, default=Channel.MIXED
    )
    processing_days = models.PositiveSmallIntegerField(
        "مدت انجام (روز کاری)", help_text="زمان رسیدگی به درخواست، به روز کاری."
    )
    visits_required = models.PositiveSmallIntegerField("تعداد مراجعه حضوری", default=0)
    # Objection (اعتراض) to the official response: the defaults of the response form.
    objection_unit = models.ForeignKey(
        "services.OrgUnit",
        verbose_name="مرجع رسیدگی به اعتراض",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="واحدی که اعتراض شهروند به پاسخ رسمی این خدمت را بررسی می‌کند؛ خالی یعنی همان واحد خدمت.",
    )
    objection_days = models.PositiveSmallIntegerField(
        "مهلت اعتراض (روز کاری)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="از تاریخ پاسخ رسمی؛ کارشناس هنگام صدور پاسخ می‌تواند آن را تغییر دهد.",
    )
    service_output = models.CharField("خروجی خدمت", max_length=300, blank=True)
    # 5. هزینه ارائه خدمات (cost)
    is_free = models.BooleanField("رایگان", default=True)
    cost_rials = models.PositiveBigIntegerField("هزینه (ریال)", null=True, blank=True)
    cost_legal_basis = models.TextField("مبنای قانونی هزینه", blank=True)
    # 7. قوانین/مقررات (rules and regulations)
    rules_text = RichTextField("قوانین و مقررات", blank=True, features=RICH_FEATURES)
    # 9. شرح خدمت (description)
    description = RichTextField("شرح خدمت", features=RICH_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("unit"),
        FieldPanel("service_id"),
        FieldPanel("summary"),
        FieldPanel("accepts_online_requests"),
    ]
    facet_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("recipient_type"), FieldPanel("delivery_channel")]),
                FieldPanel("applicants"),
                FieldRowPanel([FieldPanel("processing_days"), FieldPanel("visits_required")]),
                FieldPanel("service_output"),
                FieldRowPanel([FieldPanel("objection_unit"), FieldPanel("objection_days")]),
            ],
            heading="شناسنامه خدمات",
        ),
        InlinePanel("inquiries", heading="استعلامات", label="استعلام"),
        InlinePanel("workflow_steps", heading="گردش کار", label="مرحله"),
        InlinePanel("responsible_officers", heading="مسؤل خدمات", label="مسؤل"),
        MultiFieldPanel(
            [FieldPanel("is_free"), FieldPanel("cost_rials"), FieldPanel("cost_legal_basis")],
            heading="هزینه ارائه خدمات",
        ),
        InlinePanel("faqs", heading="پاسخ به سوالات", label="پرسش"),
        MultiFieldPanel(
            [FieldPanel("rules_text"), InlinePanel("rule_links", label="صفحه قوانین")],
            heading="قوانین/مقررات",
        ),
        InlinePanel("documents", heading="مستندات", label="سند"),
        FieldPanel("description"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="خدمت"),
            ObjectList(facet_panels, heading="جنبه‌های خدمت"),
            ObjectList(Page.promote_panels, heading="انتشار"),
            ObjectList(Page.settings_panels, heading="تنظیمات"),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("service_id"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("applicants"),
        index.AutocompleteField("service_id"),
        index.RelatedFields("unit", [index.SearchField("name")]),
        index.FilterField("unit_id"),
        index.FilterField("service_id"),
    ]
    parent_page_types = ["services.ServiceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "خدمت"
        verbose_name_plural = "خدمات"

    def clean(self):
        super().clean()
        errors = {}
        if self.service_id:
            duplicates = ServicePage.objects.filter(service_id=self.service_id)
            if self.locale_id:
                duplicates = duplicates.filter(locale_id=self.locale_id)
            if self.pk:
                duplicates = duplicates.exclude(pk=self.pk)
            if self.translation_key:
                duplicates = duplicates.exclude(translation_key=self.translation_key)
            if duplicates.exists():
                errors["service_id"] = "این شناسه خدمت برای خدمت دیگری ثبت شده است."
        if not self.is_free and not self.cost_rials:
            errors["cost_rials"] = "برای خدمت غیررایگان مبلغ هزینه را به ریال وارد کنید."
        if errors:
            raise ValidationError(errors)

    @cached_property
    def facet_data(self):
        """The facets' related rows, fetched once per relation (no N+1)."""
        return {
            "inquiries": list(self.inquiries.all()),
            "workflow_steps": list(self.workflow_steps.all()),
            "officers": list(self.responsible_officers.select_related("officer")),
            "faqs": list(self.faqs.all()),
            "rule_links": list(self.rule_links.select_related("rules_page")),
            "documents": list(self.documents.select_related("document")),
        }

    facets = FACETS


class ServiceInquiry(TranslatableMixin, Orderable):
    """استعلامات: an inquiry the organisation makes of another body."""

    page = ParentalKey("services.ServicePage", on_delete=models.CASCADE, related_name="inquiries")
    title = models.CharField("عنوان استعلام", max_length=200)
    authority = models.CharField("مرجع استعلام", max_length=200)
    note = models.TextField("توضیح", blank=True)

    panels = [FieldPanel("title"), FieldPanel("authority"), FieldPanel("note")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "استعلام"
        verbose_name_plural = "استعلامات"
        ordering = ["sort_order"]


class ServiceWorkflowStep(TranslatableMixin, Orderable):
    """گردش کار: one step of the service's workflow, in order."""

    page = ParentalKey("services.ServicePage", on_delete=models.CASCADE, related_name="workflow_steps")
    title = models.CharField("عنوان مرحله", max_length=200)
    description = models.TextField("شرح مرحله", blank=True)

    panels = [FieldPanel("title"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "مرحله گردش کار"
        verbose_name_plural = "مراحل گردش کار"
        ordering = ["sort_order"]

    def __str__(self):
        return self.title


class ServiceOfficer(Orderable):
    """مسؤل خدمات: an officer responsible for the service."""

    page = ParentalKey("services.ServicePage", on_delete=models.CASCADE, related_name="responsible_officers")
    officer = models.ForeignKey(
        "services.Officer", verbose_name="متصدی", on_delete=models.CASCADE, related_name="+"
    )
    responsibility = models.CharField("نقش در این خدمت", max_length=200, blank=True)

    panels = [FieldPanel("officer"), FieldPanel("responsibility")]

    class Meta(Orderable.Meta):
        verbose_name = "مسؤل خدمت"
        verbose_name_plural = "مسؤلان خدمت"


class ServiceFAQ(TranslatableMixin, Orderable):
    """پاسخ به سوالات: a question and its answer."""

    page = ParentalKey("services.ServicePage", on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField("پرسش", max_length=300)
    answer = models.TextField("پاسخ")

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "پرسش و پاسخ"
        verbose_name_plural = "پرسش‌ها و پاسخ‌ها"
        ordering = ["sort_order"]


class ServiceRuleLink(Orderable):
    """A link from the service to a rules and regulations page."""

    page = ParentalKey("services.ServicePage", on_delete=models.CASCADE, related_name="rule_links")
    rules_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="صفحه قوانین و مقررات",
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("rules_page", page_type="cms_pages.RulesPage")]

    class Meta(Orderable.Meta):
        verbose_name = "پیوند قوانین"
        verbose_name_plural = "پیوندهای قوانین"


class ServiceDocument(Orderable):
    """مستندات: a document citizens can download."""

    page = ParentalKey("services.ServicePage", on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="سند", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("عنوان", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "سند خدمت"
        verbose_name_plural = "مستندات خدمت"

    @property
    def display_title(self):
        return self.title or self.document.title

    @property
    def description(self):
        """«PDF، ۱۲۳ کیلوبایت»: the file's kind and size, shown beside the download."""
        return document_description(self.document)
