from django import template
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Site

from home.models import DashboardMenuItem
from portal.cache import remembered

register = template.Library()

# The columns the menu shows or needs to resolve a linked page's address.
ITEM_FIELDS = ("sort_order", "label", "link_url", "icon", "link_page_id")
PAGE_FIELDS = ("link_page__id", "link_page__live", "link_page__url_path", "link_page__locale_id")

# Kept per (content generation, site, language) when the view put
# `request.content_generation` on the request (a token that changes whenever pages,
# sites, settings or the menu change, see search.cache): the items, and the menu's
# HTML for each set of current items. Other pages read the menu each time.


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


def _render(items, current):
    rows = [
        {"label": label, "url": url, "icon": icon, "current": here}
        for (label, url, icon), here in zip(items, current, strict=True)
    ]
    return render_to_string("components/dashboard_menu.html", {"items": rows})


@register.simple_tag(takes_context=True)
def dashboard_menu(context):
    """The citizens' dashboard menu of the current site, the current item marked.

    One query for the items and their pages (only the columns needed), none when the
    request carries a content generation token and the menu was read under it; its
    HTML is then kept too, per set of current items."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    token = getattr(request, "content_generation", None)
    if site is None:
        return _render([], ())
    language = translation.get_language()
    items = remembered(token, ("dashboard-menu", site.pk, language), lambda: _menu_items(request, site))
    current = tuple(url != "/" and request.path.startswith(url.split("?")[0]) for _label, url, _icon in items)
    return remembered(
        token, ("dashboard-menu-html", site.pk, language, current), lambda: _render(items, current)
    )
