"""The portal's URLs plus /bench/trivial/, the baseline a benchmark compares against.
Only bench/settings.py uses this module: the trivial view is never exposed in production."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


handler500 = "portal.errors.server_error"
handler400 = "portal.errors.bad_request"

urlpatterns = [path("bench/trivial/", trivial), *portal_urlpatterns]
