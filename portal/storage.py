"""Static files in production: WhiteNoise's fingerprinted, compressed storage
(`collectstatic` writes name.<hash>.ext plus .gz and .br copies; WhiteNoise serves
them with a ten-year immutable cache lifetime). Ground floor: imports nothing of ours.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """As WhiteNoise's, except that a stylesheet of an installed package referring to
    a file the package does not ship (django-jalali's jQuery UI theme names images it
    leaves out) keeps that reference as written instead of stopping `collectstatic`."""

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError as error:
            if content is None and "could not be found" in str(error):
                return name
            raise
