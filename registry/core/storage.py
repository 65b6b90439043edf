"""Static files storage: hashed names after collectstatic, plain names (not a 500) before it."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False
