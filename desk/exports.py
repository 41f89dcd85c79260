"""The request-list export (CSV and XLSX), shared by the listing's export buttons
(desk.admin_views.RequestIndexView) and the bulk action «خروجی فهرست انتخاب‌شده‌ها»
(desk.bulk_actions): the same columns, Persian values, right-to-left workbook,
codes kept as text, formulas neutralised (portal.spreadsheets), sent as a download."""

from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from portal.jalali import format_jalali_date, format_jalali_datetime
from portal.persian import canonical_digits
from portal.spreadsheets import FormulaSafeExportMixin

from .files import as_download


def user_label(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class RequestExportMixin(FormulaSafeExportMixin, SpreadsheetExportMixin):
    export_headings = {
        "tracking_code": "کد پیگیری",
        "full_name": "نام و نام خانوادگی",
        "national_code": "کد ملی",
        "mobile": "تلفن همراه",
        "service_title": "خدمت",
        "unit_name": "واحد سازمانی",
        "status": "وضعیت",
        "submitted": "زمان ثبت",
        "due": "مهلت پاسخ",
        "overdue": "تأخیر",
        "assignee": "کارشناس مسئول",
    }
    list_export = list(export_headings)
    sheet_title = "درخواست‌ها"
    text_fields = ("tracking_code", "national_code", "mobile")

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_filename(self):
        today = format_jalali_date(self.today).replace("/", "-")
        return "requests-" + canonical_digits(today)

    def to_row_dict(self, item):
        values = {
            "tracking_code": item.tracking_code,
            "full_name": item.full_name,
            "national_code": item.national_code,
            "mobile": item.mobile,
            "service_title": item.service_title,
            "unit_name": item.unit_name,
            "status": item.get_status_display(),
            "submitted": format_jalali_datetime(item.submitted_at),
            "due": format_jalali_date(item.due_date),
            "overdue": "بله" if item.is_overdue(self.today) else "خیر",
            "assignee": user_label(item.assignee),
        }
        return {field: values[field] for field in self.list_export}

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return as_download(super().as_spreadsheet(queryset, spreadsheet_format))

    def stream_csv(self, queryset):
        yield "\ufeff"  # so Excel reads the file as UTF-8
        yield from super().stream_csv(queryset)


class SelectedRequestsExport(RequestExportMixin):
    """The export of rows a clerk ticked, outside any listing view."""

    def __init__(self, request):
        self.request = request
