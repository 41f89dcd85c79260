from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "کاتالوگ خدمات"

    def ready(self):
        from portal import content_version

        # Every model of the catalog is public content: units, officers, the pages and
        # their facets' rows (inquiries, steps, officers, FAQs, rules links, documents).
        content_version.watch(*self.get_models())
