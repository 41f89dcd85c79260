"""The reports' admin hooks (imported by desk/wagtail_hooks.py): the menu item
«گزارش درخواست‌ها», the page and export URLs, and the dashboard panel."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import report_views, scoping


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return scoping.can_see_reports(request.user)


@hooks.register("register_admin_urls")
def report_urls():
    return [
        path("desk-reports/", report_views.reports_view, name="desk_reports"),
        path("desk-reports/export.xlsx", report_views.export_view, name="desk_reports_export"),
    ]


@hooks.register("register_admin_menu_item")
def reports_menu_item():
    # Not Wagtail's own «گزارش‌ها» submenu (locked pages, site history): a separate item.
    return ReportsMenuItem(
        "گزارش درخواست‌ها", reverse("desk_reports"), name="desk-reports", icon_name="table", order=260
    )


@hooks.register("construct_homepage_panels")
def requests_panel(request, panels):
    if scoping.can_use_desk(request.user):
        panels.append(report_views.RequestsPanel(request.user))
