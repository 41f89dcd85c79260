"""The citizens' dashboard (HomePage), the dashboard menu and the site settings."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from services.models import ServiceIndexPage, ServicePage

DEFAULT_INTRO_HEADING = (
    "کاربر محترم این سامانه جهت ثبت و پیگیری درخواست های شما راه اندازی شده است به نکات زیر توجه بفرمایید :"
)


class HomePage(Page):
    """داشبورد شهروندان: the landing page, with the dashboard menu on the right."""

    intro = RichTextField("متن خوش‌آمد", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "داشبورد شهروندان"
        verbose_name_plural = "داشبوردهای شهروندان"

    # Read by the template inside its fragment: nothing is read when the fragment is kept.
    @cached_property
    def services_page(self):
        """The service list (لیست خدمات) under this dashboard, if published."""
        return ServiceIndexPage.objects.live().child_of(self).only("id", "url_path", "locale_id").first()

    @cached_property
    def live_services(self):
        return ServicePage.objects.live().public().descendant_of(self)

    def featured_services(self):
        """The first six services in the tree, with their unit's name."""
        return (
            self.live_services.select_related("unit")
            .only("id", "title", "url_path", "locale_id", "unit", "unit__name")
            .order_by("path")[:6]
        )

    def service_count(self):
        return self.live_services.count()


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    """The organisation's wording, edited by editors (settings → تنظیمات درگاه)."""

    organisation_name = models.CharField(
        "نام سازمان", max_length=200, default="سازمان مدیریت و برنامه ریزی استان"
    )
    portal_name = models.CharField("نام سامانه", max_length=200, default="سامانه میز خدمت")
    head_message = models.TextField("پیام رئیس سازمان", blank=True)
    head_name = models.CharField("نام رئیس سازمان", max_length=200, blank=True)
    head_title = models.CharField("عنوان رئیس سازمان", max_length=200, default="رئیس سازمان")
    intro_heading = models.CharField("عنوان نکات پیش مقدمه", max_length=300, default=DEFAULT_INTRO_HEADING)
    intro_notes = StreamField(
        [("note", blocks.CharBlock(label="نکته", max_length=400))],
        verbose_name="نکات پیش مقدمه سامانه",
        blank=True,
    )
    version = models.CharField("نسخه", max_length=20, default="1.0.0")
    contact_phone = models.CharField("تلفن تماس", max_length=40, blank=True)
    address = models.TextField("نشانی سازمان", blank=True)
    # The official letter's letterhead and «شمس» QR (intake.letters, docs/letters.md).
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="نشان سازمان",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_email = models.EmailField("پست الکترونیک سازمان", blank=True)
    organisation_national_id = models.CharField(
        "شناسه ملی سازمان",
        max_length=11,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{11}$", "شناسه ملی سازمان ۱۱ رقم است.")],
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation_name"), FieldPanel("portal_name"), FieldPanel("version")],
            heading="سازمان",
        ),
        MultiFieldPanel(
            [FieldPanel("head_message"), FieldPanel("head_name"), FieldPanel("head_title")],
            heading="پیام رئیس سازمان",
        ),
        MultiFieldPanel(
            [FieldPanel("intro_heading"), FieldPanel("intro_notes")],
            heading="پیش مقدمه سامانه",
        ),
        MultiFieldPanel([FieldPanel("contact_phone"), FieldPanel("address")], heading="تماس"),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("organisation_email"), FieldPanel("organisation_national_id")],
            heading="سربرگ و شناسه شمس نامه‌های رسمی",
        ),
    ]

    class Meta:
        verbose_name = "تنظیمات درگاه"


@register_setting(icon="list-ul")
class DashboardMenu(BaseSiteSetting, ClusterableModel):
    """The items of the citizens' dashboard menu, in order."""

    panels = [InlinePanel("items", heading="گزینه‌های منو", label="گزینه")]

    class Meta:
        verbose_name = "منوی داشبورد شهروندان"


class DashboardMenuItem(Orderable):
    menu = ParentalKey("home.DashboardMenu", on_delete=models.CASCADE, related_name="items")
    label = models.CharField("عنوان", max_length=100)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="صفحه",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link_url = models.CharField(
        "نشانی",
        max_length=300,
        blank=True,
        help_text="برای صفحه‌هایی که در درخت صفحات نیستند، مانند /track/",
    )
    icon = models.CharField("نماد", max_length=40, blank=True)

    panels = [FieldPanel("label"), FieldPanel("link_page"), FieldPanel("link_url"), FieldPanel("icon")]

    class Meta(Orderable.Meta):
        verbose_name = "گزینه منو"
        verbose_name_plural = "گزینه‌های منو"
