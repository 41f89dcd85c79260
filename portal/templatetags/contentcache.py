"""`{% contentcache "name" var … %}…{% endcontentcache %}`: a fragment of public
content kept in Django's cache (Redis when configured) for one content generation.

The page cache (portal.cache) keeps whole anonymous pages; this tag keeps the part
of a page that is the same for every visitor (a service's facets and their rows,
officers, documents, rules links) so that a page the page cache does not serve
(a signed-in editor, a page-cache miss, the page cache turned off) is rendered
without those queries. The key holds the content generation the view put on the
request (`request.content_generation`, changed by every change to public content),
the host, the language and the given values. The fragment is rendered afresh, and
not kept, when there is no generation on the request, for previews, and when
FRAGMENT_CACHE_SECONDS is 0.

`{% contentcache "name" … local %}` keeps the fragment in this process's memory
instead (portal.cache.remembered: no round trip, dropped with its generation): for
the small parts of the base template every page repeats (the links in the head,
the header, the footer), whose values must then be few."""

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from portal.cache import remembered

register = template.Library()


class ContentCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on, local=False):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        self.local = local

    def render(self, context):
        request = context.get("request")
        token = getattr(request, "content_generation", None)
        seconds = int(getattr(settings, "FRAGMENT_CACHE_SECONDS", 0))
        if token is None or seconds <= 0 or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        parts = [self.name, str(token), request.get_host(), translation.get_language() or ""]
        parts += [str(value.resolve(context)) for value in self.vary_on]
        if self.local:
            return remembered(token, ("fragment", *parts), lambda: self.nodelist.render(context))
        key = "fragment:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        content = cache.get(key)
        if content is None:
            content = self.nodelist.render(context)
            cache.set(key, content, seconds)
        return content


@register.tag
def contentcache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% contentcache "name" [values…] %} needs a quoted name.')
    local = bits[-1] == "local"
    values = bits[2:-1] if local else bits[2:]
    nodelist = parser.parse(("endcontentcache",))
    parser.delete_first_token()
    return ContentCacheNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in values], local)
