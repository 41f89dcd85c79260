"""Who may see and do what with requests: the one place these rules live.

Roles are Wagtail groups (see desk.roles):
- editors («ویرایشگران»): content only, no requests;
- desk staff («کارشناسان میز خدمت»): their units' requests (StaffProfile.units),
  read and act;
- managers («مدیران»): every request read-only, and the reports.
Superusers see and act on everything. The admin, the exports, the attachment
download and the desk API all go through these functions.
"""

from django.utils.functional import cached_property

from intake.models import ServiceRequest

EDITORS = "ویرایشگران"
DESK_STAFF = "کارشناسان میز خدمت"
MANAGERS = "مدیران"


class DeskScope:
    """One user's groups and units, each read once (lazily) for that user object.

    Kept on the user as `user.desk_scope`, so the checks of one request share it;
    the next request loads the user, and so the scope, afresh.
    """

    def __init__(self, user):
        self.user = user

    @cached_property
    def groups(self):
        if not self.user.is_authenticated:
            return frozenset()
        return frozenset(self.user.groups.values_list("name", flat=True))

    @cached_property
    def unit_ids(self):
        from .models import StaffProfile

        units = StaffProfile.objects.filter(user=self.user, units__isnull=False)
        return frozenset(units.values_list("units", flat=True))


def scope_of(user):
    """The user's DeskScope (made on first use)."""
    scope = getattr(user, "desk_scope", None)
    if scope is None or scope.user is not user:
        scope = user.desk_scope = DeskScope(user)
    return scope


def is_manager(user):
    return user.is_active and (user.is_superuser or MANAGERS in scope_of(user).groups)


def is_desk_staff(user):
    return user.is_active and DESK_STAFF in scope_of(user).groups


def can_use_desk(user):
    """May open the requests area at all."""
    return user.is_authenticated and (is_manager(user) or is_desk_staff(user))


def can_see_reports(user):
    return user.is_authenticated and is_manager(user)


def unit_ids(user):
    """The units whose requests the user works on (an empty set for none)."""
    if not user.is_authenticated or not is_desk_staff(user):
        return frozenset()
    return scope_of(user).unit_ids


def visible_requests(user, queryset=None):
    """The requests the user may list, open, export and download from."""
    queryset = ServiceRequest.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if is_manager(user):
        return queryset
    if is_desk_staff(user):
        return queryset.filter(unit_id__in=unit_ids(user))
    return queryset.none()


def can_view(user, request_obj):
    if not user.is_authenticated or not user.is_active:
        return False
    if is_manager(user):
        return True
    return is_desk_staff(user) and request_obj.unit_id in unit_ids(user)


def can_act(user, request_obj):
    """May change status, assign, add notes and issue the official response.
    Managers are read-only unless they are superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return is_desk_staff(user) and request_obj.unit_id in unit_ids(user)


def assignable_staff(request_obj):
    """Staff a request can be assigned to: desk staff of its unit."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=DESK_STAFF, staff_profile__units=request_obj.unit_id)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def colleagues(user):
    """Desk staff the user may hand requests to: those sharing one of the user's units
    (every desk staff member for a superuser), never the user."""
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.filter(is_active=True, groups__name=DESK_STAFF)
    if not user.is_superuser:
        staff = staff.filter(staff_profile__units__in=unit_ids(user))
    return staff.exclude(pk=user.pk).distinct().order_by("first_name", "last_name", "username")
