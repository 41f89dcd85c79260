from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from portal.spreadsheets import FormulaSafeExportMixin

from .models import Officer, OrgUnit


class FormulaSafeIndexView(FormulaSafeExportMixin, IndexView):
    """The listing's CSV and XLSX exports write no live formula (an editor's name for
    a unit could start with «=»)."""


class OrgUnitViewSet(SnippetViewSet):
    model = OrgUnit
    index_view_class = FormulaSafeIndexView
    icon = "site"
    menu_label = "واحدهای سازمانی"
    list_display = ["name", "parent", "phone", "sort_order"]
    list_filter = ["parent", "locale"]
    list_export = ["name", "parent", "address", "phone", "sort_order"]
    export_filename = "org-units"
    ordering = ["sort_order", "name"]


class OfficerViewSet(SnippetViewSet):
    model = Officer
    index_view_class = FormulaSafeIndexView
    icon = "user"
    menu_label = "متصدیان"
    # «فعال» as a yes/no icon titled in Persian (templates/wagtailadmin/tables/boolean_cell.html)
    list_display = ["full_name", "position", "unit", BooleanColumn("active", label="فعال")]
    list_filter = ["unit", "active", "locale"]
    list_export = ["full_name", "position", "unit", "active"]
    export_filename = "officers"


class CatalogViewSetGroup(SnippetViewSetGroup):
    items = (OrgUnitViewSet, OfficerViewSet)
    menu_icon = "list-ul"
    menu_label = "کاتالوگ"
    menu_name = "catalog"


register_snippet(CatalogViewSetGroup)
