"""Input shape of the biometric consent pages and the self-check; the rules live in the services."""

from __future__ import annotations

from django import forms

from registry.consent.signature_forms import TypedNameMixin, signature_field


class SignConsentForm(TypedNameMixin, forms.Form):
    """A typed legal name and a tick, like signing terms; the text version read is sent back."""

    text_version = forms.CharField(widget=forms.HiddenInput, max_length=20)
    signer_name = signature_field()
    agree = forms.BooleanField(
        label="I have read the biometric consent above and I consent to it.",
        error_messages={"required": "Tick this box to give your consent."},
    )

    def __init__(self, *args, legal_name=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_name = legal_name

    def clean(self):
        data = super().clean()
        if "signer_name" in data:
            self.check_typed_name(data["signer_name"])
        return data


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="Withdraw my biometric consent and delete every face descriptor now.",
        error_messages={"required": "Tick this box to withdraw."},
    )


class SelfCheckForm(forms.Form):
    image = forms.FileField(
        label="Suspicious image",
        help_text="A JPEG, PNG or WebP image, at most 15 MB. It is compared with your reference photos and "
        "not stored.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
