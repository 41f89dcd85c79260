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

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader, apply_configuration
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    StreamObject,
    TextStringObject,
)

from portal import clamd
from portal.persian import canonical_text

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 80 * 1024
MAX_FILES = 2
# Decoded pixels of an attachment image. A scanned A4 page at 200 dpi is 3.9
# megapixels (at 150 dpi 2.2); a photo small enough for 80 KB is well under.
# Checked from the header before decoding, so a tiny file cannot claim
# 25 megapixels and cost a second of CPU. JPEGs up to 16 times the ceiling are
# decoded at 1/2 or 1/4 scale (draft mode) and stored reduced.
MAX_IMAGE_PIXELS = 4_000_000
MAX_JPEG_PIXELS = 16 * MAX_IMAGE_PIXELS
MAX_NAME_LENGTH = 100
MAX_PDF_PAGES = 100
MAX_PDF_OBJECTS = 5000

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
FORMATS = {JPEG: "JPEG", PNG: "PNG"}  # Pillow's names: no other decoder is tried

# File names and format names are isolated (FSI … PDI): a Latin name never reorders
# the Persian sentence around it.
MESSAGES = {
    "empty": "فایل «\u2068{name}\u2069» خالی است.",
    "too_big": "اندازه فایل «\u2068{name}\u2069» بیش از ۸۰ کیلوبایت است.",
    "type": "فایل «\u2068{name}\u2069» پذیرفته نیست؛ فقط \u2068PDF\u2069، \u2068JPEG\u2069 و \u2068PNG\u2069 مجاز است.",
    "broken": "فایل «\u2068{name}\u2069» خراب است یا قابل خواندن نیست.",
    "active_pdf": "فایل «\u2068{name}\u2069» محتوای فعال (اسکریپت، اجرای برنامه یا فایل پیوست‌شده) دارد و پذیرفته نیست.",
    "locked_pdf": "فایل «\u2068{name}\u2069» رمزگذاری شده است؛ نسخه بدون رمز آن را پیوست کنید.",
    "too_many": "حداکثر ۲ فایل می‌توانید پیوست کنید.",
    "huge_image": "ابعاد تصویر «\u2068{name}\u2069» بیش از حد مجاز است.",
    "infected": "فایل «\u2068{name}\u2069» در بررسی امنیتی آلوده تشخیص داده شد و پذیرفته نیست.",
    "scan_unavailable": "امکان بررسی امنیتی فایل نیست؛ لطفاً بعداً تلاش کنید.",
}

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


# A PDF is judged by what a parser (pypdf) makes of it, never by its bytes alone:
# every object (those in object streams too) is resolved and walked, every stream
# decoded through all its filters, within the limits below. Two readings are
# judged: the file as its cross-reference describes it, and the file rebuilt from
# every "N G obj" in it (what a viewer does with a damaged cross-reference, and
# what finds objects no cross-reference names). The bytes outside streams are
# also scanned for the same names, as a second net.

MAX_PDF_STREAM_BYTES = 4 * 1024 * 1024  # one decoded stream
MAX_PDF_DECODED_BYTES = 16 * 1024 * 1024  # all decoded streams of one reading
MAX_PDF_OBJECT_STREAMS = 32
MAX_PDF_XREF_SECTIONS = 16

# Names that are refused wherever they stand (as a key or a value, compared
# case-insensitively after #xx escapes are read): scripts, launching, embedded
# files and media, XFA forms, form submission, links to other files, and
# additional actions (/AA: actions fired by opening a page, focusing a field...).
PDF_REFUSED_NAMES = frozenset(
    "/" + name.lower()
    for name in (
        "JS JavaScript Launch EmbeddedFile EmbeddedFiles EF FileAttachment RichMedia RichMediaContent "
        "RichMediaExecute XFA ImportData SubmitForm ResetForm GoToR GoToE GoToDp Sound Movie Screen "
        "Rendition 3D AA"
    ).split()
)
# Action types (PDF 2.0, 12.6.4). Of these only a jump to a place in the same
# document (/GoTo) and a clicked web or mail link (/URI, not on opening) pass.
PDF_ACTION_TYPES = frozenset(
    (
        "GoTo GoToR GoToE GoToDp Launch Thread URI Sound Movie Hide Named SubmitForm ResetForm "
        "ImportData JavaScript SetOCGState Rendition Trans GoTo3DView RichMediaExecute"
    ).split()
)
PDF_ALLOWED_ACTIONS = frozenset({"GoTo", "URI"})
PDF_URI_SCHEMES = ("http://", "https://", "mailto:")
PDF_TEXT_FILTERS = frozenset(
    "/ASCIIHexDecode /AHx /ASCII85Decode /A85 /LZWDecode /LZW /FlateDecode /Fl /RunLengthDecode /RL".split()
)
PDF_IMAGE_FILTERS = frozenset("/DCTDecode /DCT /JPXDecode /CCITTFaxDecode /CCF".split())
# Streams whose decoded bytes are binary payload (pictures, fonts, colour
# profiles, the cross-reference): decoded and counted, but not read for names.
_BINARY_STREAM_KEYS = ("/Length1", "/Length2", "/Length3", "/BitsPerComponent", "/N")
_REBUILD = b"\nstartxref\n0\n%%EOF\n"

