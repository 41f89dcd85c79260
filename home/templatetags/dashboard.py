"""The frame of every public page (base.html).

- `{% dashboard_menu %}`: the citizens' dashboard menu of the current site. One query
  reads the items and the pages they link to (only the columns needed); base.html keeps
  the menu's HTML in a `{% wagtailcache %}` fragment varied on the content version, the
  site and the current path, so most pages read nothing.
- `{% service_list_url as url %}`: the address of the site's service list (لیست خدمات)
  in the active language, for pages outside the tree (the 404 page); "" when none.
- `{% portal_settings as portal %}`: the site's PortalSettings (the portal's and the
  organisation's names in the title, header and footer), kept in Django's cache under
  the content version: an edit shows at once, and a page reads no settings row.
"""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from wagtail.models import Site

from home.models import DashboardMenuItem, PortalSettings
from portal import content_version
from services.models import ServiceIndexPage

register = template.Library()

# The columns the menu shows or needs to resolve a linked page's address.
ITEM_FIELDS = ("sort_order", "label", "link_url", "icon", "link_page_id")
PAGE_FIELDS = ("link_page__id", "link_page__live", "link_page__url_path", "link_page__locale_id")


def menu_items(request, site):
    """(label, url, icon) of each item of the site's menu whose link resolves, in order."""
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


def current_index(path, urls):
    """The index of the one item the path falls under, or None: the item whose address
    is the longest that the path is, or lies under (/track/workflow/ is «مراحل گردش کار»,
    not also «پیگیری درخواست» at /track/); the dashboard ("/") only on itself; the
    first of two items with the same address."""
    best, best_length = None, -1
    for index, url in enumerate(urls):
        address = url.split("?")[0].split("#")[0]
        if not address.startswith("/"):
            continue  # another site: never where the citizen is
        folder = address if address.endswith("/") else f"{address}/"
        under = path == address or (address.rstrip("/") != "" and path.startswith(folder))
        if under and len(address) > best_length:
            best, best_length = index, len(address)
    return best


@register.simple_tag(takes_context=True)
def dashboard_menu(context):
    """The menu's HTML, the one item the current path falls under marked `aria-current`."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    items = menu_items(request, site) if site is not None else []
    current = current_index(request.path, [url for _label, url, _icon in items]) if items else None
    rows = [
        {"label": label, "url": url, "icon": icon, "current": index == current}
        for index, (label, url, icon) in enumerate(items)
    ]
    return render_to_string("components/dashboard_menu.html", {"items": rows})


@register.simple_tag(takes_context=True)
def portal_settings(context):
    """The current site's PortalSettings, read once per content version and site."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return PortalSettings()  # the defaults
    version = content_version.for_request(request)
    if version is None:  # the cache cannot be reached: read, keep nothing
        return PortalSettings.for_site(site)
    seconds = int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0))
    return cache.get_or_set(
        f"portal-settings:{version}:{site.pk}", lambda: PortalSettings.for_site(site), seconds
    )


def kept(request, key, build):
    """`build()` kept in Django's cache under the content version (read each time when
    the cache cannot be reached)."""
    version = content_version.for_request(request)
    if version is None:
        return build()
    seconds = int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0))
    return cache.get_or_set(f"{key}:{version}", build, seconds)


@register.simple_tag(takes_context=True)
def service_list_url(context):
    """The live, public service list of the current site in the active language."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return ""

    def build():
        root = site.root_page.localized
        page = (
            ServiceIndexPage.objects.live()
            .public()
            .descendant_of(root)
            .only("id", "url_path", "locale_id")
            .first()
        )
        return page.get_url(request) if page is not None else ""

    language = getattr(request, "LANGUAGE_CODE", "")
    return kept(request, f"service-list-url:{site.pk}:{language}", build)
