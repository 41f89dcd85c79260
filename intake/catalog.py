"""What the wizard offers: live services that accept online requests, their units
and the units' active officers (read-only queries on the services app).

The wizard keeps the list of services its forms offer, and each unit's active
officers, per content generation (`intake.wizard.WizardOptions`: read once per
generation in each process; any change to a service, unit or officer is a new
generation in every process once it commits). Without a request (no generation)
the list comes from Django's cache (CATALOG_TTL seconds, dropped by the signals in
intake.apps) and a submission reads the live ServicePage again.
"""

from dataclasses import dataclass

from django.core.cache import cache
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


CATALOG_KEY = "intake:catalog"
CATALOG_TTL = 60


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


def service_options(cached=True):
    """The online services as ServiceOptions, from the cache when it has them
    (`cached=False`: read now, for a list kept per content generation)."""
    rows = cache.get(CATALOG_KEY) if cached else None
    if rows is None:
        rows = [
            (s.pk, s.service_id, s.title, s.unit_id, s.unit.name, s.processing_days)
            for s in online_services()
        ]
        if cached:
            cache.set(CATALOG_KEY, rows, CATALOG_TTL)
    units = {}
    options = []
    for pk, service_id, title, unit_id, unit_name, days in rows:
        unit = units.setdefault(unit_id, UnitOption(unit_id, unit_name))
        options.append(ServiceOption(pk, service_id, title, unit_id, unit, days))
    return options


# What a new request copies from its service (intake.services._request_fields).
SUBMISSION_FIELDS = ("title", "service_id", "processing_days", "unit__name")


def live_service(option, only=None):
    """The live ServicePage behind a ServiceOption, read again (one query), or None;
    `only`: the fields to read (SUBMISSION_FIELDS for a submission), else all."""
    if option is None:
        return None
    services = ServicePage.objects.live().filter(pk=option.pk, accepts_online_requests=True)
    services = services.select_related("unit").order_by()
    rows = list((services.only(*only) if only else services)[:1])
    return rows[0] if rows else None


def still_offered(option):
    """True while the service behind a ServiceOption is live and takes online requests."""
    if option is None:
        return False
    return ServicePage.objects.live().filter(pk=option.pk, accepts_online_requests=True).exists()


def forget_catalog(**kwargs):
    cache.delete(CATALOG_KEY)
