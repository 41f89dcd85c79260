"""Official letters (issue 20, docs/letters.md): the letter issued once as a signed
PDF with the «شمس» QR, served byte for byte; the public verification page; the
signature checked with pyHanko's validator against the demo certificate."""

import io
import re

import pypdfium2
import pytest
import zxingcpp
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from intake import letters, services
from intake.models import OfficialResponse, ServiceRequest, Signatory
from portal.persian import to_persian_digits

from .requests import NATIONAL_CODE, make_request

SIGNER_CODE = "0012345679"  # a valid check digit


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.LETTER_SIGNING_P12 = ""
    settings.LETTER_SIGNING_DEMO = True


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user("signer", password="x", first_name="مریم", last_name="احمدی")
    Signatory.objects.create(
        user=user, full_name="مریم احمدی", position="رئیس اداره رسیدگی", national_code=SIGNER_CODE
    )
    return user


@pytest.fixture
def req(service):
    return make_request(service)


def issue(req, staff, **extra):
    services.transition(req, "in_review", staff)
    return services.issue_response(
        req,
        staff,
        legal_grounds="ماده ۱۰ قانون",
        content="درخواست شما پذیرفته شد.",
        appeal="دیوان عدالت اداری",
        **extra,
    )


def page_image(pdf_bytes, scale=3):
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        return document[0].render(scale=scale).to_pil()
    finally:
        document.close()


def test_issuing_stores_a_signed_pdf_that_pyhanko_validates(staff, req):
    official = issue(req, staff)
    data = letters.stored_pdf(official)
    assert letters.sha256(data) == official.pdf_sha256
    trust = letters.load_signer().signing_cert
    reader = PdfFileReader(io.BytesIO(data))
    status = validate_pdf_signature(reader.embedded_signatures[0], ValidationContext(trust_roots=[trust]))
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line


def test_changing_one_byte_breaks_the_signature(staff, req):
    data = bytearray(letters.stored_pdf(issue(req, staff)))
    # A byte inside the signed page content (not the signature's own hex).
    at = data.index(b"stream") + 20
    data[at] ^= 0x01
    check = letters.check_signature(bytes(data))
    assert not (check["intact"] and check["trusted"])
    assert letters.check_signature(letters.stored_pdf(OfficialResponse.objects.get())) == {
        "signed": True,
        "intact": True,
        "trusted": True,
        "whole": True,
    }


