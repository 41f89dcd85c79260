"""A small fixed-window limit on final submissions per client address, in the
cache (use Redis in production so every worker process shares the counts)."""

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    if getattr(settings, "INTAKE_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate():
    text = str(getattr(settings, "INTAKE_SUBMIT_RATE", "10/600"))
    count, _, seconds = text.partition("/")
    return int(count), int(seconds or 60)


def allow_submission(request):
    """Count one final submission for this client; False once over the limit."""
    limit, window = _rate()
    if limit <= 0:
        return True
    key = f"intake:submit:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def allow(request, name, setting, default):
    """Count one action `name` for this client against settings.<setting> ("count/seconds")."""
    text = str(getattr(settings, setting, default))
    count_text, _, seconds = text.partition("/")
    limit, window = int(count_text), int(seconds or 60)
    if limit <= 0:
        return True
    key = f"intake:{name}:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
