"""Official letters: the «شمس» QR, the PAdES signature and the checks of the public
verification page (docs/letters.md).

An official response is issued once (intake.services.workflow.issue_response):
its letter is rendered to PDF (intake.pdf, template intake/track/response_pdf.html),
signed with the organisation's certificate (a PKCS#12 file named by the settings
LETTER_SIGNING_P12 / LETTER_SIGNING_PASSWORD), and the signed bytes are stored in
private storage with their SHA-256. Those bytes are what the citizen downloads,
every time; nothing re-renders an issued letter.

The QR carries the fields of the Presidential Office circular 110718 (1398/09/03),
one per line in its order: letter number, issue date-time (ISO 8601, 19
characters, local time), GUID, signer's national code, organisation's email,
organisation's national ID; then the address of the letter's verification page.

The organisation's wording lives in home's site settings (PortalSettings); intake
may not import home, so it is looked up by name (apps.get_model) when used.
"""

import base64
import datetime
import hashlib
import io
import logging
import os
import threading
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from .qr import public_url, qr_svg

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "demo-letters-only"  # noqa: S105 (the self-signed development certificate)
DEMO_SUBJECT = "Service desk demo signer (development only)"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class SigningError(Exception):
    """The letter cannot be signed; the message is Persian and may be shown to staff."""


# Site settings --------------------------------------------------------------------


def portal_settings():
    """The default site's PortalSettings (home), or its defaults when there is no site."""
    from wagtail.models import Site

    model = apps.get_model("home", "PortalSettings")
    site = Site.objects.filter(is_default_site=True).first()
    return model.for_site(site) if site is not None else model()


def logo_data_url(portal):
    """The letterhead's logo as a data: URL (a small rendition), or "" without one."""
    logo = getattr(portal, "logo", None)
    if logo is None:
        return ""
    try:
        rendition = logo.get_rendition("max-240x240|format-png")
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("letterhead logo could not be read")
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


# The «شمس» QR ----------------------------------------------------------------------


def issue_datetime_text(moment):
    """ISO 8601, exactly 19 characters, the organisation's local time: 2026-12-04T13:05:09."""
    return timezone.localtime(moment).replace(microsecond=0, tzinfo=None).isoformat()


def qr_text(response, portal):
    """The QR's text: the six fields of circular 110718, one a line, then the
    verification page's address."""
    return "\n".join(
        [
            response.number,
            issue_datetime_text(response.created_at),
            str(response.guid),
            response.signer_national_code,
            portal.organisation_email or "",
            portal.organisation_national_id or "",
            public_url(response.get_verify_url()),
        ]
    )


def parse_qr_text(text):
    """The fields of a letter's QR text by name (for tests and scanners)."""
    names = ["number", "issued_at", "guid", "signer_national_code", "email", "national_id", "url"]
    return dict(zip(names, text.split("\n"), strict=True))


# The certificate -------------------------------------------------------------------


def demo_certificate_path():
    return Path(settings.PRIVATE_MEDIA_ROOT) / "letters" / "demo-signing.p12"


_demo_lock = threading.Lock()


def ensure_demo_certificate():
    """Make the self-signed demo certificate unless it exists; its path. Development
    and tests only: `load_demo` calls this."""
    path = demo_certificate_path()
    with _demo_lock:
        if not path.exists():
            write_self_signed_p12(path, DEMO_PASSWORD, DEMO_SUBJECT)
        return path


def write_self_signed_p12(path, password, common_name, days=3650):
    """A self-signed certificate and its RSA 2048 key as a PKCS#12 file (mode 600)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Service desk portal (demo)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"signer", key, cert, None, serialization.BestAvailableEncryption(password.encode())
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return path


def credentials():
    """(path, password) of the organisation's PKCS#12, or the demo one where allowed;
    SigningError (Persian) when there is none."""
    path = getattr(settings, "LETTER_SIGNING_P12", "")
    if path:
        return Path(path), getattr(settings, "LETTER_SIGNING_PASSWORD", "")
    if getattr(settings, "LETTER_SIGNING_DEMO", False):
        return ensure_demo_certificate(), DEMO_PASSWORD
    raise SigningError(
        "گواهی امضای الکترونیکی سازمان تنظیم نشده است؛ تا تنظیم آن (LETTER_SIGNING_P12) پاسخ رسمی صادر نمی‌شود."
    )


_signers = {}


def load_signer():
    """pyHanko's signer for the configured PKCS#12 (kept per file and change time)."""
    from pyhanko.sign import signers

    path, password = credentials()
    try:
        key = (str(path), path.stat().st_mtime_ns, password)
    except OSError:
        raise SigningError("فایل گواهی امضای سازمان خوانده نشد.") from None
    signer = _signers.get(key)
    if signer is None:
        try:
            signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password.encode() or None)
        except (OSError, ValueError):
            signer = None
        if signer is None:
            raise SigningError("فایل گواهی امضای سازمان یا گذرواژه آن درست نیست.")
        _signers.clear()
        _signers[key] = signer
    return signer


