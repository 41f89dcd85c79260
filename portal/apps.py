from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The shared display helpers (template tags) and the content version; no models."""

    name = "portal"
    verbose_name = "درگاه"

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Locale, PageViewRestriction, Site, get_page_models

        from . import content_version

        # Wagtail's own content: every page model (publish, unpublish, move, delete, a
        # draft saved), sites, locales, view restrictions, and the documents and images
        # pages link to. Each app of ours watches its own models in its ready().
        content_version.watch(
            *get_page_models(), Site, Locale, PageViewRestriction, get_document_model(), get_image_model()
        )
