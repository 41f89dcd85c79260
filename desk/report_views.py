"""The admin's reports page («گزارش‌ها»), its Excel export and the dashboard panel.

Only desk.scoping.can_see_reports users (managers, superusers) open the page and
the export; anyone else signed in to the admin gets 403. The panel shows every
desk user the counts of their own scope (scoping.visible_requests).
"""

import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from intake.models import ServiceRequest
from portal.jalali import JalaliDateFormField, format_jalali_date
from portal.spreadsheets import neutralise

from . import reports, scoping
from .files import as_download


class ReportFilterForm(forms.Form):
    date_from = JalaliDateFormField(label="از تاریخ ثبت", required=False)
    date_to = JalaliDateFormField(label="تا تاریخ ثبت", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["aria-describedby"] = f"id_{name}-hint"  # the format hint

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("«از تاریخ» نباید بعد از «تا تاریخ» باشد.")
        return cleaned

    def period_text(self):
        start = format_jalali_date(self.cleaned_data.get("date_from")) or "ابتدا"
        end = format_jalali_date(self.cleaned_data.get("date_to")) or "امروز"
        return f"از {start} تا {end}"


def _check(request):
    if not scoping.can_see_reports(request.user):
        raise PermissionDenied("دیدن گزارش‌ها فقط برای مدیران است.")


def _report(request, form):
    queryset = scoping.visible_requests(request.user)
    queryset = reports.in_range(
        queryset, form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")
    )
    return reports.build(queryset)


class ReportsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "desk/reports/index.html"
    page_title = "گزارش درخواست‌ها"  # as its menu item
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        _check(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        form = ReportFilterForm(request.GET or None)
        context = self.get_context_data(form=form)
        if form.is_bound and not form.is_valid():
            return self.render_to_response(context, status=400)
        if not form.is_bound:
            form = ReportFilterForm({})
            form.is_valid()
        report = _report(request, form)
        context.update(
            report=report,
            period=form.period_text(),
            export_url=reverse("desk_reports_export")
            + ("?" + request.GET.urlencode() if request.GET else ""),
            charts=charts(report),
        )
        return self.render_to_response(context)


def charts(report):
    satisfaction = report.satisfaction_total
    axes_rows = list(zip(report.axes, satisfaction.axes, strict=True)) if satisfaction else []
    return {
        "status": reports.bar_chart([(row.label, row.count) for row in report.by_status]),
        "unit": reports.bar_chart([(row.label, row.count) for row in report.by_unit]),
        "service": reports.bar_chart([(row.label, row.count) for row in report.by_service]),
        "month": reports.bar_chart([(row.label, row.count) for row in report.by_month]),
        "axes": reports.bar_chart(axes_rows, maximum=100, decimals=1),
        "unit_satisfaction": reports.bar_chart(
            [(item.label, item.overall) for item in report.satisfaction_by_unit], maximum=100, decimals=1
        ),
        "service_satisfaction": reports.bar_chart(
            [(item.label, item.overall) for item in report.satisfaction_by_service], maximum=100, decimals=1
        ),
    }


reports_view = ReportsView.as_view()


def export_view(request):
    """The report as an Excel workbook: a right-to-left sheet per breakdown."""
    _check(request)
    form = ReportFilterForm(request.GET or {})
    if not form.is_valid():
        message = " ".join(" ".join(errors) for errors in form.errors.values())
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    report = _report(request, form)
    content = workbook_bytes(report, form.period_text())
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="requests-report-{stamp}.xlsx"'
    return as_download(response)


def _round(value, digits=2):
    return None if value is None else round(value, digits)


def workbook_bytes(report, period):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)

    def sheet(title, header, rows, first=False):
        ws = workbook.active if first else workbook.create_sheet()
        ws.title = title
        ws.sheet_view.rightToLeft = True
        ws.append([neutralise(value) for value in header])
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            # Unit and service names are typed by editors: never a live formula.
            ws.append([neutralise(value) for value in row])
        for column in ws.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            ws.column_dimensions[column[0].column_letter].width = min(max(12, width + 2), 60)
        return ws

    hours = report.mean_hours
    sheet(
        "خلاصه",
        ["شاخص", "مقدار"],
        [
            ("دوره", period),
            ("تعداد درخواست‌ها", report.total),
            ("درخواست‌های معوق", report.overdue),
            ("دارای پاسخ رسمی", report.answered),
            ("پاسخ پس از مهلت", report.answered_late),
            ("اعتراض به پاسخ", report.objections),
            ("میانگین زمان پاسخ (ساعت)", _round(hours)),
            ("میانگین زمان پاسخ (روز)", _round(hours / 24 if hours is not None else None)),
            ("صدک ۹۰ زمان پاسخ (ساعت)", _round(report.p90_hours)),
            (
                "صدک ۹۰ زمان پاسخ (روز)",
                _round(report.p90_hours / 24 if report.p90_hours is not None else None),
            ),
            ("تعداد نظرسنجی‌ها", report.satisfaction_total.surveys if report.satisfaction_total else 0),
            (
                "رضایت کل (از ۱۰۰)",
                _round(report.satisfaction_total.overall) if report.satisfaction_total else None,
            ),
        ],
        first=True,
    )
    sheet("وضعیت", ["وضعیت", "تعداد"], [(row.label, row.count) for row in report.by_status])
    sheet("واحد سازمانی", ["واحد سازمانی", "تعداد"], [(row.label, row.count) for row in report.by_unit])
    sheet("خدمت", ["خدمت", "تعداد"], [(row.label, row.count) for row in report.by_service])
    sheet("ماه", ["ماه (شمسی)", "تعداد"], [(row.label, row.count) for row in report.by_month])
    satisfaction_header = ["تعداد نظرسنجی", "رضایت کل", *report.axes]
    for title, items, column in (
        ("رضایت واحدها", report.satisfaction_by_unit, "واحد سازمانی"),
        ("رضایت خدمات", report.satisfaction_by_service, "خدمت"),
    ):
        sheet(
            title,
            [column, *satisfaction_header],
            [
                (item.label, item.surveys, _round(item.overall), *[_round(value) for value in item.axes])
                for item in items
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Dashboard panel ----------------------------------------------------------------


class RequestsPanel(Component):
    """Counts by status and the overdue count of the user's requests."""

    name = "desk_requests"
    template_name = "desk/reports/panel.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        queryset = scoping.visible_requests(self.user).order_by()
        rows = reports.status_counts(queryset)
        index = reverse("desk_requests:index")
        flagged = queryset.aggregate(
            overdue=Count("pk", filter=ServiceRequest.overdue_q()),
            answered=Count("pk", filter=Q(citizen_answered_at__isnull=False)),
        )
        return {
            # Each count opens the request list filtered to it.
            "rows": [
                (row, f"{index}?status={status.value}")
                for row, status in zip(rows, reports.Status, strict=True)
            ],
            "index_url": index,
            "overdue_url": f"{index}?overdue=yes",
            "total": sum(row.count for row in rows),
            "overdue": flagged["overdue"],
            # «پاسخ شهروند»: answers to missing documents no staff member acted on yet.
            "citizen_answered": flagged["answered"],
            "citizen_answered_url": f"{index}?view=answered",
            "reports_url": reverse("desk_reports") if scoping.can_see_reports(self.user) else "",
            "is_manager": scoping.is_manager(self.user),
        }
