"""Search responses are cached for anonymous visitors and dropped on any change."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import PageViewRestriction

from services.models import ServicePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.SEARCH_CACHE_SECONDS = 60
    cache.clear()


def html(client, query):
    return client.get(reverse("search"), {"query": query}).content.decode()


def test_repeat_searches_come_from_the_cache(client, catalog, cached):
    assert "صدور کارت ملی" in html(client, "کارت")
    # A change that bypasses the ORM's signals is not seen: the response was cached.
    ServicePage.objects.filter(pk=catalog["card"].pk).update(title="صدور کارت ملی هوشمند")
    assert "صدور کارت ملی هوشمند" not in html(client, "کارت")
    autocomplete = client.get(reverse("search_autocomplete"), {"query": "کارت"}).json()
    assert [s["title"] for s in autocomplete["suggestions"]] == ["صدور کارت ملی هوشمند"]


@pytest.mark.parametrize("change", ["unpublish", "restrict", "publish_edit"])
def test_publishing_unpublishing_and_privacy_drop_the_cache(client, catalog, cached, change):
    card = ServicePage.objects.get(pk=catalog["card"].pk)
    assert "صدور کارت ملی" in html(client, "کارت")
    assert client.get(reverse("search_autocomplete"), {"query": "کارت"}).json()["suggestions"]
    if change == "unpublish":
        card.unpublish()
    elif change == "restrict":
        PageViewRestriction.objects.create(page=card, restriction_type="login")
    else:
        card.title = "صدور شناسنامه"
        card.save_revision().publish()
    assert "صدور کارت ملی" not in html(client, "کارت")
    assert client.get(reverse("search_autocomplete"), {"query": "کارت"}).json()["suggestions"] == []


def test_signed_in_editors_are_never_served_from_the_cache(client, catalog, cached):
    user = get_user_model().objects.create_user("editor", password="x")
    client.force_login(user)
    assert "صدور کارت ملی" in html(client, "کارت")
    ServicePage.objects.filter(pk=catalog["card"].pk).update(title="صدور کارت ملی هوشمند")
    assert "صدور کارت ملی هوشمند" in html(client, "کارت")
