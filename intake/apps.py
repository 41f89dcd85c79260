from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "ثبت درخواست"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        from services.models import OrgUnit, ServicePage

        from .catalog import forget_catalog

        # The cached list of services the wizard offers follows every change.
        for signal in (page_published, page_unpublished, post_save, post_delete):
            signal.connect(forget_catalog, sender=ServicePage, dispatch_uid=f"intake-catalog-{id(signal)}")
        for signal in (post_save, post_delete):
            signal.connect(forget_catalog, sender=OrgUnit, dispatch_uid=f"intake-catalog-unit-{id(signal)}")
