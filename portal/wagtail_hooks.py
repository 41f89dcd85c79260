"""The admin in Persian where a catalogue cannot reach (docs/accessibility.md
«Persian admin»): the settings menu's footer, and the search forms' hidden submit
button, both written in English into Wagtail's code and templates. Each change goes
through a public hook; what is still English is listed in tests/e2e/test_admin_persian.py."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import __version__ as wagtail_version
from wagtail import hooks
from wagtail.admin.menu import SubmenuMenuItem

from .persian import to_persian_digits


class PersianSettingsMenuItem(SubmenuMenuItem):
    """Wagtail's «تنظیمات» submenu with its footer («Wagtail v8.0.1») in Persian."""

    def render_component(self, request):
        component = super().render_component(request)
        component.footer_text = f"واگتیل، نسخهٔ {to_persian_digits(wagtail_version)}"
        return component


@hooks.register("construct_main_menu")
def persian_settings_footer(request, menu_items):
    for index, item in enumerate(menu_items):
        if item.name == "settings" and isinstance(item, SubmenuMenuItem):
            menu_items[index] = PersianSettingsMenuItem(
                item.label,
                item.menu,
                name=item.name,
                icon_name=item.icon_name,
                classname=item.classname,
                order=item.order,
                attrs=item.attrs,
            )


@hooks.register("insert_global_admin_js")
def persian_admin_js():
    return format_html('<script src="{}" defer></script>', static("js/admin/persian.js"))
