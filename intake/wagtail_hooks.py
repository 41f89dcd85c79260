"""The survey's axes and questions are edited in the admin (Snippets); official
holidays too; the emails sent to citizens are listed read-only (Settings)."""

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.jalali import JalaliDateFormField, format_jalali_date, format_jalali_datetime
from portal.persian import to_persian_digits

from .models import EmailMessage, Holiday, Signatory, SurveyAxis, SurveyQuestion


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


# Emails sent to citizens (intake.mail): a read-only record, like the SMS log ------


class ViewOnlyPolicy(ModelPermissionPolicy):
    """A record of what was sent: viewed by whoever holds the view permission
    (superusers), never added, changed or deleted by hand."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action == "view"])


class EmailInspectView(InspectView):
    def get_request_display_value(self):
        request_obj = self.object.request
        return to_persian_digits(request_obj.tracking_code) if request_obj else "—"

    def get_attempts_display_value(self):
        return to_persian_digits(self.object.attempts)

    def get_created_at_display_value(self):
        return format_jalali_datetime(self.object.created_at)

    def get_updated_at_display_value(self):
        return format_jalali_datetime(self.object.updated_at)


class EmailIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("request")


def email_code(message):
    return to_persian_digits(message.request.tracking_code) if message.request_id else "—"


class EmailMessageViewSet(ModelViewSet):
    model = EmailMessage
    icon = "mail"
    menu_label = "ایمیل‌های ارسالی"
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = EmailInspectView
    inspect_view_fields = [
        "request",
        "kind",
        "recipient",
        "subject",
        "status",
        "attempts",
        "last_error",
        "text",
        "created_at",
        "updated_at",
    ]
    form_fields = ["status"]  # never shown: the policy allows no edit
    list_display = [
        TitleColumn("subject", label="موضوع", url_name="intake_emails:inspect"),
        Column("code", label="کد پیگیری", accessor=email_code),
        "kind",
        "status",
        Column("attempts", label="تعداد تلاش", accessor=lambda message: to_persian_digits(message.attempts)),
        Column("created", label="ایجاد", accessor=lambda message: format_jalali_datetime(message.created_at)),
    ]
    list_filter = ["status", "kind"]
    ordering = ["-created_at", "-pk"]

    index_view_class = EmailIndexView

    def register_reference_index(self):
        pass  # a log, not content: no reference-index rows for each email sent


register_permission_policy(EmailMessage, ViewOnlyPolicy(EmailMessage), exact_class=True)


@hooks.register("register_admin_viewset")
def register_email_viewset():
    return EmailMessageViewSet("intake_emails", url_prefix="intake-emails")


# Signatories of official letters (امضاکنندگان, intake.letters) --------------------


class SignatoryViewSet(ModelViewSet):
    model = Signatory
    icon = "edit"
    menu_label = "امضاکنندگان نامه‌ها"
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = ["full_name", "position", "unit", BooleanColumn("unit_head", label="رئیس واحد"), "user"]
    form_fields = ["user", "full_name", "position", "national_code", "unit", "unit_head"]


@hooks.register("register_admin_viewset")
def register_signatory_viewset():
    return SignatoryViewSet("signatories")
