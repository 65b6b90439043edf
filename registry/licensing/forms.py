"""Input shapes of the licensing pages; the rules are in licensing.offers and .requests (as for the API)."""

from __future__ import annotations

import re

from django import forms

from registry.consent import vocab
from registry.consent.vocab import Channel, Modality, Use
from registry.core.forms import IsoDateField

CURRENCY_CHOICES = [(c, c) for c in sorted(vocab.CURRENCIES)]


def _territory_list(value: str) -> list[str]:
    return [t if t.lower() == vocab.WORLDWIDE else t.upper() for t in re.split(r"[\s,;]+", value or "") if t]


class OfferFields(forms.Form):
    modalities = forms.MultipleChoiceField(choices=Modality.choices, widget=forms.CheckboxSelectMultiple)
    territories = forms.CharField(
        max_length=400,
        help_text="Two-letter country codes separated by commas (e.g. US, CA), or 'worldwide'.",
    )
    channels = forms.MultipleChoiceField(choices=Channel.choices, widget=forms.CheckboxSelectMultiple)
    valid_from = IsoDateField(label="From")
    valid_until = IsoDateField(label="Until")
    fee_amount = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, label="Fee")
    fee_currency = forms.ChoiceField(choices=CURRENCY_CHOICES, initial="USD", label="Currency")
    product_category = forms.CharField(
        required=False,
        max_length=50,
        help_text="Optional: the product advertised, e.g. apparel, wine, cigarettes.",
    )
    ai_disclosure = forms.BooleanField(
        required=False,
        label="AI disclosure: the content is labelled as AI-generated or altered",
        help_text="Always required for digital replicas and digital alteration, and when the talent's terms "
        "require it.",
    )
    attribution = forms.BooleanField(
        required=False,
        label="Attribution: the talent is credited",
        help_text="Required when the talent's terms require it.",
    )

    def offer_data(self) -> dict:
        d = self.cleaned_data
        return {
            "modalities": d["modalities"],
            "territories": _territory_list(d["territories"]),
            "channels": d["channels"],
            "valid_from": d["valid_from"].isoformat(),
            "valid_until": d["valid_until"].isoformat(),
            "fee": {"amount": str(d["fee_amount"]), "currency": d["fee_currency"]},
            "product_category": d.get("product_category") or "",
            "ai_disclosure": bool(d.get("ai_disclosure")),
            "attribution": bool(d.get("attribution")),
        }


class LicenseRequestForm(OfferFields):
    talent = forms.CharField(max_length=40, label="Talent registry ID", help_text="e.g. TR-7KQ3-M9XD")
    use = forms.ChoiceField(choices=Use.choices)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        label="Intended use",
        help_text="Be specific: what you will make, for which campaign or product, where and for how long.",
    )
    message = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label="Message (optional)"
    )

    field_order = ["talent", "use", "description", "modalities", "territories", "channels"]

    def request_data(self) -> dict:
        return {
            **self.offer_data(),
            "use": self.cleaned_data["use"],
            "description": self.cleaned_data["description"],
            "message": self.cleaned_data.get("message") or "",
        }


class CounterForm(OfferFields):
    message = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label="Message (optional)"
    )

    @classmethod
    def from_request(cls, license_request, data=None, prefix="counter"):
        initial = {
            "modalities": license_request.modalities,
            "territories": ", ".join(license_request.territories),
            "channels": license_request.channels,
            "valid_from": license_request.valid_from,
            "valid_until": license_request.valid_until,
            "fee_amount": license_request.fee_amount,
            "fee_currency": license_request.fee_currency,
            "product_category": license_request.product_category,
            "ai_disclosure": license_request.ai_disclosure,
            "attribution": license_request.attribution,
        }
        return cls(data, initial=initial, prefix=prefix)


class MessageForm(forms.Form):
    message = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label="Message (optional)"
    )


class TerminateForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=2000,
        label="Reason for termination",
    )


class VerifyLookupForm(forms.Form):
    license_id = forms.CharField(max_length=40, label="License ID", help_text="e.g. LIC-3F9A0C12B7D4")

    def clean_license_id(self) -> str:
        # Letters, digits and dashes only: the ID becomes a path segment of the redirect ("a/b" or
        # "//evil.example" cannot be one, and reversing the URL with it raised NoReverseMatch, a 500).
        value = self.cleaned_data["license_id"].strip().upper()
        if not re.fullmatch(r"[A-Z0-9-]+", value):
            raise forms.ValidationError("A license ID has letters, digits and dashes only (LIC-…).")
        return value


class VerifyDocumentForm(forms.Form):
    certificate = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        max_length=50000,
        label="Certificate JSON",
        help_text="Paste the certificate.json you received; its signature is checked against our public key.",
    )