def configuration_problem():
    """A sentence (English, for `check --deploy`) when letters cannot be signed, else ""."""
    if not getattr(settings, "LETTER_SIGNING_P12", ""):
        return "LETTER_SIGNING_P12 is not set: official responses cannot be issued (docs/letters.md)."
    try:
        load_signer()
    except SigningError:
        return "LETTER_SIGNING_P12 / LETTER_SIGNING_PASSWORD do not open a certificate and key."
    return ""


# Signing and checking ----------------------------------------------------------------


def run_async(make_coroutine):
    """Run pyHanko's coroutine to its end from synchronous code. pyHanko's own
    synchronous wrappers call asyncio.run(), which fails where this thread already
    runs an event loop (an ASGI server's, a browser test's): then it runs in a
    thread of its own."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def sign(pdf_bytes, response):
    """The PDF signed (PAdES B-B, one approval signature over the whole file)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = load_signer()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    meta = signers.PdfSignatureMetadata(
        field_name="OfficialResponse",
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=f"Official response {response.number}",
        name=response.signer_name or None,
    )
    output = run_async(lambda: signers.async_sign_pdf(writer, meta, signer=signer))
    return output.getvalue()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def check_signature(pdf_bytes):
    """Whether the PDF carries an intact signature of the organisation's certificate
    over the whole file: {"signed", "intact", "trusted", "whole"} booleans."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    result = {"signed": False, "intact": False, "trusted": False, "whole": False}
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # noqa: BLE001 (anyone's upload: a damaged PDF is "not signed", never a 500)
        logger.info("unreadable PDF checked: %s", type(error).__name__)
        return result
    if not signatures:
        return result
    result["signed"] = True
    try:
        own = load_signer().signing_cert
        context = ValidationContext(trust_roots=[own], allow_fetching=False)
        status = run_async(lambda: async_validate_pdf_signature(signatures[-1], context))
    except Exception as error:  # noqa: BLE001 (a damaged signature is "not valid", never a 500)
        logger.info("signature check failed: %s", type(error).__name__)
        return result
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    result["intact"] = bool(status.intact and status.valid)
    result["trusted"] = bool(status.trusted) and status.signing_cert.dump() == own.dump()
    result["whole"] = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return result


# Issuing -----------------------------------------------------------------------------


def letter_context(response, portal=None):
    portal = portal or portal_settings()
    logo = logo_data_url(portal)
    return {
        "official": response,
        "portal": portal,
        "logo_url": logo,
        "qr": qr_svg(response.qr_text, size_mm=30, label="کد شمس: بررسی اصالت نامه"),
        "verify_url": public_url(response.get_verify_url()),
    }


def produce(response):
    """Render, sign and store the letter of a response being issued (inside the
    issuing transaction, before the response is saved): sets qr_text, pdf and
    pdf_sha256. SigningError when it cannot be signed."""
    from .pdf import render_pdf

    portal = portal_settings()
    response.organisation_name = response.organisation_name or portal.organisation_name
    response.qr_text = qr_text(response, portal)
    context = letter_context(response, portal)
    pdf = render_pdf(
        None,
        "intake/track/response_pdf.html",
        context,
        images=[context["logo_url"]] if context["logo_url"] else (),
    )
    signed = sign(pdf, response)
    response.pdf_sha256 = sha256(signed)
    response.pdf.save(f"{response.guid}.pdf", ContentFile(signed), save=False)
    return signed


def stored_pdf(response):
    """The issued letter's bytes, exactly as stored."""
    with response.pdf.open("rb") as handle:
        return handle.read()


def store_legacy(response):
    """A response issued before letters were signed gets its letter made and stored
    on first download (with what it recorded then; no signer's national code), and
    from then on served like any other."""
    from django.db import transaction

    from .models import OfficialResponse

    with transaction.atomic():
        locked = (
            OfficialResponse.objects.select_for_update()
            .select_related("request", "replaces")
            .get(pk=response.pk)
        )
        if locked.pdf:
            return stored_pdf(locked)
        signed = produce(locked)
        try:
            locked.save(update_fields=["organisation_name", "qr_text", "pdf", "pdf_sha256"])
        except BaseException:
            locked.pdf.storage.delete(locked.pdf.name)
            raise
    return signed
