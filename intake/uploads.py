"""Attachment checks: type by content, size, image re-encoding, PDF screening,
safe display names and generated storage names.

«۸۰ کیلوبایت» is taken as 80 × 1024 = 81,920 bytes: 81,920 is accepted,
81,921 refused (tests cover both edges).
"""

import io
import logging
import re
import unicodedata
import uuid
import zlib

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from portal import clamd
from portal.persian import canonical_text

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 80 * 1024
MAX_FILES = 2
MAX_IMAGE_PIXELS = 25_000_000
MAX_NAME_LENGTH = 100
MAX_PDF_PAGES = 100
MAX_PDF_OBJECTS = 5000

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}

MESSAGES = {
    "empty": "فایل «{name}» خالی است.",
    "too_big": "اندازه فایل «{name}» بیش از ۸۰ کیلوبایت است.",
    "type": "فایل «{name}» پذیرفته نیست؛ فقط PDF، JPEG و PNG مجاز است.",
    "broken": "فایل «{name}» خراب است یا قابل خواندن نیست.",
    "active_pdf": "فایل «{name}» محتوای فعال (اسکریپت، اجرای برنامه یا فایل پیوست‌شده) دارد و پذیرفته نیست.",
    "too_many": "حداکثر ۲ فایل می‌توانید پیوست کنید.",
    "huge_image": "ابعاد تصویر «{name}» بیش از حد مجاز است.",
    "infected": "فایل «{name}» در بررسی امنیتی آلوده تشخیص داده شد و پذیرفته نیست.",
    "scan_unavailable": "امکان بررسی امنیتی فایل نیست؛ لطفاً بعداً تلاش کنید.",
}

# PDF names that make a document do something when opened.
_ACTIVE_PDF_NAMES = (b"/javascript", b"/js", b"/launch", b"/embeddedfile", b"/embeddedfiles", b"/richmedia")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_NAME_TOKEN = re.compile(rb"/[^\s/<>\[\]()%{}]+")


def safe_display_name(name):
    """A name fit to show: no path, no control or bidi characters, at most 100 characters."""
    name = str(name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" or ch == "\u200c")
    name = canonical_text(name).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 5:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name or "پیوست"


def sniff_type(head):
    """The type judged by content (magic bytes), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _pdf_names(data):
    for token in _NAME_TOKEN.findall(data):
        yield _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), token).lower()


def pdf_is_active(data):
    """True when the PDF (or any Flate-compressed stream in it) names JavaScript,
    a launch action, embedded files or rich media."""
    chunks = [data]
    for match in _STREAM.finditer(data):
        try:
            chunks.append(zlib.decompressobj().decompress(match.group(1), 4 * MAX_FILE_BYTES * 10))
        except zlib.error:
            continue
    for chunk in chunks:
        for name in _pdf_names(chunk):
            if name in _ACTIVE_PDF_NAMES:
                return True
    return False


def _reencode_image(data, kind):
    """Decode and re-encode: drops metadata and anything appended to the file.
    A JPEG is saved at the highest quality (90 down to 40) that keeps it within
    the limit, so an already-compressed photo does not grow past it."""
    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise ValidationError("huge_image")
        image.load()
        if kind == JPEG:
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            for quality in (90, 80, 70, 60, 50, 40):
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=quality, optimize=True)
                if out.tell() <= MAX_FILE_BYTES:
                    break
        else:
            if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def check_upload(uploaded):
    """Check one uploaded file. Returns (clean_bytes, content_type, display_name, extension);
    raises ValidationError with a Persian message naming the file."""
    name = safe_display_name(getattr(uploaded, "name", ""))

    def fail(code):
        return ValidationError(MESSAGES[code].format(name=name), code=code)

    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise fail("too_big")
    uploaded.seek(0)
    data = uploaded.read(MAX_FILE_BYTES + 1)
    if not data:
        raise fail("empty")
    if len(data) > MAX_FILE_BYTES:
        raise fail("too_big")
    kind = sniff_type(data[:16])
    if kind is None:
        raise fail("type")
    if kind == PDF:
        if b"%%EOF" not in data[-1024:]:
            raise fail("broken")
        if pdf_is_active(data):
            raise fail("active_pdf")
        clean = data
    else:
        try:
            clean = _reencode_image(data, kind)
        except ValidationError:
            raise fail("huge_image") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise fail("broken") from None
        if len(clean) > MAX_FILE_BYTES:
            raise fail("too_big")
    scan(clean, fail)
    return clean, kind, name, EXTENSIONS[kind]


def scan(data, fail):
    """The virus-scanner hook: clamd (CLAMD_ADDRESS) checks the bytes that would
    be stored. Not configured: no scan. Configured but not answering: the file is
    refused (fail closed), so nothing unscanned is ever stored."""
    if not clamd.configured():
        return
    try:
        signature = clamd.scan_bytes(data)
    except clamd.ScannerUnavailable as error:
        logger.error("upload refused, the virus scanner is unavailable: %s", error)
        raise fail("scan_unavailable") from None
    if signature is not None:
        logger.warning("upload refused, the virus scanner found %s", signature)
        raise fail("infected")


def storage_name(extension):
    """A generated name: nothing of the citizen's file name reaches the disk."""
    return f"{uuid.uuid4().hex}.{extension}"
