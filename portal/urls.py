from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from desk.api import api as desk_api
from home import findable

# A database outage gets the Persian 503 page; any other failure the 500 page.
handler500 = "portal.errors.server_error"
handler400 = "portal.errors.bad_request"

urlpatterns = [
    # Being findable (home.findable): Wagtail's sitemap in every language, and robots.txt.
    path("sitemap.xml", findable.sitemap, name="sitemap"),
    path("robots.txt", findable.robots_txt, name="robots_txt"),
    path("admin/", include(wagtailadmin_urls)),
    path("staff/2fa/", include("staffauth.urls")),
    path("documents/", include(wagtaildocs_urls)),
    # The desk API (desk.api, django-ninja) and Open311 GeoReport v2 (desk.open311).
    path("api/desk/", desk_api.urls),
    path("open311/v2/", include("desk.open311")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    # The wizard and the follow-up are Django views at fixed addresses; their Wagtail
    # pages (IntakePage at /request/, TrackPage at /track/) hold their editable texts.
    path("request/", include("intake.urls")),
    path("track/", include("intake.followup.urls")),
    # The public verification page of official letters (intake.verify, docs/letters.md).
    path("verify/", include("intake.verify")),
    # Wagtail's bare sign-in page for private pages: staff sign in where they always
    # do, with the lockout and the second step (WAGTAIL_FRONTEND_LOGIN_URL too).
    path("_util/login/", RedirectView.as_view(url="/admin/login/", query_string=True)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
