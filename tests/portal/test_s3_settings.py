"""The media-in-S3 settings, read in a fresh interpreter from the environment as a
server reads them: nothing changes without MEDIA_S3_BUCKET; with it, public media
go to the bucket (no ACL, signed URLs, never overwritten) and the pages may show
its images; PRIVATE_MEDIA_S3_BUCKET puts the attachments under their own prefix."""

import json
import os
import subprocess
import sys

from django.conf import settings

READ = """
import json
from django.conf import settings
import django
django.setup()
print(json.dumps({
    "storages": settings.STORAGES,
    "private": settings.PRIVATE_MEDIA_S3,
    "img": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "admin_img": settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]["img-src"],
    "docs": getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None),
}))
"""


def production_settings(**environ):
    """(exit code, settings as JSON or the error) for portal.settings.production."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDIA_S3_", "PRIVATE_MEDIA_S3_"))}
    env.update(SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="portal.settings.production", **environ)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, json.loads(done.stdout) if done.returncode == 0 else done.stderr


def test_without_a_bucket_media_stay_on_disk():
    code, read = production_settings()
    assert code == 0, read
    assert read["storages"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert read["storages"]["staticfiles"]["BACKEND"] == "portal.storage.PortalStaticFilesStorage"
    assert read["private"] is None
    assert read["img"] == ["'self'", "data:"]
    assert read["docs"] is None


def test_public_and_private_media_in_one_bucket():
    code, read = production_settings(
        MEDIA_S3_BUCKET="mizekhedmat",
        MEDIA_S3_ENDPOINT_URL="https://s3.ir-thr-at1.arvanstorage.ir",
        MEDIA_S3_REGION="ir-thr-at1",
        MEDIA_S3_ACCESS_KEY_ID="key",
        MEDIA_S3_SECRET_ACCESS_KEY="secret",
        PRIVATE_MEDIA_S3_BUCKET="mizekhedmat",
    )
    assert code == 0, read
    default = read["storages"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert options["bucket_name"] == "mizekhedmat"
    assert options["endpoint_url"] == "https://s3.ir-thr-at1.arvanstorage.ir"
    assert options["region_name"] == "ir-thr-at1"
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert options["addressing_style"] == "path"
    assert options["default_acl"] is None  # no public-read unless asked
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert read["storages"]["staticfiles"]["BACKEND"] == "portal.storage.PortalStaticFilesStorage"
    # The attachments: same bucket and keys, under private/, no ACL, signed.
    private = read["private"]
    assert private["bucket_name"] == "mizekhedmat"
    assert private["location"] == "private"
    assert private["default_acl"] is None and private["querystring_auth"] is True
    assert private["custom_domain"] is None
    # Pages and the admin may show the bucket's images; documents stay downloads through Django.
    assert read["img"] == ["'self'", "data:", "https://s3.ir-thr-at1.arvanstorage.ir"]
    assert "https://s3.ir-thr-at1.arvanstorage.ir" in read["admin_img"]
    assert read["docs"] == "serve_view"


def test_custom_domain_and_an_acl_when_asked():
    code, read = production_settings(
        MEDIA_S3_BUCKET="media",
        MEDIA_S3_ENDPOINT_URL="http://minio.internal:9000",
        MEDIA_S3_CUSTOM_DOMAIN="media.example.ir",
        MEDIA_S3_DEFAULT_ACL="public-read",
        MEDIA_S3_QUERYSTRING_AUTH="0",
        MEDIA_S3_PREFIX="/public/",
    )
    assert code == 0, read
    options = read["storages"]["default"]["OPTIONS"]
    assert options["custom_domain"] == "media.example.ir"
    assert options["default_acl"] == "public-read"
    assert options["querystring_auth"] is False
    assert options["location"] == "public"
    assert read["private"] is None
    assert read["img"][-1] == "https://media.example.ir"


def test_attachments_may_not_share_the_public_prefix():
    same = {"MEDIA_S3_BUCKET": "b", "PRIVATE_MEDIA_S3_BUCKET": "b"}
    code, error = production_settings(**same, PRIVATE_MEDIA_S3_PREFIX="")
    assert code != 0 and "PRIVATE_MEDIA_S3_PREFIX" in error
    code, error = production_settings(
        **same, MEDIA_S3_PREFIX="media/", PRIVATE_MEDIA_S3_PREFIX="media/private/"
    )
    assert code != 0 and "PRIVATE_MEDIA_S3_PREFIX" in error
    code, read = production_settings(**same, MEDIA_S3_PREFIX="media/")
    assert code == 0, read
    assert read["private"]["location"] == "private"
    # Another bucket: any prefix.
    code, read = production_settings(
        MEDIA_S3_BUCKET="b", PRIVATE_MEDIA_S3_BUCKET="c", PRIVATE_MEDIA_S3_PREFIX=""
    )
    assert code == 0, read
    assert read["private"]["location"] == ""
