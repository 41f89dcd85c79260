"""The back office in the Wagtail admin. Each part registers its own hooks in
its own clearly separated section below (requests, reports, API…); keep them
apart so several people can edit this file."""

from wagtail import hooks

# Requests («درخواست‌ها») and staff units — desk.admin_views ---------------------


@hooks.register("register_admin_viewset")
def register_request_viewsets():
    from .admin_views import request_viewset, staff_profile_viewset

    return [request_viewset, staff_profile_viewset]


@hooks.register("insert_global_admin_css")
def request_admin_css():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("css/desk/admin.css"))


# Bulk actions on the request list — desk.bulk_actions
from .bulk_actions import (  # noqa: E402
    AssignToColleagueBulkAction,
    AssignToMeBulkAction,
    ExportSelectedBulkAction,
    MoveToReviewBulkAction,
)

hooks.register("register_bulk_action", AssignToMeBulkAction)
hooks.register("register_bulk_action", AssignToColleagueBulkAction)
hooks.register("register_bulk_action", MoveToReviewBulkAction)
hooks.register("register_bulk_action", ExportSelectedBulkAction)

# Reports («گزارش درخواست‌ها») and the dashboard panel — desk.report_hooks ---------
# (menu item for managers, /admin/desk-reports/ and its Excel export, the panel)
from . import report_hooks  # noqa: E402, F401

# The desk API and Open311 — desk.api, desk.open311, desk.open311_admin ------------
# (API tokens are Wagtail's own: Settings → API tokens; Open311 keys: Settings →
# کلیدهای Open311)


@hooks.register("register_admin_viewset")
def register_open311_key_viewset():
    from .open311_admin import open311_key_viewset

    return open311_key_viewset
