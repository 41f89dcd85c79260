"""The requests listing's filters (django-filter, shown in the Wagtail admin's
filter drawer): the saved view, status, unit, service, a Jalali date range and
overdue.

The saved views are the clerk's tabs above the list («جدید»، «کارتابل من»، …):
`saved_view_q(key, user)` is the one definition, used by the filter and by the tabs'
counts (desk.admin_views.RequestIndexView)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.active_filters import BaseFilterAdapter, register_filter_adapter_class
from wagtail.admin.filters import WagtailFilterSet

from intake.models import ServiceRequest
from portal.jalali import JalaliDateFormField, format_jalali_date
from portal.persian import small_number
from services.models import OrgUnit, ServicePage

from . import scoping

Status = ServiceRequest.Status

# key, tab label; the first is the list's default.
SAVED_VIEWS = [
    ("all", "همه"),
    ("new", "جدید"),
    ("mine", "کارتابل من"),
    ("late", "دارای تأخیر"),
    ("waiting", "در انتظار تکمیل مدارک"),
    ("answered", "پاسخ شهروند"),
]


def saved_view_q(key, user):
    """The requests a saved view shows: new ones, the open ones assigned to `user`,
    the overdue ones, those waiting on the citizen, those the citizen answered since
    staff last acted on them («پاسخ شهروند»: citizen_answered_at, set by
    intake.services.answer_missing, cleared by the next staff move or note), or all."""
    return {
        "new": Q(status=Status.RECEIVED),
        "mine": Q(assignee=user, status__in=ServiceRequest.OPEN_STATUSES),
        "late": ServiceRequest.overdue_q(),
        "waiting": Q(status=Status.WAITING),
        "answered": Q(citizen_answered_at__isnull=False),
    }.get(key, Q())


class JalaliDateFilter(django_filters.Filter):
    """A date typed in the Jalali calendar (1405/09/03 or ۱۴۰۵/۰۹/۰۳)."""

    field_class = JalaliDateFormField


class JalaliDateFilterAdapter(BaseFilterAdapter):
    """The active-filter pill shows the Jalali date, not the Gregorian one."""

    def get_active_filters(self):
        for active in super().get_active_filters():
            yield active._replace(value=format_jalali_date(self.value))


register_filter_adapter_class(JalaliDateFilter, JalaliDateFilterAdapter)


class IdChoiceFilterField(django_filters.fields.ModelChoiceField):
    """Only a small whole number reaches the database (portal.persian.small_number)."""

    def to_python(self, value):
        if value not in self.empty_values and value != self.null_value and small_number(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = IdChoiceFilterField


class RequestFilterSet(WagtailFilterSet):
    view = django_filters.ChoiceFilter(
        label="نما", choices=SAVED_VIEWS[1:], empty_label="همه", method="filter_view"
    )
    status = django_filters.ChoiceFilter(label="وضعیت", choices=Status.choices, empty_label="همه")
    unit = IdChoiceFilter(label="واحد سازمانی", queryset=OrgUnit.objects.none(), empty_label="همه")
    service = IdChoiceFilter(label="خدمت", queryset=ServicePage.objects.none(), empty_label="همه")
    submitted_from = JalaliDateFilter(
        label="ثبت از تاریخ", field_name="submitted_at", method="filter_submitted_from"
    )
    submitted_to = JalaliDateFilter(
        label="ثبت تا تاریخ", field_name="submitted_at", method="filter_submitted_to"
    )
    overdue = django_filters.ChoiceFilter(
        label="تأخیر",
        choices=[("yes", "دارای تأخیر"), ("no", "بدون تأخیر")],
        empty_label="همه",
        method="filter_overdue",
    )

    class Meta:
        model = ServiceRequest
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        units = OrgUnit.objects.order_by("name")
        services = ServicePage.objects.order_by("title")
        if user is not None and not scoping.is_manager(user):
            # Desk staff choose among their own units only.
            ids = scoping.unit_ids(user)
            units = units.filter(pk__in=ids)
            services = services.filter(unit_id__in=ids)
        self.filters["unit"].queryset = units
        self.filters["service"].queryset = services
        # The form is built lazily; make sure its fields use the narrowed choices.
        for name in ("unit", "service"):
            if "form" in self.__dict__:
                self.form.fields[name].queryset = self.filters[name].queryset

    def _day_bound(self, value, end=False):
        import datetime

        moment = datetime.datetime.combine(value, datetime.time.min)
        if end:
            moment += datetime.timedelta(days=1)
        return timezone.make_aware(moment)

    def filter_submitted_from(self, queryset, name, value):
        return queryset.filter(submitted_at__gte=self._day_bound(value)) if value else queryset

    def filter_submitted_to(self, queryset, name, value):
        return queryset.filter(submitted_at__lt=self._day_bound(value, end=True)) if value else queryset

    def filter_view(self, queryset, name, value):
        return queryset.filter(saved_view_q(value, self.request.user)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(ServiceRequest.overdue_q())
        if value == "no":
            return queryset.exclude(ServiceRequest.overdue_q())
        return queryset
