from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from cms_pages.models import FAQPage
from services.models import ServiceIndexPage, ServicePage

from . import services, suggestions
from .cache import cached_for_anonymous
from .forms import AutocompleteForm, SearchForm

RESULTS_PER_PAGE = 10


def empty_state_links(request):
    """Where to go when there is nothing to show: the service list and the FAQ."""
    links = []
    for model in (ServiceIndexPage, FAQPage):
        page = services.visible_pages(model, request).only("id", "title", "url_path", "locale_id").first()
        if page is not None:
            links.append({"title": page.title, "url": page.get_url(request)})
    return links


def with_kinds(pages):
    """Each result marked with what it is, for its label: "service" (خدمت) or "page" (صفحه)."""
    for page in pages:
        page.search_kind = "service" if isinstance(page, ServicePage) else "page"
    return pages


@cached_for_anonymous
def search(request):
    form = SearchForm(request.GET)
    form.is_valid()  # every field is optional and cleaned to a safe default
    data = form.cleaned_data
    query = data.get("query", "")
    unit_id = data.get("unit")

    service = services.service_for_id(query, request) if query else None
    if service is not None:
        return redirect(service.get_url(request))

    context = {
        "search_query": query,
        "selected_unit": unit_id,
        "units": services.units_with_services(request),  # lazy: the template's fragment may hold it
        "search_results": None,
        "suggestions": [],
    }
    if query:
        paginator = Paginator(services.search_pages(query, unit_id, request), RESULTS_PER_PAGE)
        results_page = paginator.get_page(data.get("page", 1))
        results_page.object_list = with_kinds(services.with_details(results_page.object_list))
        context["search_results"] = results_page
        context["result_count"] = paginator.count
    if not query or not context["search_results"].object_list:
        context["suggestions"] = empty_state_links(request)
    return TemplateResponse(request, "search/search.html", context)


@cached_for_anonymous
def autocomplete(request):
    form = AutocompleteForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"query": "", "suggestions": []})
    query = form.cleaned_data["query"]
    found = []
    if query:
        services_only = form.cleaned_data["kind"] == "service"
        found = suggestions.autocomplete(query, request, services_only=services_only)
    return JsonResponse({"query": query, "suggestions": found})
