from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "جستجو"

    def ready(self):
        from wagtail.models import PageViewRestriction, get_page_models

        from services.models import OrgUnit

        from .cache import invalidate

        for model in [*get_page_models(), OrgUnit, PageViewRestriction]:
            post_save.connect(invalidate, sender=model, dispatch_uid=f"search-cache-save-{model._meta.label}")
            post_delete.connect(
                invalidate, sender=model, dispatch_uid=f"search-cache-del-{model._meta.label}"
            )
