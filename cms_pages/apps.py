from django.apps import AppConfig


class CmsPagesConfig(AppConfig):
    name = "cms_pages"
    verbose_name = "صفحه‌های محتوایی"

    def ready(self):
        from portal import content_version

        # The content pages and their rows (required form items, form fields). Form
        # submissions are Wagtail's own model and change nothing a visitor sees.
        content_version.watch(*self.get_models())
