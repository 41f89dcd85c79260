"""The form pages' submissions listing, whose CSV and XLSX exports write no live
formula (what a citizen typed may start with «=»)."""

from wagtail.contrib.forms.views import SubmissionsListView

from portal.spreadsheets import FormulaSafeExportMixin


class FormulaSafeSubmissionsListView(FormulaSafeExportMixin, SubmissionsListView):
    pass
