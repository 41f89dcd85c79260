"""The one rule for every spreadsheet and CSV the portal produces: text that a
spreadsheet program would read as a formula goes out as text.

A unit renamed by an editor, a service title, a citizen's name: any of them may start
with `=`, `+`, `-`, `@`, a tab, a carriage return or a line feed (or their full-width
forms `＝＋－＠`, which some spreadsheet programs also read as formulas). Following
OWASP's CSV-injection guidance such text is prefixed with an apostrophe, so Excel and
LibreOffice show it as typed and never evaluate it. Leading spaces and invisible
format characters (bidi marks, ZWNJ, BOM) do not hide a formula: they are skipped when
looking for the first character. Numbers, dates and None pass through untouched: a
negative count stays a number.

Use `neutralise()` on every value written to a CSV row or a workbook cell; Wagtail's
export views get it through `FormulaSafeExportMixin` (put it before the view class).

The mixin also makes Wagtail's workbooks Persian: every sheet right-to-left and named
by `sheet_title`, and the columns named in `text_fields` (tracking codes, national
codes, mobiles) kept as text. In the workbook they are text cells formatted as text
("@"); in the CSV they are written in Persian digits, which no spreadsheet program
reads as a number, so a national code keeps its leading zero and a 16-digit code
never becomes 1.2E+15. Machines read the desk API, not the CSV.
"""

import unicodedata
from io import BytesIO

from .persian import to_persian_digits

FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
QUOTE = "'"


def _first_visible(text):
    for char in text:
        if char in FORMULA_STARTS:
            return char
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue
        return char
    return ""


def is_formula_like(value):
    """True for text a spreadsheet program could evaluate as a formula."""
    return isinstance(value, str) and _first_visible(value) in FORMULA_STARTS


def neutralise(value):
    """`value` as safe for a spreadsheet cell or CSV field: formula-like text gets a
    leading apostrophe; anything else (numbers included) is returned unchanged."""
    if is_formula_like(value):
        return QUOTE + value
    return value


class FormulaSafeExportMixin:
    """For views built on Wagtail's SpreadsheetExportMixin (IndexView, reports, form
    submissions): every exported value, CSV and XLSX alike, goes through `neutralise`;
    workbooks are right-to-left, their sheet named `sheet_title`, and `text_fields`
    stay text (see the module's docstring)."""

    sheet_title = "فهرست"
    text_fields = ()

    def preprocess_field_value(self, field, value, export_format):
        value = neutralise(super().preprocess_field_value(field, value, export_format))
        if field in self.text_fields and export_format == "csv" and isinstance(value, str):
            return to_persian_digits(value)
        return value

    def write_xlsx(self, queryset, output):
        """Wagtail writes the workbook (streaming, "Sheet1", left-to-right); it is then
        reopened to turn each sheet right-to-left and format the text columns."""
        from openpyxl import load_workbook

        written = BytesIO()
        super().write_xlsx(queryset, written)
        written.seek(0)
        workbook = load_workbook(written)
        fields = list(self.list_export)
        for sheet in workbook.worksheets:
            sheet.sheet_view.rightToLeft = True
            sheet.title = self.sheet_title
            for field in self.text_fields:
                if field in fields:
                    for (cell,) in sheet.iter_rows(
                        min_row=2, min_col=fields.index(field) + 1, max_col=fields.index(field) + 1
                    ):
                        cell.number_format = "@"
        workbook.save(output)
