"""Static files storage: hashed names after collectstatic, plain names (not a 500) before it."""

from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def url(self, name, force=False):
        try:
            return super().url(name, force)
        except ValueError:
            # Not collected yet (e.g. gunicorn started straight from a checkout): WhiteNoise still serves the
            # file from the app's static folders (WHITENOISE_USE_FINDERS), under its plain name.
            return FileSystemStorage.url(self, name)