PDF_LIMITS = {
    "maximum_declared_stream_length": MAX_FILE_BYTES,
    "array_based_stream_maximum_output_length": MAX_PDF_STREAM_BYTES,
    "array_maximum_element_count": 10 * MAX_PDF_OBJECTS,
    "dictionary_maximum_element_count": 10 * MAX_PDF_OBJECTS,
    "jbig2_maximum_output_length": MAX_PDF_STREAM_BYTES,
    "lzw_maximum_output_length": MAX_PDF_STREAM_BYTES,
    "run_length_maximum_output_length": MAX_PDF_STREAM_BYTES,
    "zlib_maximum_output_length": MAX_PDF_STREAM_BYTES,
    "zlib_maximum_recovery_input_length": MAX_FILE_BYTES,
    "brotli_maximum_output_length": MAX_PDF_STREAM_BYTES,
    "image_maximum_buffer_size": MAX_PDF_STREAM_BYTES,
    "stream_filters_maximum_length": 4,
    "stream_decoding_work_maximum_length": 2 * MAX_PDF_STREAM_BYTES,
    "page_tree_maximum_entries": 4 * MAX_PDF_PAGES,
    "page_tree_maximum_depth": 32,
    "page_tree_maximum_page_entries": 4 * MAX_PDF_PAGES,
    "outline_maximum_entries": MAX_PDF_OBJECTS,
    "named_destinations_maximum_entries": MAX_PDF_OBJECTS,
    "form_fields_maximum_entries": MAX_PDF_OBJECTS,
    "jbig2dec_binary": None,  # never run an outside program on a citizen's file
}


class PdfRefused(Exception):
    """Why a PDF is refused: a key of MESSAGES ("active_pdf", "locked_pdf", "broken")."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _pdf_names(data):
    for token in _NAME_TOKEN.findall(data):
        yield _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), token).lower().decode("latin-1")


def _scan_names(data):
    """Names found in PDF syntax (raw file bytes or a decoded stream)."""
    counts = {}
    for name in _pdf_names(data):
        if name in PDF_REFUSED_NAMES:
            raise PdfRefused("active_pdf")
        counts[name] = counts.get(name, 0) + 1
    return counts


def _scan_raw(data):
    """The file's own bytes outside stream data: refused names, encryption, and
    how many object streams and cross-reference sections a reading would decode."""
    counts = _scan_names(_STREAM.sub(b"stream\nendstream", data))
    if counts.get("/encrypt"):
        raise PdfRefused("locked_pdf")
    if counts.get("/objstm", 0) > MAX_PDF_OBJECT_STREAMS:
        raise PdfRefused("broken")
    if counts.get("/xref", 0) + counts.get("/prev", 0) + data.count(b"startxref") > 3 * MAX_PDF_XREF_SECTIONS:
        raise PdfRefused("broken")


def _text(value):
    value = _resolved(value)
    return str(value) if isinstance(value, (TextStringObject, ByteStringObject, str)) else ""


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _check_action(action, on_open):
    action_type = str(_resolved(action.get("/S", ""))).lstrip("/")
    if action_type not in PDF_ACTION_TYPES and _resolved(action.get("/Type")) != "/Action":
        return
    if action_type not in PDF_ALLOWED_ACTIONS:
        raise PdfRefused("active_pdf")
    if action_type == "URI":
        if on_open or not _text(action.get("/URI")).strip().lower().startswith(PDF_URI_SCHEMES):
            raise PdfRefused("active_pdf")
    if on_open and "/Next" in action:
        raise PdfRefused("active_pdf")


def _check_open_action(value):
    """/OpenAction: a destination (a page to open at) or a plain /GoTo action."""
    value = _resolved(value)
    if isinstance(value, DictionaryObject):
        _check_action(value, on_open=True)
        if str(_resolved(value.get("/S", ""))) != "/GoTo":
            raise PdfRefused("active_pdf")
    elif not isinstance(value, (ArrayObject, NameObject, TextStringObject, ByteStringObject)):
        raise PdfRefused("active_pdf")


def _walk(obj):
    """Every dictionary and array within one object (references are not followed:
    every object is walked on its own)."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if str(key).lower() in PDF_REFUSED_NAMES:
                    raise PdfRefused("active_pdf")
                if key == "/OpenAction":
                    _check_open_action(value)
                stack.append(value)
            _check_action(item, on_open=False)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        elif isinstance(item, NameObject) and item.lower() in PDF_REFUSED_NAMES:
            raise PdfRefused("active_pdf")


