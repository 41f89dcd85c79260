"""The service receipt as PDF: WeasyPrint with the self-hosted Vazirmatn font
(static/vendor/vazirmatn, installed by `make assets`), right to left, with the
letters joined by WeasyPrint's HarfBuzz shaping. No network access: fonts are
read from disk and every other URL is refused."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _font_url(name):
    path = finders.find(f"vendor/vazirmatn/{name}")
    return f"file://{path}" if path else ""


def _fetcher(allowed):
    """A WeasyPrint URL fetcher that reads only the given URLs (font files, and
    the data: URLs of images the caller embedded, e.g. the letterhead's logo)."""
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"refusing to fetch {url}")
            return super().fetch(url, headers)

    protocols = ["file"] + (["data"] if any(url.startswith("data:") for url in allowed) else [])
    return FontsOnly(allowed_protocols=protocols)


def tracking_qr(code):
    """The receipt's QR: the follow-up page with the tracking code after «#», which
    browsers never send (so no server log holds it); the lookup page puts it in the
    form (static/js/track-code.js). Nothing personal is in it."""
    from .qr import public_url, qr_svg

    return qr_svg(f"{public_url('/track/')}#code={code}", size_mm=24, label="کد QR پیگیری درخواست")


def render_receipt_pdf(http_request, request_obj, context):
    """The service receipt (render_pdf), with the QR to the follow-up page."""
    context = {**context, "tracking_qr": tracking_qr(request_obj.tracking_code)}
    return render_pdf(http_request, "intake/receipt_pdf.html", context)


def render_pdf(http_request, template, context, images=()):
    """Any portal document (e.g. the official letter) as PDF, with the same fonts;
    `images` are the data: URLs the template may show."""
    from weasyprint import HTML

    fonts = {
        "font_regular": _font_url("Vazirmatn-Regular.woff2"),
        "font_bold": _font_url("Vazirmatn-Bold.woff2"),
    }
    context = {**context, **fonts, "portal_name": getattr(settings, "WAGTAIL_SITE_NAME", "")}
    html = render_to_string(template, context, request=http_request)
    fetcher = _fetcher({url for url in fonts.values() if url} | set(images))
    return HTML(string=html, url_fetcher=fetcher, base_url=str(settings.BASE_DIR)).write_pdf()
