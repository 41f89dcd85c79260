"""Active PDFs are refused whatever hides the active part: an object stream, any
filter or chain of filters, escaped names, an object no cross-reference names.
Each case goes through check_upload and through the wizard's attachment step,
which must answer with the Persian message and store nothing."""

import base64
import io
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from intake import uploads
from intake.models import Draft, DraftFile
from tests.hostile import pdfs
from tests.hostile.conftest import assert_not_server_error
from tests.intake.helpers import step, to_attachments

ACTIVE = "محتوای فعال"
BROKEN = "خراب است"
LOCKED = "رمزگذاری"

JS = b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"
OPEN_5 = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>"
FILTERS = {
    "ascii-hex": ("/ASCIIHexDecode",),
    "ascii-85": ("/ASCII85Decode",),
    "lzw": ("/LZWDecode",),
    "run-length": ("/RunLengthDecode",),
    "flate": ("/FlateDecode",),
    "hex-then-flate": ("/ASCIIHexDecode", "/FlateDecode"),
}


def _hidden_object_stream():
    """An object stream behind /ASCIIHexDecode that no cross-reference names,
    after the end of a clean file (a viewer rebuilding the file would find it)."""
    head = b"10 0\n"
    body = pdfs.stream(head + JS + b"\n", ("/ASCIIHexDecode",), b"/Type /ObjStm /N 1 /First %d" % len(head))
    return pdfs.document() + b"9 0 obj\n" + body + b"\nendobj\n%%EOF\n"


ACTIVE_PDFS = {
    # (a) plain
    "open-action-javascript": pdfs.document(catalog=OPEN_5, more={5: JS}),
    "javascript-name-tree": pdfs.document(
        catalog=b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript << /Names [(a) 5 0 R] >> >> >>",
        more={5: JS},
    ),
    "javascript-in-a-stream": pdfs.document(
        catalog=OPEN_5,
        more={5: b"<< /S /JavaScript /JS 6 0 R >>", 6: pdfs.stream(b"app.alert(1)", ("/ASCIIHexDecode",))},
    ),
    # (b) inside a compressed object stream, (c) behind every filter and a chain
    **{
        f"object-stream-{label}": pdfs.document(catalog=OPEN_5, more={5: JS}, compressed=(5,), filters=chain)
        for label, chain in FILTERS.items()
    },
    "catalog-in-object-stream-lzw": pdfs.document(
        catalog=b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (x) >> >>",
        compressed=(1, 2, 3),
        filters=("/LZWDecode",),
    ),
    "unlisted-object-stream-ascii-hex": _hidden_object_stream(),
    "object-stream-with-a-damaged-type": _hidden_object_stream().replace(
        b"/Type /ObjStm", b"/Type /ObjStm\x97"
    ),
    # (d) names written with #xx escapes, plain and compressed
    "escaped-names": pdfs.document(catalog=OPEN_5, more={5: b"<< /S /J#61vaScript /J#53 (x) >>"}),
    "escaped-names-in-object-stream": pdfs.document(
        catalog=OPEN_5,
        more={5: b"<< /#53 /#4A#61#76#61#53#63#72#69#70#74 /#4a#53 (x) >>"},
        compressed=(5,),
        filters=("/ASCII85Decode",),
    ),
    # (e) additional actions
    "page-aa-javascript": pdfs.document(
        page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /AA << /O 5 0 R >> >>", more={5: JS}
    ),
    "page-aa-goto-compressed": pdfs.document(
        page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /AA << /C << /S /GoTo /D [3 0 R /Fit] >> >> >>",
        compressed=(3,),
        filters=("/RunLengthDecode",),
    ),
    # (f) embedded files, rich media, XFA, launch and other acting actions
    "embedded-files": pdfs.document(
        catalog=b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >> >>",
        more={
            5: b"<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>",
            6: pdfs.stream(b"MZ", ("/FlateDecode",), b"/Type /EmbeddedFile"),
        },
    ),
    "file-attachment-annotation": pdfs.document(
        page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R] >>",
        more={5: b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS (a.exe) >>"},
        compressed=(5,),
        filters=("/ASCIIHexDecode",),
    ),
    "rich-media": pdfs.document(
        page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R] >>",
        more={5: b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] /RichMediaContent << >> >>"},
        compressed=(5,),
        filters=("/LZWDecode",),
    ),
    "xfa": pdfs.document(
        catalog=b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 5 0 R >> >>",
        more={5: pdfs.stream(b"<xdp:xdp/>", ("/FlateDecode",))},
        compressed=(1,),
        filters=("/ASCII85Decode",),
    ),
    "launch": pdfs.document(catalog=OPEN_5, more={5: b"<< /S /Launch /F (cmd.exe) >>"}),
    "submit-form": pdfs.document(catalog=OPEN_5, more={5: b"<< /S /SubmitForm /F (http://x.example/) >>"}),
    "import-data": pdfs.document(catalog=OPEN_5, more={5: b"<< /S /ImportData /F (x.fdf) >>"}),
    "open-action-uri": pdfs.document(catalog=OPEN_5, more={5: b"<< /S /URI /URI (http://x.example/) >>"}),
    "open-action-goto-then-javascript": pdfs.document(
        catalog=OPEN_5, more={5: b"<< /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >>", 6: JS}
    ),
    "link-to-another-file": pdfs.document(
        page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R] >>",
        more={
            5: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoToR /F (x.pdf) /D [0 /Fit] >> >>"
        },
    ),
    "link-to-javascript-uri": pdfs.document(
        page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R] >>",
        more={
            5: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (javascript:alert(1)) >> >>"
        },
    ),
}

