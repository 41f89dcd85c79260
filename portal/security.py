"""Security helpers shared by the settings: the Content Security Policy
middleware with a second policy for the staff admin, and the client address the
login lockout counts by. Ground floor: imports nothing of ours.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware; requests under CSP_ADMIN_PATH_PREFIXES get
    CONTENT_SECURITY_POLICY_ADMIN instead of CONTENT_SECURITY_POLICY.

    Citizen pages run no inline script and no inline style. Wagtail 8's admin
    still writes inline scripts (inline panels, date widgets) and style
    attributes, so its policy allows inline code but keeps every other source
    to this site, forbids plugins and framing by other sites. Paths listed in
    CSP_ADMIN_STRICT_PATHS (the admin login) get the strict citizen policy.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        path = request.path_info
        if path in getattr(settings, "CSP_ADMIN_STRICT_PATHS", ()):
            return parts
        if path.startswith(tuple(getattr(settings, "CSP_ADMIN_PATH_PREFIXES", ()))):
            admin_policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None) or {}
            parts.config = admin_policy.get("DIRECTIVES")
        return parts


def client_ip(request):
    """The client's address: the first X-Forwarded-For entry when the proxy is
    trusted (INTAKE_TRUST_X_FORWARDED_FOR, the same switch the rate limits use),
    REMOTE_ADDR otherwise."""
    if getattr(settings, "INTAKE_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
