"""Being findable: /sitemap.xml and /robots.txt.

- The sitemap is Wagtail's (wagtail.contrib.sitemaps): every live, public page of the
  site, in each language the site has (the site's root page and its translations: the
  English tree sits beside the Persian one, not under it). Pages that are only a way
  into a Django view (the wizard's IntakePage, the follow-up's TrackPage) leave
  themselves out (their `get_sitemap_urls` is empty).
- robots.txt names the sitemap and keeps crawlers out of what is personal or endless:
  the staff admin, the wizard, the follow-up (tracking) and the search results, in
  every language's addresses.

Neither is a Wagtail page, so the page cache (portal.pagecache) never keeps them;
both say how long a crawler or a proxy may keep them.
"""

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

KEEP_SECONDS = 3600
# URL names of the addresses crawlers stay out of (reversed in every language).
DISALLOWED_URL_NAMES = ("wagtailadmin_home", "intake:choose", "track", "search")


class PortalSitemap(Sitemap):
    """Wagtail's sitemap over the site's root page and its translations."""

    def items(self):
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True).live()
        under_a_root = Q()
        for root in roots.only("path", "depth"):
            under_a_root |= Q(path__startswith=root.path, depth__gte=root.depth)
        if not under_a_root:
            return Page.objects.none()
        return (
            Page.objects.filter(under_a_root).live().public().order_by("path").defer_streamfields().specific()
        )


@cache_control(public=True, max_age=KEEP_SECONDS)
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"wagtail": PortalSitemap})


def disallowed_paths():
    """The addresses of DISALLOWED_URL_NAMES in every language of the portal, in order."""
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for name in DISALLOWED_URL_NAMES:
                path = reverse(name)
                if path not in paths:
                    paths.append(path)
    return paths


@require_safe
@cache_control(public=True, max_age=KEEP_SECONDS)
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallowed_paths()]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
