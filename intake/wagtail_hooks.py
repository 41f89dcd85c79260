"""The survey's axes and questions are edited in the admin (Snippets)."""

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.jalali import JalaliDateFormField, format_jalali_date

from .models import Holiday, SurveyAxis, SurveyQuestion


class SurveyAxisViewSet(SnippetViewSet):
    model = SurveyAxis
    icon = "list-ol"
    menu_label = "محورهای نظرسنجی"
    list_display = ["title", "sort_order"]


class SurveyQuestionViewSet(SnippetViewSet):
    model = SurveyQuestion
    icon = "help"
    menu_label = "پرسش‌های نظرسنجی"
    list_display = ["number", "text", "axis", "reversed", "active"]
    list_filter = ["axis", "reversed"]


register_snippet(SurveyAxisViewSet)
register_snippet(SurveyQuestionViewSet)


# Official holidays (تعطیلات رسمی): due dates skip them ------------------------


class HolidayForm(WagtailAdminModelForm):
    date = JalaliDateFormField(label="تاریخ", help_text="به تاریخ شمسی، مانند ۱۴۰۵/۰۱/۱۳")


class HolidayViewSet(SnippetViewSet):
    model = Holiday
    icon = "date"
    menu_label = "تعطیلات رسمی"
    add_to_admin_menu = False
    list_display = [
        Column("jalali_date", label="تاریخ", accessor=lambda holiday: format_jalali_date(holiday.date)),
        Column("weekday", label="روز هفته", accessor=lambda holiday: WEEKDAYS[holiday.date.weekday()]),
        "title",
    ]
    ordering = ["date"]
    edit_handler = ObjectList([FieldPanel("date"), FieldPanel("title")], base_form_class=HolidayForm)


WEEKDAYS = ["دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"]

register_snippet(HolidayViewSet)
