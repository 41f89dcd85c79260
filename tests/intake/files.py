"""Small files made on the spot for the upload tests."""

import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF_BODY = (
    b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n"
)


def pdf_bytes(size=None, extra=b""):
    head = b"%PDF-1.4\n"
    tail = PDF_BODY + extra + b"%%EOF\n"
    if size is None:
        return head + tail
    padding = size - len(head) - len(tail) - 2
    assert padding >= 0
    return head + b"%" + b"x" * padding + b"\n" + tail


def pdf(name="doc.pdf", **kwargs):
    return SimpleUploadedFile(name, pdf_bytes(**kwargs), content_type="application/pdf")


def jpeg_bytes(size=(40, 30), exif=True):
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCameraMaker"  # Make
        kwargs["exif"] = data.tobytes()
    image.save(out, format="JPEG", **kwargs)
    return out.getvalue()


def png_bytes(size=(20, 20)):
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 30)).save(out, format="PNG")
    return out.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg(name="photo.jpg", **kwargs):
    return upload(name, jpeg_bytes(**kwargs), "image/jpeg")


def png(name="scan.png", **kwargs):
    return upload(name, png_bytes(**kwargs), "image/png")


def flate_stream(content):
    data = zlib.compress(content)
    return (
        b"4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data)
        + data
        + b"\nendstream\nendobj\n"
    )
