from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Holds the shared display helpers (template tags); no models."""

    name = "portal"
    verbose_name = "درگاه"
