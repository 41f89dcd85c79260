from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "داشبورد شهروندان"

    def ready(self):
        from portal import content_version

        from .models import DashboardMenu, DashboardMenuItem, PortalSettings

        # The dashboard page itself is a Wagtail page, watched with every page model.
        content_version.watch(DashboardMenu, DashboardMenuItem)
        # A site's settings row is made with its defaults on first use: that changes
        # nothing a visitor sees, an edit does.
        content_version.watch(PortalSettings, on_create=False)
