"""The form builder of editors' form pages, with every text bounded: Wagtail's
single-line fields stop at 255 characters, its multi-line ones had no limit."""

from wagtail.contrib.forms.forms import FormBuilder

MULTILINE_MAX = 4000


class PortalFormBuilder(FormBuilder):
    def create_multiline_field(self, field, options):
        options["max_length"] = MULTILINE_MAX
        return super().create_multiline_field(field, options)
