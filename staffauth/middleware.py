"""Staff sessions: idle and absolute expiry, and the second sign-in step."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import twofactor

# Background requests an open admin page makes on its own (the editing-session
# ping) do not count as activity.
PASSIVE_PATH_PARTS = ("/editing-sessions/",)


class StaffSessionMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        if twofactor.session_expired(session):
            logout(request)
            return None  # carries on signed out: the admin sends the user to sign in
        now = int(time.time())
        if twofactor.LOGIN_AT not in session:
            twofactor.start_session_clock(session)
        elif not any(part in request.path_info for part in PASSIVE_PATH_PARTS):
            session[twofactor.LAST_SEEN] = now
        idle = getattr(settings, "STAFF_SESSION_IDLE_SECONDS", 0)
        if idle:
            session.set_expiry(idle)
        if twofactor.is_protected_path(request.path_info) and twofactor.needs_second_step(request):
            view = "staffauth:verify" if twofactor.user_has_device(request.user) else "staffauth:setup"
            return redirect(f"{reverse(view)}?{urlencode({'next': request.get_full_path()})}")
        return None
