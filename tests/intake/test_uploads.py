import io
import os

import pytest
from django.conf import settings
from PIL import Image

from intake.forms import AttachmentsForm
from intake.models import Draft, DraftFile, RequestAttachment, ServiceRequest
from intake.uploads import MAX_FILE_BYTES, safe_display_name
from tests.intake import files
from tests.intake.helpers import choose, fill_to_review, step


def check(*uploads):
    data = {f"file{i}": u for i, u in enumerate(uploads, start=1)}
    form = AttachmentsForm(data={}, files=data)
    return form


def errors(form):
    assert not form.is_valid()
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


def test_limit_is_81920_bytes():
    assert MAX_FILE_BYTES == 81_920


def test_exactly_81920_bytes_is_accepted():
    form = check(files.pdf(size=81_920))
    assert form.is_valid(), form.errors
    assert len(form.checked[0][0]) == 81_920


def test_81921_bytes_is_refused():
    assert "بیش از ۸۰ کیلوبایت" in errors(check(files.pdf(size=81_921)))


def test_80000_and_80001_bytes_are_accepted():
    assert check(files.pdf(size=80_000)).is_valid()
    assert check(files.pdf(size=80_001)).is_valid()


def test_empty_file_is_refused():
    form = check(files.upload("empty.pdf", b""))
    assert not form.is_valid()
    assert "خالی" in errors(form)


def test_three_files_are_refused(db):
    from intake.models import Draft

    draft = Draft.objects.create()
    existing = [DraftFile(draft=draft, original_name="a.pdf", content_type="application/pdf", size=1)]
    form = AttachmentsForm(
        data={}, files={"file1": files.pdf(), "file2": files.pdf("b.pdf")}, existing=existing
    )
    assert "حداکثر ۲ فایل" in errors(form)


# Each Latin name in the Persian message is isolated (FSI … PDI), so «PDF، JPEG و PNG»
# and a file name never reorder inside the sentence.
TYPES = "فقط \u2068PDF\u2069، \u2068JPEG\u2069 و \u2068PNG\u2069"


def test_the_file_name_in_a_message_is_isolated_from_the_persian_around_it():
    message = errors(check(files.upload("نامه-letter.txt", b"plain text", "text/plain")))
    assert "«\u2068نامه-letter.txt\u2069»" in message


def test_html_named_jpg_is_refused():
    assert TYPES in errors(check(files.upload("x.jpg", b"<html><script>alert(1)</script>", "image/jpeg")))


def test_svg_is_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    assert TYPES in errors(check(files.upload("x.svg", svg, "image/svg+xml")))


def test_zip_named_pdf_is_refused():
    assert TYPES in errors(check(files.upload("x.pdf", b"PK\x03\x04" + b"\0" * 40, "application/pdf")))


def test_jpeg_with_php_payload_is_reencoded_without_it_and_without_exif():
    data = files.jpeg_bytes() + b"<?php system($_GET['c']); ?>"
    form = check(files.upload("photo.jpg", data, "image/jpeg"))
    assert form.is_valid(), form.errors
    clean = form.checked[0][0]
    assert b"<?php" not in clean
    assert b"SecretCameraMaker" not in clean
    assert b"SecretCameraMaker" in data
    assert Image.open(io.BytesIO(clean)).format == "JPEG"


def test_png_with_html_appended_is_reencoded_without_it():
    data = files.png_bytes() + b"<html><script>alert(1)</script></html>"
    form = check(files.upload("scan.png", data, "image/png"))
    assert form.is_valid(), form.errors
    assert b"<script>" not in form.checked[0][0]


def test_truncated_image_is_refused():
    data = files.png_bytes()[:30]
    assert "خراب" in errors(check(files.upload("broken.png", data, "image/png")))


@pytest.mark.parametrize(
    "extra",
    [
        b"5 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n",
        b"5 0 obj\n<< /S /J#61vaScript /JS (x) >>\nendobj\n",
        b"5 0 obj\n<< /S /Launch /F (cmd.exe) >>\nendobj\n",
        b"5 0 obj\n<< /Type /EmbeddedFile >>\nendobj\n",
        files.flate_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
    ],
)
def test_active_pdfs_are_refused(extra):
    assert "محتوای فعال" in errors(check(files.pdf(extra=extra)))


def test_plain_pdf_is_accepted():
    assert check(files.pdf()).is_valid()


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("../../x", "x"),
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("a.php.jpg", "a.php.jpg"),
        ("bad\r\nname.pdf", "badname.pdf"),
        ("", "پیوست"),
    ],
)
def test_display_names_are_made_safe(typed, shown):
    assert safe_display_name(typed) == shown


