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
"""

import unicodedata

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
    submissions): every exported value, CSV and XLSX alike, goes through `neutralise`."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))
