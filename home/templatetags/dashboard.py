import threading

from django import template
from django.utils import translation
from wagtail.models import Site

from home.models import DashboardMenuItem

register = template.Library()

# The columns the menu shows or needs to resolve a linked page's address.
ITEM_FIELDS = ("sort_order", "label", "link_url", "icon", "link_page_id")
PAGE_FIELDS = ("link_page__id", "link_page__live", "link_page__url_path", "link_page__locale_id")

# (label, url, icon) of each item, per (content generation, site, language). Used only
# when the view put `request.content_generation` on the request: a token that changes
# whenever pages, sites, settings or the menu change (the search views do, see
# search.cache); other pages read the menu from the database each time.
_cache = {}
_lock = threading.Lock()


def _menu_items(request, site):
    items = []
    menu_items = (
        DashboardMenuItem.objects.filter(menu__site=site)
        .select_related("link_page")
        .only(*ITEM_FIELDS, *PAGE_FIELDS)
        .order_by("sort_order", "pk")
    )
    for item in menu_items:
        page = item.link_page
        url = page.get_url(request) if page is not None and page.live else item.link_url
        if url:
            items.append((item.label, url, item.icon))
    return items


def _cached_menu_items(request, site, token):
    key = (token, site.pk, translation.get_language())
    items = _cache.get(key)
    if items is None:
        items = _menu_items(request, site)
        with _lock:
            if any(cached_key[0] != token for cached_key in _cache):
                _cache.clear()  # an older generation: drop it
            _cache[key] = items
    return items


@register.inclusion_tag("components/dashboard_menu.html", takes_context=True)
def dashboard_menu(context):
    """The citizens' dashboard menu of the current site, the current item marked.

    One query for the items and their pages (only the columns needed), none when the
    request carries a content generation token and the menu was read under it."""
    request = context.get("request")
    if request is None:
        return {"items": []}
    site = Site.find_for_request(request)
    if site is None:
        return {"items": []}
    token = getattr(request, "content_generation", None)
    items = _menu_items(request, site) if token is None else _cached_menu_items(request, site, token)
    return {
        "items": [
            {
                "label": label,
                "url": url,
                "icon": icon,
                "current": url != "/" and request.path.startswith(url.split("?")[0]),
            }
            for label, url, icon in items
        ]
    }
