"""Wagtail's own first data in Persian: the root page and collection, its two default groups and its
default moderation workflow and task were created in English by Wagtail's migrations
and appear in the admin (the page explorer, Groups, Workflows). Each is renamed only
while it still has Wagtail's English name and the Persian name is free, so an
administrator's own names are never touched."""

from django.db import migrations

ROOT = ("Root", "ریشه")
GROUPS = [("Editors", "نویسندگان صفحه‌ها"), ("Moderators", "ناظران انتشار")]
WORKFLOW = ("Moderators approval", "تأیید ناظران انتشار")


def rename(model, field, pairs, also=(), **extra):
    """`field` (and the `also` fields, e.g. a page's draft title) from English to Persian."""
    for english, persian in pairs:
        if not model.objects.filter(**{field: persian}).exists():
            model.objects.filter(**{field: english}, **extra).update(**dict.fromkeys((field, *also), persian))


def to_persian(apps, schema_editor):
    rename(apps.get_model("wagtailcore", "Page"), "title", [ROOT], also=["draft_title"], depth=1)
    rename(apps.get_model("wagtailcore", "Collection"), "name", [ROOT], depth=1)
    rename(apps.get_model("auth", "Group"), "name", GROUPS)
    rename(apps.get_model("wagtailcore", "Workflow"), "name", [WORKFLOW])
    rename(apps.get_model("wagtailcore", "Task"), "name", [WORKFLOW])


def to_english(apps, schema_editor):
    rename(apps.get_model("wagtailcore", "Page"), "title", [ROOT[::-1]], also=["draft_title"], depth=1)
    rename(apps.get_model("wagtailcore", "Collection"), "name", [ROOT[::-1]], depth=1)
    rename(apps.get_model("auth", "Group"), "name", [pair[::-1] for pair in GROUPS])
    rename(apps.get_model("wagtailcore", "Workflow"), "name", [WORKFLOW[::-1]])
    rename(apps.get_model("wagtailcore", "Task"), "name", [WORKFLOW[::-1]])


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_open311key"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(to_persian, to_english)]
