from django.apps import AppConfig


class StaffauthConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "staffauth"
    verbose_name = "امنیت ورود کارکنان"

    def ready(self):
        from . import signals  # noqa: F401 (connects the sign-in receiver)
