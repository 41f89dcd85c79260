from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .twofactor import start_session_clock


@receiver(user_logged_in, dispatch_uid="staffauth_session_clock")
def session_clock_on_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start_session_clock(request.session)
