"""Private file storage for attachments: never a public URL.

The files live on disk under settings.PRIVATE_MEDIA_ROOT (default BASE_DIR /
"private-media"), outside MEDIA_ROOT, or, when settings.PRIVATE_MEDIA_S3 holds the
options of an S3 bucket (PRIVATE_MEDIA_S3_BUCKET), in that bucket under its prefix
with no ACL. Which one is chosen when the storage is used, never at import time,
and again whenever those settings change. Files here are never served by the web
server, by Django's static/media handlers or by the bucket to anonymous readers;
staff get them through views that check permissions and stream them.
"""

import logging
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.deconstruct import deconstructible

logger = logging.getLogger(__name__)

S3_FORCED = {"default_acl": None, "querystring_auth": True, "custom_domain": None, "file_overwrite": False}


def _disk(root):
    return FileSystemStorage(location=os.path.abspath(root), base_url=None)


def _s3(options):
    from storages.backends.s3 import S3Storage

    # Whatever the options say, private objects get no ACL and never overwrite.
    return S3Storage(**{**options, **S3_FORCED})


@deconstructible
class PrivateStorage(Storage):
    """Hands every call to the backend the settings name (disk or S3); url() raises."""

    def __init__(self):
        self._current = (None, None)  # (settings key, backend), replaced as one

    def backend(self):
        options = getattr(settings, "PRIVATE_MEDIA_S3", None) or None
        root = str(getattr(settings, "PRIVATE_MEDIA_ROOT", settings.BASE_DIR / "private-media"))
        key = ("s3", repr(sorted(options.items()))) if options else ("disk", root)
        current = self._current
        if current[0] != key:
            # Two threads may both build one: harmless, the last one stays.
            current = self._current = (key, _s3(options) if options else _disk(root))
        return current[1]

    def url(self, name):
        raise ValueError("Private files have no public URL.")

    # Everything else is the backend's.
    def open(self, name, mode="rb"):
        return self.backend().open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend().save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self.backend().get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.backend().get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.backend().get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend().generate_filename(filename)

    def path(self, name):
        return self.backend().path(name)

    def delete(self, name):
        return self.backend().delete(name)

    def exists(self, name):
        return self.backend().exists(name)

    def listdir(self, path):
        return self.backend().listdir(path)

    def size(self, name):
        return self.backend().size(name)

    def get_accessed_time(self, name):
        return self.backend().get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend().get_created_time(name)

    def get_modified_time(self, name):
        return self.backend().get_modified_time(name)


private_storage = PrivateStorage()


def remove_files(names):
    """Delete these private files; a file that cannot be deleted is logged and left
    for `manage.py cleanup_intake_drafts`."""
    for name in names:
        try:
            private_storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name)
