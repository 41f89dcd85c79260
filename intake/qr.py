"""QR codes drawn as inline SVG (the official letter's «شمس» QR, the receipt's
tracking QR) and the public addresses they hold (docs/letters.md)."""

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe


def public_url(path):
    """An absolute address on the public site (WAGTAILADMIN_BASE_URL)."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def qr_svg(text, size_mm=None, label="کد QR"):
    """An inline SVG of a QR code (error correction M), drawn for screen and PDF."""
    import qrcode
    import qrcode.image.svg

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    code.add_data(text)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string(encoding="unicode")
    if size_mm:  # attributes, not a style: the Content Security Policy allows no inline style
        _head, rest = svg.split(" version=", 1)
        svg = (
            f'<svg width="{size_mm}mm" height="{size_mm}mm" role="img" aria-label="{escape(label)}" version='
            + rest
        )
    return mark_safe(svg)  # noqa: S308 (made here from the QR library's own markup)
