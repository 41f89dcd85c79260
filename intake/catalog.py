"""What the wizard offers: live services that accept online requests, their units
and the units' active officers (read-only queries on the services app)."""

from wagtail.models import Locale

from services.models import Officer, OrgUnit, ServicePage


def _locale():
    try:
        return Locale.get_active()
    except Locale.DoesNotExist:
        return None


def online_services():
    """Live, public services accepting online requests, in the active locale."""
    services = (
        ServicePage.objects.live()
        .public()
        .filter(accepts_online_requests=True)
        .select_related("unit")
        .order_by("unit__sort_order", "unit__name", "title")
    )
    locale = _locale()
    if locale is not None and services.filter(locale=locale).exists():
        services = services.filter(locale=locale)
    return services


def service_by_code(service_id):
    if not service_id:
        return None
    return online_services().filter(service_id=service_id).first()


def units_with_services(services=None):
    services = list(online_services() if services is None else services)
    seen = {}
    for service in services:
        seen.setdefault(service.unit_id, service.unit)
    return list(seen.values())


def active_officers(unit_id):
    if not unit_id:
        return Officer.objects.none()
    return Officer.objects.filter(unit_id=unit_id, active=True).order_by("full_name")


def get_unit(unit_id):
    return OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
