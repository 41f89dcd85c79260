"""Small fixed-window limits per client address (the wizard's drafts, step posts and
final submissions, follow-up lookups), counted in the cache (use Redis in production so every worker process
shares the counts)."""

from django.conf import settings
from django.core.cache import cache

from portal.security import client_ip


def allow(request, name, setting, default, who=None):
    """Count one action `name` for this client (its address, or `who` when given, e.g.
    an API key) against settings.<setting> ("count/seconds"); False once over the limit."""
    text = str(getattr(settings, setting, default))
    count_text, _, seconds = text.partition("/")
    limit, window = int(count_text), int(seconds or 60)
    if limit <= 0:
        return True
    key = f"intake:{name}:{who or client_ip(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def allow_submission(request):
    """Count one final submission for this client; False once over the limit."""
    return allow(request, "submit", "INTAKE_SUBMIT_RATE", "10/600")


def allow_new_draft(request):
    """Count one new wizard draft for this client; False once over the limit."""
    return allow(request, "draft", "INTAKE_DRAFT_RATE", "30/3600")


def allow_step(request):
    """Count one wizard form post (any step) for this client; False once over the limit."""
    return allow(request, "step", "INTAKE_STEP_RATE", "300/600")
