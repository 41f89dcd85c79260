from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "ثبت درخواست"

    def ready(self):
        from portal import content_version

        from . import checks  # noqa: F401 (registers the deploy checks)
        from .models import Holiday, IntakeSettings

        # Holidays change the due dates shown publicly; the wizard's settings what its
        # forms offer (not when first made with their defaults).
        content_version.watch(Holiday)
        content_version.watch(IntakeSettings, on_create=False)
