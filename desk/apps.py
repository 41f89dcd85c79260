from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "میز کار کارکنان"

    def ready(self):
        from .roles import ensure_roles

        # After every migrate (and every test-database flush): the three roles exist.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="desk.ensure_roles")
