"""The form renderer: Django's own, with the most used widget templates (text-like
inputs, checkboxes, textareas, selects) written out in Python instead of through the
template engine. Each widget rendered through Django's templates costs a template
context and three nested includes; the wizard's pages render a dozen of them, which
was about a third of a step's time.

The output is exactly Django's (tests/portal/test_forms_renderer.py renders every
case both ways). Any other template, a select whose options use another template, and
every widget as soon as an app overrides one of these templates go to Django's
renderer. Ground floor: imports nothing of ours."""

from functools import cached_property
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape

WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = {
    f"{WIDGETS}{name}.html"
    for name in (
        "text", "email", "url", "number", "password", "hidden", "search", "tel",
        "date", "datetime", "time", "checkbox", "color",
    )
}  # fmt: skip
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"
TEXTAREA_TEMPLATE = f"{WIDGETS}textarea.html"
SELECT_TEMPLATE = f"{WIDGETS}select.html"
WRITTEN_OUT = {
    *INPUT_TEMPLATES, TEXTAREA_TEMPLATE, SELECT_TEMPLATE, OPTION_TEMPLATE,
    f"{WIDGETS}input.html", f"{WIDGETS}attrs.html",
}  # fmt: skip


def _attrs(attrs):
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{escape(str(value))}"')
    return "".join(parts)


def _input(widget):
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget):
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


def _select(widget):
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    @cached_property
    def written_out(self):
        """True when every template written out here is Django's own (no app overrides one)."""
        own = Path(django.forms.__file__).parent / "templates"
        return all(Path(self.get_template(name).origin.name).is_relative_to(own) for name in WRITTEN_OUT)

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and widget.get("template_name") == template_name and self.written_out:
            if template_name in INPUT_TEMPLATES:
                return _input(widget)
            if template_name == TEXTAREA_TEMPLATE:
                return _textarea(widget)
            if template_name == SELECT_TEMPLATE:
                html = _select(widget)
                if html is not None:
                    return html
        return super().render(template_name, context, request)
