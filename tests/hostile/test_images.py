"""Images cost bounded work: the pixel count is read from the header and refused
before any decoding, large JPEGs are decoded reduced (draft mode), decompression
bombs are refused with the «ابعاد تصویر» message; and a re-encoded image that
grows past 80 KB is refused, not stored."""

import io
import random
import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, JpegImagePlugin, PngImagePlugin

from intake import uploads
from intake.models import DraftFile
from tests.hostile.conftest import assert_not_server_error
from tests.intake.helpers import step, to_attachments

HUGE = "ابعاد تصویر"
TOO_BIG = "بیش از ۸۰ کیلوبایت"


def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_of(width, height, rows=None):
    """A valid grey PNG of any size, written directly (no pixels held in memory):
    `rows` rows of zeros are compressed; None means all of them."""
    raw = zlib.compressobj(9)
    row = b"\0" * (width + 1)
    data = b"".join(raw.compress(row) for _ in range(height if rows is None else rows)) + raw.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def jpeg_of(width, height, quality=75):
    """A plain grey photo: even at 18 megapixels it fits in 80 KB."""
    out = io.BytesIO()
    Image.new("L", (width, height), 120).save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def jpeg_claiming(width, height):
    """A small JPEG whose frame header claims another size."""
    data = bytearray(jpeg_of(64, 64))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def upload(data, name):
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal(data, name):
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload(data, name))
    return " ".join(caught.value.messages)


@pytest.fixture
def decoded(monkeypatch):
    """The classes whose pixels were decoded (load() reached)."""
    seen = []
    for cls in (PngImagePlugin.PngImageFile, JpegImagePlugin.JpegImageFile):
        original = cls.load

        def spy(self, original=original, cls=cls):
            seen.append(cls.__name__)
            return original(self)

        monkeypatch.setattr(cls, "load", spy)
    return seen


def test_the_ceiling_fits_an_80_kb_attachment():
    a4_at_200_dpi = 1654 * 2339
    assert a4_at_200_dpi <= uploads.MAX_IMAGE_PIXELS <= 4_000_000


def test_a_5000_by_5000_png_is_refused_from_its_header(decoded):
    data = png_of(5000, 5000)
    assert len(data) <= uploads.MAX_FILE_BYTES
    started = time.process_time()
    assert HUGE in refusal(data, "big.png")
    assert time.process_time() - started < 0.2
    assert decoded == []


def test_a_decompression_bomb_png_is_refused_as_huge(decoded):
    data = png_of(40_000, 40_000, rows=10)
    assert len(data) < 2000
    assert HUGE in refusal(data, "bomb.png")
    assert decoded == []


@pytest.mark.parametrize(("width", "height"), [(2000, 2000), (1240, 1754), (1654, 2339)])
def test_a_png_up_to_the_ceiling_is_accepted(width, height, decoded):
    clean, kind, _name, _ext = uploads.check_upload(upload(png_of(width, height), "scan.png"))
    assert kind == uploads.PNG and Image.open(io.BytesIO(clean)).size == (width, height)
    assert set(decoded) == {"PngImageFile"}


def test_a_png_one_row_over_the_ceiling_is_refused(decoded):
    assert HUGE in refusal(png_of(2000, 2001), "scan.png")
    assert decoded == []


@pytest.mark.parametrize(
    ("width", "height", "reduced"), [(3000, 2000, (1500, 1000)), (4500, 4000, (1125, 1000))]
)
def test_a_large_jpeg_is_decoded_reduced(width, height, reduced):
    data = jpeg_of(width, height, quality=30)
    assert len(data) <= uploads.MAX_FILE_BYTES
    clean, kind, _name, _ext = uploads.check_upload(upload(data, "photo.jpg"))
    assert kind == uploads.JPEG
    assert Image.open(io.BytesIO(clean)).size == reduced


def test_a_jpeg_too_large_even_reduced_is_refused_from_its_header(decoded):
    assert HUGE in refusal(jpeg_claiming(9000, 8000), "photo.jpg")
    assert decoded == []


def test_a_jpeg_claiming_a_bomb_size_is_refused_as_huge(decoded):
    assert HUGE in refusal(jpeg_claiming(60_000, 60_000), "photo.jpg")
    assert decoded == []


def noise_png():
    """2-bit grey noise: 79 KB as uploaded, about 90 KB once re-encoded (Pillow
    reads it as 8-bit grey and writes it so)."""
    rng = random.Random(3)
    raw = b"".join(b"\0" + rng.randbytes(140) for _ in range(560))
    header = struct.pack(">IIBBBBB", 560, 560, 2, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def test_a_1_bit_scan_stays_small_and_cheap():
    """A black-and-white scan is re-encoded as 1-bit, not as colour (which made a
    1-bit noise PNG of 45 KB cost 0.7 s of CPU and 100 KB once re-encoded)."""
    rng = random.Random(3)
    image = Image.frombytes("1", (600, 600), rng.randbytes(600 * 600 // 8))
    out = io.BytesIO()
    image.save(out, format="PNG")
    started = time.process_time()
    clean, _kind, _name, _ext = uploads.check_upload(upload(out.getvalue(), "scan.png"))
    assert time.process_time() - started < 0.2
    assert Image.open(io.BytesIO(clean)).mode == "1"
    assert len(clean) <= uploads.MAX_FILE_BYTES


def test_an_image_that_grows_past_the_limit_when_re_encoded_is_refused():
    data = noise_png()
    assert len(data) <= uploads.MAX_FILE_BYTES
    assert TOO_BIG in refusal(data, "noise.png")
    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.save(out, format="PNG")
    assert len(out.getvalue()) > uploads.MAX_FILE_BYTES


# Through the wizard: the Persian message, no row, no file.


@pytest.mark.parametrize(
    ("case", "message"),
    [("big.png", HUGE), ("bomb.png", HUGE), ("huge.jpg", HUGE), ("noise.png", TOO_BIG)],
)
def test_wizard_refuses_the_image_and_stores_nothing(
    client, intake_page, service, private_root, case, message
):
    data = {
        "big.png": lambda: png_of(5000, 5000),
        "bomb.png": lambda: png_of(40_000, 40_000, rows=10),
        "huge.jpg": lambda: jpeg_claiming(9000, 8000),
        "noise.png": noise_png,
    }[case]()
    to_attachments(client, service)
    response = client.post(step(3), {"action": "next", "file1": upload(data, case)})
    assert_not_server_error(response, case)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert DraftFile.objects.count() == 0
    root = private_root
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]
