"""Who must pass the second step, and the session clocks for staff.

Two-factor sign-in is required for a signed-in user on the staff paths
(STAFF_PROTECTED_PATH_PREFIXES) when STAFF_2FA_REQUIRED is on, when the admin
ticked «الزام ورود دومرحله‌ای برای کارکنان», or when the user set up a device.
"""

import time

from django.conf import settings
from django_otp import user_has_device

LOGIN_AT = "staffauth_login_at"
LAST_SEEN = "staffauth_last_seen"

# Sign-in, sign-out and password reset stay reachable without the second step.
EXEMPT_SUFFIXES = ("login/", "logout/", "password_reset/")


def is_protected_path(path):
    for prefix in getattr(settings, "STAFF_PROTECTED_PATH_PREFIXES", ()):
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            return not rest.startswith(EXEMPT_SUFFIXES)
    return False


def required_for_everyone(request):
    if getattr(settings, "STAFF_2FA_REQUIRED", False):
        return True
    from .models import StaffSecuritySettings

    return StaffSecuritySettings.load(request_or_site=request).require_two_factor


def needs_second_step(request):
    """True when this signed-in user has not passed the second step but must."""
    user = request.user
    if user.is_verified():
        return False
    return required_for_everyone(request) or user_has_device(user)


def start_session_clock(session):
    now = int(time.time())
    session[LOGIN_AT] = now
    session[LAST_SEEN] = now


def session_expired(session, now=None):
    """True when the idle or the absolute limit of a staff session has passed."""
    now = int(now if now is not None else time.time())
    login_at = session.get(LOGIN_AT)
    last_seen = session.get(LAST_SEEN)
    if login_at is None or last_seen is None:
        return False
    idle = getattr(settings, "STAFF_SESSION_IDLE_SECONDS", 0)
    longest = getattr(settings, "STAFF_SESSION_MAX_SECONDS", 0)
    if idle and now - last_seen > idle:
        return True
    return bool(longest and now - login_at > longest)