def test_long_persian_name_is_shortened_keeping_the_extension():
    name = safe_display_name("ب" * 300 + ".pdf")
    assert len(name) == 100 and name.endswith(".pdf")


def test_uploads_are_stored_privately_under_generated_names(
    client, intake_page, service, officer, django_capture_on_commit_callbacks
):
    choose(client, service)
    client.post(step(1), {"action": "next"})
    client.post(
        step(2),
        {
            "action": "next",
            "unit": str(service.unit_id),
            "service": service.service_id,
            "service_id": service.service_id,
            "request_text": "متن درخواست آزمایشی",
        },
    )
    response = client.post(
        step(3),
        {
            "action": "next",
            "file1": files.jpeg("../../a.php.jpg"),
            "file2": files.pdf("ب" * 300 + "\r\n.pdf"),
        },
    )
    assert response.status_code == 302
    stored = list(DraftFile.objects.all())
    assert len(stored) == 2
    for draft_file in stored:
        path = draft_file.file.path
        assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        assert not path.startswith(str(settings.MEDIA_ROOT))
        assert ".php" not in draft_file.file.name and "ب" not in draft_file.file.name
        with pytest.raises(ValueError):
            draft_file.file.url  # noqa: B018 (no public URL)
    assert {f.original_name for f in stored} == {"a.php.jpg", "ب" * 96 + ".pdf"}
    # A third file is refused with a Persian message and nothing stored.
    response = client.post(step(3), {"action": "next", "file1": files.png()})
    assert response.status_code == 200
    assert "حداکثر ۲ فایل" in response.content.decode()
    assert DraftFile.objects.count() == 2
    # Removing one makes room again.
    keep, drop = stored
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step(3), {"action": "next", "remove": [str(drop.pk)], "file1": files.png()})
    assert response.status_code == 302
    assert DraftFile.objects.count() == 2 and not DraftFile.objects.filter(pk=drop.pk).exists()
    assert RequestAttachment.objects.count() == 0
    assert not os.path.exists(drop.file.path)  # its file went with its row


def _listed(draft):
    return [(f["id"], f["file"], f["original_name"], f["size"]) for f in draft.data[Draft.FILES_KEY]]


def test_the_draft_lists_its_files_as_they_are_stored(client, intake_page, service, officer):
    """The wizard reads the draft's files from the list the attachments step keeps beside
    the rows: after uploads and removals it names exactly the stored files, in order, and
    the final submission copies exactly those."""
    fill_to_review(client, service, officer, files=[files.png("a.png"), files.pdf("b.pdf")])
    a, b = DraftFile.objects.order_by("pk")
    response = client.post(step(3), {"action": "next", "remove": [str(a.pk)], "file1": files.jpeg("c.jpg")})
    assert response.status_code == 302
    draft = Draft.objects.get()
    rows = [
        (f.pk, f.file.name, f.original_name, f.size) for f in DraftFile.objects.order_by("created_at", "pk")
    ]
    assert _listed(draft) == rows and [r[2] for r in rows] == ["b.pdf", "c.jpg"]
    review = client.get(step(6)).content.decode()
    assert "b.pdf" in review and "c.jpg" in review and "a.png" not in review
    client.post(step(6), {"action": "next"})
    copied = ServiceRequest.objects.get().attachments.order_by("pk")
    assert [(c.original_name, c.size) for c in copied] == [(r[2], r[3]) for r in rows]


def test_a_draft_without_the_list_reads_its_rows(client, intake_page, service, officer):
    """A draft saved before the list existed (or by another version) still submits its files."""
    fill_to_review(client, service, officer, files=[files.png("a.png")])
    draft = Draft.objects.get()
    del draft.data[Draft.FILES_KEY]
    draft.save(update_fields=["data"])
    assert "a.png" in client.get(step(6)).content.decode()
    client.post(step(6), {"action": "next"})
    assert [c.original_name for c in ServiceRequest.objects.get().attachments.all()] == ["a.png"]


def test_a_compressed_photo_just_under_the_limit_does_not_grow_past_it():
    import random

    rng = random.Random(5)
    image = Image.new("RGB", (300, 300))
    image.putdata([(rng.randrange(256),) * 3 for _ in range(300 * 300)])
    for quality in range(95, 5, -5):
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=quality)
        if out.tell() <= MAX_FILE_BYTES:
            break
    data = out.getvalue()
    assert len(data) <= MAX_FILE_BYTES
    form = check(files.upload("noise.jpg", data, "image/jpeg"))
    assert form.is_valid(), form.errors
    assert len(form.checked[0][0]) <= MAX_FILE_BYTES