def _filters(stream):
    value = _resolved(stream.get("/Filter"))
    if value is None or isinstance(value, NullObject):
        return []
    if isinstance(value, NameObject):
        return [str(value)]
    if isinstance(value, ArrayObject):
        return [str(_resolved(v)) for v in value]
    raise PdfRefused("broken")


def _decode(stream):
    """The decoded bytes of a stream, or None for JBIG2 pictures (pypdf would need
    an outside program for them; their bytes are at most the file's size)."""
    filters = _filters(stream)
    if filters == ["/JBIG2Decode"]:
        return None
    if any(f not in PDF_TEXT_FILTERS and f not in PDF_IMAGE_FILTERS for f in filters):
        raise PdfRefused("broken")  # JBIG2 in a chain, /Crypt, unknown filters
    return stream.get_data()


def _is_binary_stream(stream):
    if "/First" in stream:  # an object stream, whatever its /Type says
        return False
    return stream.get("/Subtype") == "/Image" or any(key in stream for key in _BINARY_STREAM_KEYS)


def _check_reading(reader):
    if reader.is_encrypted:
        raise PdfRefused("locked_pdf")
    numbers = {(number, generation) for generation, table in reader.xref.items() for number in table}
    numbers |= {(number, 0) for number in reader.xref_objStm}
    if len(numbers) > MAX_PDF_OBJECTS:
        raise PdfRefused("broken")
    decoded = 0
    # Objects stored whole first: their streams (object streams among them) are
    # decoded within the limits before pypdf opens anything stored inside them.
    ordered = sorted(numbers, key=lambda key: key[0] in reader.xref_objStm)
    for number, generation in ordered:
        obj = reader.get_object(IndirectObject(number, generation, reader))
        if obj is None:
            continue
        _walk(obj)
        if isinstance(obj, StreamObject):
            data = _decode(obj)
            if data is None:
                continue
            decoded += len(data)
            if decoded > MAX_PDF_DECODED_BYTES:
                raise PdfRefused("broken")
            if not _is_binary_stream(obj):
                _scan_names(data)
    _walk(reader.trailer)
    if not 1 <= len(reader.pages) <= MAX_PDF_PAGES:
        raise PdfRefused("broken")


def pdf_problem(data):
    """None for a PDF fit to store, else the MESSAGES key saying why not: "active_pdf"
    (anything that acts: scripts, launching, embedded files or media, XFA, form
    submission, actions on opening other than a jump to a page of the document,
    additional actions, links other than to a page of the document or a web or
    mail address), "locked_pdf" (encrypted), "broken" (what pypdf cannot read,
    or beyond the page, object and decoding limits)."""
    try:
        _scan_raw(data)
        with apply_configuration(**PDF_LIMITS):
            try:
                as_written = PdfReader(io.BytesIO(data), strict=False)
            except Exception:  # noqa: BLE001 (a broken cross-reference: the rebuilt reading decides)
                as_written = None
            if as_written is not None:
                _check_reading(as_written)
            _check_reading(PdfReader(io.BytesIO(data + _REBUILD), strict=False))
    except PdfRefused as refused:
        return refused.code
    except Exception:  # noqa: BLE001 (whatever pypdf cannot read or refuses past a limit)
        return "broken"
    return None


def _bound_decoding(image, kind):
    """Before any pixel is decoded: a JPEG over the ceiling (up to 16 times it) is
    set to decode at 1/2 or 1/4 scale (libjpeg's DCT scaling, Image.draft);
    whatever is still over the ceiling is refused."""
    width, height = image.size
    if kind == JPEG and MAX_IMAGE_PIXELS < width * height <= MAX_JPEG_PIXELS:
        for scale in (2, 4):
            if -(-width // scale) * -(-height // scale) <= MAX_IMAGE_PIXELS:
                image.draft(image.mode, (width // scale, height // scale))
                break
    if image.width * image.height > MAX_IMAGE_PIXELS:
        raise ValidationError("huge_image")


def _reencode_image(data, kind):
    """Decode (within the pixel ceiling) and re-encode: drops metadata and anything appended to the file.
    A JPEG is saved at the highest quality (90 down to 40) that keeps it within
    the limit, so an already-compressed photo does not grow past it."""
    try:
        opened = Image.open(io.BytesIO(data), formats=[FORMATS[kind]])  # reads the header only
    except Image.DecompressionBombError:
        raise ValidationError("huge_image") from None
    with opened as image:
        _bound_decoding(image, kind)
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
            # 1-bit scans stay 1-bit. zlib's default level, not optimize=True: on
            # some pixel patterns (two-level noise) that costs ten times the CPU
            # for a few per cent of size.
            if image.mode not in ("1", "RGB", "RGBA", "L", "LA", "P"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, format="PNG")
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
        problem = pdf_problem(data)
        if problem is not None:
            raise fail(problem)
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
