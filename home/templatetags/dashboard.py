from django import template

from home.models import DashboardMenu

register = template.Library()


@register.inclusion_tag("components/dashboard_menu.html", takes_context=True)
def dashboard_menu(context):
    """The citizens' dashboard menu of the current site, the current item marked."""
    request = context.get("request")
    if request is None:
        return {"items": []}
    menu = DashboardMenu.for_request(request)
    items = []
    for item in menu.items.select_related("link_page"):
        page = item.link_page
        url = page.get_url(request) if page is not None and page.live else item.link_url
        if not url:
            continue
        current = url != "/" and request.path.startswith(url.split("?")[0])
        items.append({"label": item.label, "url": url, "icon": item.icon, "current": current})
    return {"items": items}
