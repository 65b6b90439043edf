"""Input shape of the staff import page: the uploaded file, and the previewed file sent back to confirm."""

from __future__ import annotations

import base64
import binascii

from django import forms
from django.core.exceptions import ValidationError

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Registry file (JSON)", help_text="The format of docs/product.md §2, at most 5 MB."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError("The file is larger than 5 MB: split it into several imports.")
        return upload


class ImportConfirmForm(forms.Form):
    """The previewed file travels back base64-encoded: browsers rewrite newlines in submitted fields."""

    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_IMPORT_BYTES * 2)
    file_name = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_content(self) -> bytes:
        try:
            return base64.b64decode(self.cleaned_data["content"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError("The previewed file is damaged: upload it again.")