def test_the_qr_read_from_the_page_image_has_the_circulars_fields(staff, req, settings):
    official = issue(req, staff)
    results = zxingcpp.read_barcodes(page_image(letters.stored_pdf(official)))
    texts = [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(texts) == 1
    fields = letters.parse_qr_text(texts[0])
    assert fields["number"] == official.number
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", fields["issued_at"])
    assert fields["guid"] == str(official.guid)
    assert fields["signer_national_code"] == SIGNER_CODE
    assert fields["url"] == f"http://testserver/verify/{official.guid}/"
    assert NATIONAL_CODE not in texts[0] and "کریمی" not in texts[0]


def test_issuing_needs_the_signers_national_code(staff, req):
    Signatory.objects.all().delete()
    with pytest.raises(services.TransitionError, match="کد ملی امضاکننده"):
        issue(req, staff)
    assert not OfficialResponse.objects.exists()
    assert ServiceRequest.objects.get().status == "in_review"


def test_without_a_certificate_nothing_is_issued(staff, req, settings):
    settings.LETTER_SIGNING_DEMO = False
    with pytest.raises(services.TransitionError, match="گواهی امضای الکترونیکی"):
        issue(req, staff)
    assert not OfficialResponse.objects.exists()


def test_the_download_is_the_stored_bytes_every_time(staff, req):
    official = issue(req, staff)
    citizen = Client()
    citizen.post("/track/", {"code": req.tracking_code})
    citizen.post("/track/identity/", {"national_code": NATIONAL_CODE})
    first = citizen.get("/track/response/pdf/").content
    second = citizen.get("/track/response/pdf/").content
    assert first == second == letters.stored_pdf(official)


def test_a_correction_replaces_and_the_old_letter_stays(staff, req):
    first = issue(req, staff)
    first_bytes = letters.stored_pdf(first)
    second = services.issue_response(
        req, staff, legal_grounds="ماده ۱۱", content="اصلاح شد", appeal="دیوان", replaces=first
    )
    first.refresh_from_db()
    assert second.replaces == first and first.replaced_by == second
    assert letters.stored_pdf(first) == first_bytes
    assert list(OfficialResponse.objects.current()) == [second]
    with pytest.raises(services.TransitionError):
        services.issue_response(req, staff, legal_grounds="a", content="b", appeal="c", replaces=first)


# The verification page ------------------------------------------------------------


def test_verification_shows_public_facts_only(staff, req, client):
    official = issue(req, staff)
    body = client.get(f"/verify/{official.guid}/").content.decode()
    assert "این نامه در سامانه صادر شده است" in body
    assert to_persian_digits(official.number) in body
    assert official.pdf_sha256 in body
    assert "سالم؛ با گواهی سازمان امضا شده است" in body
    assert "جایگزین نشده" in body
    for private in (NATIONAL_CODE, to_persian_digits(NATIONAL_CODE), "کریمی", "پذیرفته شد", "ماده ۱۰"):
        assert private not in body


def test_verification_of_a_replaced_letter_says_so(staff, req, client):
    first = issue(req, staff)
    second = services.issue_response(
        req, staff, legal_grounds="ماده ۱۱", content="اصلاح", appeal="دیوان", replaces=first
    )
    body = client.get(f"/verify/{first.guid}/").content.decode()
    assert "اصلاح و جایگزین شده است" in body and f"/verify/{second.guid}/" in body


def test_an_unknown_letter_gets_the_same_page_without_facts(client, db):
    known_shape = client.get("/verify/00000000-0000-0000-0000-000000000000/")
    assert known_shape.status_code == 200
    body = known_shape.content.decode()
    assert "نامه یافت نشد" in body and "SHA-256" not in body.split("upload-title")[0]
    assert client.get("/verify/not-a-guid/").status_code == 200


def test_an_uploaded_copy_is_compared_byte_for_byte(staff, req, client):
    official = issue(req, staff)
    data = letters.stored_pdf(official)
    url = f"/verify/{official.guid}/"
    same = client.post(url, {"document": SimpleUploadedFile("a.pdf", data, "application/pdf")})
    assert "دقیقاً همان نامه صادرشده است" in same.content.decode()
    edited = data.replace(b"/Producer", b"/Producxr", 1) if b"/Producer" in data else data + b"%"
    other = client.post(url, {"document": SimpleUploadedFile("a.pdf", edited, "application/pdf")})
    assert "یکسان نیست" in other.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "خالی است"),
        (b"hello, not a pdf", "PDF نیست"),
    ],
)
def test_bad_uploads_get_persian_messages(staff, req, client, content, message):
    official = issue(req, staff)
    response = client.post(f"/verify/{official.guid}/", {"document": SimpleUploadedFile("a.pdf", content)})
    assert response.status_code == 400 and message in response.content.decode()


def test_a_too_big_upload_is_refused(staff, req, client, monkeypatch):
    official = issue(req, staff)
    monkeypatch.setattr(letters, "MAX_UPLOAD_BYTES", 100)
    response = client.post(
        f"/verify/{official.guid}/", {"document": SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 200)}
    )
    assert response.status_code == 400 and "۱۰ مگابایت" in response.content.decode()


def test_the_lookup_form_finds_a_letter_by_number_and_jalali_date(staff, req, client):
    from portal.jalali import format_jalali_date

    official = issue(req, staff)
    typed = {"number": to_persian_digits(official.number), "date": format_jalali_date(official.response_date)}
    response = client.get("/verify/", typed)
    assert response.status_code == 302 and response["Location"].endswith(f"/verify/{official.guid}/")
    wrong = client.get("/verify/", {"number": "1399/000001", "date": typed["date"]})
    assert "در سامانه صادر نشده است" in wrong.content.decode()
    bad = client.get("/verify/", {"number": "abc", "date": typed["date"]})
    assert "شماره نامه را مانند" in bad.content.decode()