FILTER_CASES = [f"object-stream-{label}" for label in FILTERS if label != "flate"] + [
    "unlisted-object-stream-ascii-hex"
]


def _blank_pdf(pages=1, password=None):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(200, 200)
    if password is not None:
        writer.encrypt(password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _weasyprint_pdf():
    """A real generator's file: Persian text in an embedded font, a picture, a web
    link and a link to a place in the same document."""
    from weasyprint import HTML

    picture = io.BytesIO()
    Image.new("RGB", (60, 30), (0, 90, 200)).save(picture, "PNG")
    source = "data:image/png;base64," + base64.b64encode(picture.getvalue()).decode()
    html = (
        "<html><body><h1>درخواست</h1><p>متن نامه <a href='https://example.com/'>پیوند</a>"
        f" <a href='#end'>پایین</a></p><img src='{source}'><p id='end'>پایان</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def _bomb():
    """One small stream that inflates twice over to far more than any real page."""
    inner = zlib.compress(b"\0" * 60_000_000, 9)
    return pdfs.document(more={5: pdfs.stream(inner, ("/FlateDecode",))}).replace(
        b"/Filter [/FlateDecode]", b"/Filter [/FlateDecode /FlateDecode]"
    )


CLEAN_PDFS = {
    "plain-page": pdfs.document(),
    "plain-page-compressed": pdfs.document(compressed=(1, 2, 3), filters=("/ASCIIHexDecode", "/FlateDecode")),
    "link-to-a-page-of-the-same-document": pdfs.document(
        page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R] >>",
        more={5: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoTo /D [3 0 R /Fit] >> >>"},
    ),
    "open-at-a-page": pdfs.document(catalog=b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>"),
    "open-action-goto": pdfs.document(catalog=OPEN_5, more={5: b"<< /S /GoTo /D [3 0 R /XYZ 0 0 0] >>"}),
    "link-to-a-web-page": pdfs.document(
        page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R] >>",
        more={
            5: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://x.example/) >> >>"
        },
    ),
    "written-by-pypdf": _blank_pdf(),
    "written-by-weasyprint": _weasyprint_pdf(),
}

UNREADABLE_PDFS = {
    "garbage": b"%PDF-1.7\n" + b"\x00\xff" * 300 + b"\n%%EOF\n",
    "no-objects": b"%PDF-1.7\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    "unknown-filter": pdfs.document(more={5: pdfs.stream(b"x", ())}).replace(
        b"/Filter null", b"/Filter /Foo"
    ),
    "too-many-pages": _blank_pdf(pages=uploads.MAX_PDF_PAGES + 1),
    "inflation-bomb": _bomb(),
}


def upload(data, name="doc.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def refusal(data):
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload(data))
    return " ".join(caught.value.messages)


@pytest.mark.parametrize("case", ACTIVE_PDFS)
def test_active_pdf_is_refused_by_check_upload(case):
    data = ACTIVE_PDFS[case]
    assert len(data) <= uploads.MAX_FILE_BYTES
    assert ACTIVE in refusal(data)


@pytest.mark.parametrize("case", FILTER_CASES)
def test_byte_scanning_alone_misses_the_filtered_cases(case):
    """Why a parser decides: the active names are not in the file's bytes, nor in
    what inflating its Flate streams gives."""
    data = ACTIVE_PDFS[case]
    inflated = []
    for chunk in data.split(b"stream\n")[1:]:
        try:
            inflated.append(zlib.decompress(chunk.split(b"\nendstream")[0]))
        except zlib.error:
            continue
    for part in [data, *inflated]:
        assert b"/JavaScript" not in part and b"/JS" not in part


@pytest.mark.parametrize("case", CLEAN_PDFS)
def test_clean_pdf_is_accepted_unchanged(case):
    data = CLEAN_PDFS[case]
    clean, kind, _name, extension = uploads.check_upload(upload(data))
    assert (clean, kind, extension) == (data, uploads.PDF, "pdf")


@pytest.mark.parametrize("case", UNREADABLE_PDFS)
def test_unreadable_pdf_is_refused_as_broken(case):
    started = time.process_time()
    assert BROKEN in refusal(UNREADABLE_PDFS[case])
    assert time.process_time() - started < 2


def test_encrypted_pdf_is_refused_with_its_own_message():
    assert LOCKED in refusal(_blank_pdf(password="x"))
    assert LOCKED in refusal(_blank_pdf(password=""))


def test_the_inflation_bomb_is_small_and_refused_before_it_is_inflated():
    data = UNREADABLE_PDFS["inflation-bomb"]
    assert len(data) < 2000
    started = time.process_time()
    assert BROKEN in refusal(data)
    assert time.process_time() - started < 0.5


def test_many_small_bombs_are_refused_within_the_decoding_budget():
    """Object streams that each inflate twice over to just under the per-stream
    limit: refused once their sum passes the budget, not after decoding them all."""
    inner = zlib.compress(b"\0" * (uploads.MAX_PDF_STREAM_BYTES - 1000), 9)
    more = {
        n: pdfs.stream(inner, ("/FlateDecode",), b"/Type /ObjStm /N 0 /First 0").replace(
            b"[/FlateDecode]", b"[/FlateDecode /FlateDecode]"
        )
        for n in range(5, 5 + uploads.MAX_PDF_OBJECT_STREAMS)
    }
    data = pdfs.document(more=more)
    assert len(data) <= uploads.MAX_FILE_BYTES
    started = time.process_time()
    assert BROKEN in refusal(data)
    assert time.process_time() - started < 1


def test_an_action_type_behind_a_reference_is_read():
    data = pdfs.document(catalog=OPEN_5, more={5: b"<< /S 6 0 R /N /Print >>", 6: b"/Named"})
    assert ACTIVE in refusal(data)


def test_too_many_objects_are_refused():
    more = {n: b"<< /N %d >>" % n for n in range(5, uploads.MAX_PDF_OBJECTS + 6)}
    data = pdfs.document(more=more, compressed=tuple(more), filters=("/FlateDecode",))
    assert len(data) <= uploads.MAX_FILE_BYTES
    assert BROKEN in refusal(data)


# Through the wizard: the Persian message, no row, no file.


def _stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("case", "message"),
    [(case, ACTIVE) for case in ACTIVE_PDFS]
    + [(case, BROKEN) for case in UNREADABLE_PDFS]
    + [("encrypted", LOCKED)],
    ids=lambda value: value if value.isascii() else "",
)
def test_wizard_refuses_the_pdf_and_stores_nothing(client, intake_page, service, private_root, case, message):
    data = _blank_pdf(password="x") if case == "encrypted" else {**ACTIVE_PDFS, **UNREADABLE_PDFS}[case]
    assert all(r.status_code == 302 for r in to_attachments(client, service))
    response = client.post(step(3), {"action": "next", "file1": upload(data, "نامه.pdf")})
    assert_not_server_error(response, case)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "نامه.pdf" in page
    assert DraftFile.objects.count() == 0
    assert _stored_files(private_root) == []
    assert Draft.objects.get().data.get(Draft.FILES_KEY, []) == []


@pytest.mark.parametrize("case", CLEAN_PDFS)
def test_wizard_stores_a_clean_pdf(client, intake_page, service, private_root, case):
    assert all(r.status_code == 302 for r in to_attachments(client, service))
    response = client.post(step(3), {"action": "next", "file1": upload(CLEAN_PDFS[case])})
    assert response.status_code == 302
    stored = DraftFile.objects.get()
    assert stored.file.read() == CLEAN_PDFS[case]
    assert len(_stored_files(private_root)) == 1
