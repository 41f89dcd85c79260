"""Demo content: `manage.py load_demo [--demo-admin]`. Idempotent: what exists is kept.

Each app owns its part in `<app>/demo.py` with `load(ctx)`; this command runs
them in dependency order: the catalog first, the back office's requests after
the intake settings they use, the dashboard menu last (it links to the pages).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Collection, Locale

import cms_pages.demo
import desk.demo
import home.demo
import intake.demo
import services.demo
from portal.demo import DemoContext

DEMO_STEPS = [services.demo, cms_pages.demo, intake.demo, desk.demo, home.demo]


class Command(BaseCommand):
    help = "Loads the Persian demo catalog and content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-admin",
            action="store_true",
            help="Also create the demo superuser admin / changeme (development settings only).",
        )
        parser.add_argument("--no-index", action="store_true", help="Skip update_index.")

    def handle(self, *args, **options):
        with transaction.atomic():
            # Wagtail's migrations create these; a flushed database (browser tests) lacks them.
            if Collection.get_first_root_node() is None:
                Collection.add_root(name="ریشه")
            fa = Locale.objects.get_or_create(language_code="fa")[0]
            Locale.objects.get_or_create(language_code="en")
            ctx = DemoContext(home=home.demo.ensure_site(fa), stdout=self.stdout, locale=fa)
            for step in DEMO_STEPS:
                step.load(ctx)
        if options["demo_admin"]:
            self.create_demo_admin()
        if not options["no_index"]:
            call_command("update_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))

    def create_demo_admin(self):
        if not settings.DEMO_ADMIN_ALLOWED:
            raise CommandError("The demo admin is only created under the development settings.")
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.invalid", "changeme")
            self.stdout.write("Demo admin created: admin / changeme")