def test_verification_is_rate_limited(client, db, settings):
    settings.LETTER_VERIFY_RATE = "2/600"
    from django.core.cache import cache

    cache.clear()
    responses = [client.get("/verify/") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    refused = responses[-1].content.decode()
    assert (
        "تعداد بررسی‌ها از این نشانی" in refused
        and '<a href="/verify/">بازگشت به بررسی اصالت نامه</a>' in refused
    )


def test_signatories_are_kept_in_the_admin_with_a_checked_national_code(admin_client, staff):
    assert "مریم احمدی" in admin_client.get("/admin/signatories/").content.decode()
    user = get_user_model().objects.create_user("second")
    post = {"user": user.pk, "full_name": "رضا نیک", "position": "رئیس واحد", "national_code": "1234567890"}
    refused = admin_client.post("/admin/signatories/new/", post)
    assert refused.status_code == 200 and "شماره ملی معتبر نیست" in refused.content.decode()
    post["national_code"] = "۰۰۱۲۳۴۵۶۷۹"
    assert admin_client.post("/admin/signatories/new/", post).status_code == 302
    assert Signatory.objects.get(user=user).national_code == "0012345679"


def test_the_receipt_pdf_qr_opens_the_tracking_page_with_the_code_only(req, client):
    from intake import pdf, receipts

    data = pdf.render_receipt_pdf(None, req, receipts.receipt_context(req))
    texts = [
        r.text for r in zxingcpp.read_barcodes(page_image(data)) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]
    assert texts == [f"http://testserver/track/#code={req.tracking_code}"]
    # The lookup page fills its field from that address's fragment (never sent to the server).
    body = client.get("/track/").content.decode()
    assert "js/track-code.js" in body


def test_signing_works_inside_a_running_event_loop(staff, req):
    """An ASGI server or a browser test runs an event loop in the issuing thread."""
    import asyncio

    async def issue_from_a_loop():
        return letters.run_async(lambda: asyncio.sleep(0, result="done"))

    assert asyncio.run(issue_from_a_loop()) == "done"


def test_a_correction_does_not_count_as_a_second_answer_in_the_reports(staff, req):
    from desk import reports

    first = issue(req, staff)
    services.issue_response(
        req, staff, legal_grounds="ماده ۱۱", content="اصلاح", appeal="دیوان", replaces=first
    )
    assert reports.build(ServiceRequest.objects.all()).answered == 1


def test_a_request_with_a_corrected_letter_can_still_be_deleted(staff, req):
    first = issue(req, staff)
    services.issue_response(
        req, staff, legal_grounds="ماده ۱۱", content="اصلاح", appeal="دیوان", replaces=first
    )
    ServiceRequest.objects.filter(pk=req.pk).delete()
    assert not OfficialResponse.objects.exists()


def test_the_letterhead_shows_the_logo_from_the_site_settings(staff, req, home, settings, tmp_path):
    from django.core.files.images import ImageFile
    from PIL import Image as PilImage
    from wagtail.images.models import Image
    from wagtail.models import Site

    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    PilImage.new("RGB", (120, 120), (200, 30, 120)).save(buffer, "PNG")
    logo = Image.objects.create(title="نشان", file=ImageFile(buffer, name="logo.png"))
    portal = letters.portal_settings()
    portal.logo = logo
    portal.organisation_email = "info@example.invalid"
    portal.organisation_national_id = "14001234567"
    portal.save()
    assert Site.objects.filter(is_default_site=True).exists()
    official = issue(req, staff)
    image = page_image(letters.stored_pdf(official), scale=1).convert("RGB")
    # The logo's colour is drawn at the top of the page (the letterhead).
    top = image.crop((0, 0, image.width, image.height // 6))
    assert (200, 30, 120) in {colour for _count, colour in top.getcolors(maxcolors=1 << 20)}
    fields = letters.parse_qr_text(official.qr_text)
    assert (fields["email"], fields["national_id"]) == ("info@example.invalid", "14001234567")


@pytest.mark.parametrize(
    "damaged",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        b"%PDF-1.4\n" + b"\x00\xff" * 500,
    ],
)
def test_a_damaged_pdf_upload_gets_an_answer_not_an_error(staff, req, client, damaged):
    official = issue(req, staff)
    response = client.post(f"/verify/{official.guid}/", {"document": SimpleUploadedFile("a.pdf", damaged)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "یکسان نیست" in body and "امضا ندارد" in body


def test_a_signed_letter_truncated_is_refused_as_not_the_issued_one(staff, req, client):
    official = issue(req, staff)
    data = letters.stored_pdf(official)
    cut = data[: len(data) // 2]
    response = client.post(f"/verify/{official.guid}/", {"document": SimpleUploadedFile("a.pdf", cut)})
    assert response.status_code == 200 and "یکسان نیست" in response.content.decode()
