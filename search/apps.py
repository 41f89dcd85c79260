from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_save

# Apps whose every model is public content that search (and the pages around it) show:
# services and units, content pages, the home page, site settings and the dashboard menu.
CONTENT_APPS = ("services", "cms_pages", "home")


def content_models():
    """Models whose save or delete changes what a visitor may see: every page model,
    sites, locales, view restrictions, documents and images (pages link to them),
    every site settings model, every model of CONTENT_APPS and any other model that
    says so with `public_content = True` (intake's holidays: the due dates)."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Locale, PageViewRestriction, Site, get_page_models

    from .services import site_settings_models

    models = [*get_page_models(), Site, Locale, PageViewRestriction, *site_settings_models()]
    models += [get_document_model(), get_image_model()]
    for label in CONTENT_APPS:
        if apps.is_installed(label):
            models.extend(apps.get_app_config(label).get_models())
    models += [model for model in apps.get_models() if getattr(model, "public_content", False)]
    return list(dict.fromkeys(models))


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "جستجو"

    def ready(self):
        from django_tasks.signals import task_finished
        from wagtail.contrib.settings.models import BaseSiteSetting

        from .cache import index_task_finished, invalidate, invalidate_unless_created

        for model in content_models():
            # A site's settings row is created with its defaults on first use, by any
            # page: that changes nothing a visitor sees (editing it does).
            on_save = invalidate_unless_created if issubclass(model, BaseSiteSetting) else invalidate
            post_save.connect(on_save, sender=model, dispatch_uid=f"search-cache-save-{model._meta.label}")
            post_delete.connect(
                invalidate, sender=model, dispatch_uid=f"search-cache-del-{model._meta.label}"
            )
        task_finished.connect(index_task_finished, dispatch_uid="search-index-task-finished")
