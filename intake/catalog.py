"""What the wizard offers: live services that accept online requests, their units
and the units' active officers (read-only queries on the services app).

The list of services the wizard's forms offer (`service_options`) and each unit's
active officers (`unit_officers`) are kept in Django's cache under the content
version (portal.content_version): every process shares them, and a publish or an
edit of a unit or an officer is a new version, so they are current as of the
request's start.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language
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


def unit_officers(unit_id, version=None):
    """The unit's active officers as a list; with a content version, kept in Django's
    cache under it (officers are catalog content: an edit is a new version)."""
    if version is None:
        return list(active_officers(unit_id))
    return cache.get_or_set(
        f"intake:officers:{version}:{unit_id}", lambda: list(active_officers(unit_id)), CATALOG_SECONDS
    )


def get_unit(unit_id):
    return OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None


CATALOG_SECONDS = 600


@dataclass(frozen=True)
class UnitOption:
    pk: int
    name: str

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class ServiceOption:
    """What the wizard's forms need of a service, without the page."""

    pk: int
    service_id: str
    title: str
    unit_id: int
    unit: UnitOption
    processing_days: int


def service_options(version=None):
    """The online services as ServiceOptions (in catalog order). With a content
    version they come from Django's cache, kept under it; without one (no request,
    or the cache unreachable) they are read now."""

    def read():
        return [
            (s.pk, s.service_id, s.title, s.unit_id, s.unit.name, s.processing_days)
            for s in online_services()
        ]

    if version is None:
        rows = read()
    else:
        rows = cache.get_or_set(f"intake:catalog:{version}:{get_language()}", read, CATALOG_SECONDS)
    units = {}
    options = []
    for pk, service_id, title, unit_id, unit_name, days in rows:
        unit = units.setdefault(unit_id, UnitOption(unit_id, unit_name))
        options.append(ServiceOption(pk, service_id, title, unit_id, unit, days))
    return options


def live_service(option):
    """The live ServicePage behind a ServiceOption, read again (one query), or None."""
    if option is None:
        return None
    services = ServicePage.objects.live().filter(pk=option.pk, accepts_online_requests=True)
    return services.select_related("unit").order_by().first()


def still_offered(option):
    """True while the service behind a ServiceOption is live and takes online requests."""
    if option is None:
        return False
    return ServicePage.objects.live().filter(pk=option.pk, accepts_online_requests=True).exists()
