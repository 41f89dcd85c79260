from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The top floor: the `load_demo` command, which runs every app's demo loader.

    It lives in an app of its own because it must import the apps (services,
    cms_pages, intake, desk, home), and nothing of ours may import them from
    below; no app imports this one.
    """

    name = "demo"
    verbose_name = "داده‌های نمایشی"
