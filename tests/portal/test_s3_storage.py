"""Media in an S3-compatible bucket (django-storages), against a real S3 server: moto's,
on 127.0.0.1 over HTTP. Wagtail's documents and images land in the public media
bucket; the wizard's attachments land under the private prefix, with no ACL, no
URL, not readable anonymously, and staff still download them through the desk; the
orphan cleanup and the backup work on the bucket too."""

import json
import logging
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

try:
    import boto3
    from moto.server import ThreadedMotoServer
    from storages.backends.s3 import S3Storage  # noqa: F401
except ImportError as missing:  # moto[server] and django-storages[s3] are in requirements.txt
    pytest.skip(f"the S3 tests need moto[server] and django-storages[s3]: {missing}", allow_module_level=True)

from desk import scoping  # noqa: E402
from intake.models import DraftFile, RequestAttachment  # noqa: E402
from intake.storage import private_storage  # noqa: E402
from portal.settings.base import s3_storage_options  # noqa: E402
from tests.desk.conftest import make_user  # noqa: E402
from tests.intake import files  # noqa: E402
from tests.intake.helpers import fill_to_review, step  # noqa: E402

KEYS = {"MEDIA_S3_ACCESS_KEY_ID": "moto-key", "MEDIA_S3_SECRET_ACCESS_KEY": "moto-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    log = logging.getLogger("werkzeug")  # one line per S3 call otherwise
    level = log.level
    log.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    log.setLevel(level)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A fresh bucket; public media at its root, attachments under private/, both
    configured from the MEDIA_S3_* variables as the settings do."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    for name, value in {**KEYS, "MEDIA_S3_ENDPOINT_URL": s3_endpoint, "MEDIA_S3_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    name = f"mizekhedmat-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["MEDIA_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["MEDIA_S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_storage_options(name, "")},
    }
    settings.PRIVATE_MEDIA_S3 = s3_storage_options(name, "private/")
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"
    return {"name": name, "client": client, "endpoint": s3_endpoint}


def keys(bucket, prefix=""):
    listing = bucket["client"].list_objects_v2(Bucket=bucket["name"], Prefix=prefix)
    return sorted(entry["Key"] for entry in listing.get("Contents", ()))


def body(bucket, key):
    return bucket["client"].get_object(Bucket=bucket["name"], Key=key)["Body"].read()


def anonymous_get(bucket, key):
    """A plain unsigned GET straight at the S3 server; returns the HTTP status."""
    url = f"{bucket['endpoint']}/{bucket['name']}/{key}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (http://127.0.0.1 only)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="pass-1234-word"))
    return client


def test_a_wagtail_document_upload_lands_in_the_bucket_and_downloads(admin_client, bucket):
    from wagtail.documents import get_document_model

    content = files.pdf_bytes()
    response = admin_client.post(
        reverse("wagtaildocs:add"),
        {"title": "آیین‌نامه", "file": files.upload("rules.pdf", content, "application/pdf")},
    )
    assert response.status_code == 302, response.content[:500]
    document = get_document_model().objects.get(title="آیین‌نامه")
    assert keys(bucket, "documents/") == [document.file.name]
    assert body(bucket, document.file.name) == content
    assert document.file.name not in keys(bucket, "private/")
    # Still a download, served through Django (no redirect to the bucket).
    served = admin_client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert b"".join(served.streaming_content) == content


def test_a_wagtail_image_and_its_rendition_land_in_the_bucket(admin_client, bucket):
    from wagtail.images import get_image_model

    response = admin_client.post(
        reverse("wagtailimages:add"),
        {"title": "نشان", "file": files.upload("logo.png", files.png_bytes((40, 40)), "image/png")},
    )
    assert response.status_code == 302, response.content[:500]
    image = get_image_model().objects.get(title="نشان")
    assert keys(bucket, "original_images/") == [image.file.name]
    rendition = image.get_rendition("fill-10x10")  # made from the original read back from S3
    assert rendition.file.name in keys(bucket, "images/")
    assert rendition.url.startswith(f"{bucket['endpoint']}/{bucket['name']}/images/")
    assert "X-Amz-Signature=" in rendition.url  # signed: the bucket needs no public policy


def test_a_wizard_attachment_is_private_in_the_bucket_and_staff_download_it(
    client, bucket, intake_page, service, officer, django_capture_on_commit_callbacks
):
    content = files.pdf_bytes(extra=b"% scan of an identity card\n")
    fill_to_review(client, service, officer, files=[files.upload("کارت ملی.pdf", content, "application/pdf")])
    (draft_key,) = keys(bucket, "private/")
    assert draft_key.startswith("private/drafts/")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(step(6), {"action": "next"}).status_code == 302
    assert DraftFile.objects.count() == 1  # its row goes with the draft (cleanup_intake_drafts)

    attachment = RequestAttachment.objects.get()
    key = f"private/{attachment.file.name}"
    assert attachment.file.name.startswith("requests/")
    assert keys(bucket, "private/") == [key]  # the draft's copy is gone
    assert keys(bucket) == [key]  # nothing outside the private prefix
    assert body(bucket, key) == content
    # No ACL grant beyond the owner, no anonymous read, no URL from the storage.
    grants = bucket["client"].get_object_acl(Bucket=bucket["name"], Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert "URI" not in grants[0]["Grantee"]
    assert anonymous_get(bucket, key) == 403
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018
    with pytest.raises(NotImplementedError):
        attachment.file.path  # noqa: B018 (no file on this machine)

    # Staff of the request's unit download it through the desk: the bytes, as a download.
    staff = make_user("staff_s3", scoping.DESK_STAFF, [service.unit])
    client.force_login(staff)
    url = reverse("desk_requests:attachment", args=(attachment.request_id, attachment.pk))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == content

    # Gone from the bucket: 404, as on disk.
    bucket["client"].delete_object(Bucket=bucket["name"], Key=key)
    assert client.get(url).status_code == 404


def test_orphan_cleanup_works_on_the_bucket(bucket, service):
    from intake.management.commands.cleanup_intake_drafts import Command
    from tests.intake.requests import make_request

    owned = RequestAttachment(request=make_request(service), original_name="a.pdf", size=1)
    owned.file.save("a.pdf", files.pdf(), save=False)
    owned.save()
    stray = private_storage.save("requests/2026/11/killed-mid-write.pdf", files.pdf())
    draft = private_storage.save("drafts/2026/11/01/left.pdf", files.pdf())
    assert keys(bucket, "private/") == sorted(f"private/{name}" for name in (owned.file.name, stray, draft))

    assert Command()._remove_orphans(timezone.now() - timedelta(hours=1)) == 0  # all too recent
    assert Command()._remove_orphans(timezone.now() + timedelta(minutes=1)) == 2
    assert keys(bucket, "private/") == [f"private/{owned.file.name}"]


def test_backup_says_the_media_in_s3_are_not_copied(db, bucket, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media-unused"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-unused"
    out = StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    text = out.getvalue()
    address = f"s3://{bucket['name']}/"
    for phrase in (
        "are not copied by this command",
        "versioning or replication",
        "با این فرمان رونوشت نمی‌شوند",
        "پیوست‌های شهروندان",
        f"({address})",
        f"({address}private/)",
    ):
        assert phrase in text, phrase
    (folder,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["s3"] == {"media": address, "private-media": f"{address}private/"}
    assert manifest["files"] == {}
    assert sorted(path.name for path in folder.iterdir() if "media" in path.name) == []

    out = StringIO()
    call_command("restore_drill", backup=str(folder), stdout=out)
    text = out.getvalue()
    assert "restore drill OK" in text
    assert "files: 0" in text
    assert "are not copied by this command" in text


def test_private_objects_get_no_acl_even_if_the_options_ask(bucket, settings, tmp_path):
    settings.PRIVATE_MEDIA_S3 = {**settings.PRIVATE_MEDIA_S3, "default_acl": "public-read"}
    name = private_storage.save("requests/2026/11/x.pdf", files.pdf())
    assert anonymous_get(bucket, f"private/{name}") == 403
    with pytest.raises(ValueError):
        private_storage.url(name)
    # The backend follows the settings when used: without the bucket, back on disk.
    settings.PRIVATE_MEDIA_S3 = None
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    name = private_storage.save("requests/2026/11/y.pdf", files.pdf())
    assert (tmp_path / "private" / name).is_file()
    assert keys(bucket, "private/") == ["private/requests/2026/11/x.pdf"]
