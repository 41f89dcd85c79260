"""The content generation row goes: the content version (portal.content_version) lives
in Django's cache. The page-id index of 0003 stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0003_generation_and_page_id_index")]

    operations = [migrations.DeleteModel(name="Generation")]
