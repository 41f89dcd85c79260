"""Wagtail's first data, created in English by its migrations, is Persian after ours
(desk/migrations/0003): the root page and collection, the default groups and the
default moderation workflow and its task."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, Page, Task, Workflow

pytestmark = pytest.mark.django_db


def test_wagtails_first_data_is_persian():
    root = Page.get_first_root_node()
    assert root.title == root.draft_title == "ریشه"  # the explorer shows the draft title
    assert Collection.get_first_root_node().name == "ریشه"
    names = set(Group.objects.values_list("name", flat=True))
    assert {"نویسندگان صفحه‌ها", "ناظران انتشار"} <= names
    assert not names & {"Editors", "Moderators"}
    assert Workflow.objects.filter(name="تأیید ناظران انتشار").exists()
    assert Task.objects.filter(name="تأیید ناظران انتشار").exists()
    assert not Workflow.objects.filter(name__contains="approval").exists()


def test_the_settings_menu_footer_is_persian(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pass-1234-word")
    client.force_login(admin)
    body = client.get("/admin/").content.decode()
    # The sidebar's props are JSON with non-ASCII letters escaped.
    footer = json.dumps("واگتیل، نسخهٔ")[1:-1]
    assert f'"footer_text": "{footer}' in body and "Wagtail v" not in body
    assert "js/admin/persian.js" in body


def test_a_count_takes_the_singular_noun(client, desk_world):
    """«۲ درخواست», as Persian says it, not «۲ درخواست‌ها» (Wagtail's paginator)."""
    client.force_login(desk_world["superuser"])
    body = client.get("/admin/requests/?view=all").content.decode()
    end = body[body.index('class="pagination__end"') :]
    assert re.match(r'class="pagination__end">\s*2 درخواست\s*</div>', end), end[:120]


def test_a_page_published_by_no_one_shows_a_dash_not_none(client, desk_world, home):
    """The aging pages report names who published each page; the demo's pages were
    published by a script, by no one."""
    home.save_revision().publish()  # no user
    client.force_login(desk_world["superuser"])
    body = client.get("/admin/reports/aging-pages/").content.decode()
    text = re.sub(r"<[^>]+>", " ", body.split("<main", 1)[1])  # what is read, not attributes
    assert home.title in text and "None" not in text
