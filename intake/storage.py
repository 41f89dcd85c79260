"""Private file storage for attachments: outside MEDIA_ROOT, with no public URL.

The location comes from settings.PRIVATE_MEDIA_ROOT (default BASE_DIR / "private-media"),
read when first used, never at import time. Files here are never served by the
web server or by Django's static/media handlers; staff get them through views
that check permissions.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    @cached_property
    def base_location(self):
        return str(getattr(settings, "PRIVATE_MEDIA_ROOT", settings.BASE_DIR / "private-media"))

    @cached_property
    def location(self):
        import os

        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


private_storage = PrivateStorage()
