"""Input shape of the signature pages: signing a reviewed draft (with its separate consents and the AB 2602
tick) and revoking. The rules live in consent.signing and consent.revocation."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.consent import organizations as term_organizations
from registry.consent.forms import DATE_INPUT
from registry.consent.signing import typed_name_matches
from registry.consent.summaries import USE_LABELS, USE_ORDER
from registry.consent.vocab import Decision

SIGNATURE_LABEL = "Type your full legal name to sign"


def signature_field(*, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=SIGNATURE_LABEL,
        max_length=200,
        required=required,
        help_text="Your electronic signature: your full legal name, as on your ID (not your stage name).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class TypedNameMixin:
    """The signature is the signer's full legal name, typed. `legal_name` (the talent signing for herself):
    it must match the name on file, ignoring case and spacing; for a guardian, estate or representative
    (their own legal name is not on file) a full name must be typed."""

    legal_name: str | None = None

    def check_typed_name(self, typed: str) -> None:
        if not typed.strip():
            self.add_error("signer_name", "Type your full legal name to sign.")
        elif self.legal_name is not None and not typed_name_matches(typed, self.legal_name):
            self.add_error(
                "signer_name",
                "This is not the legal name on your profile. Type your full legal name exactly as on your "
                "profile (capital letters and spaces do not matter).",
            )


class SignForm(TypedNameMixin, forms.Form):
    """The signature: a typed legal name, an acknowledgement, and one separate tick per replica/AI consent."""

    expected_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    signer_name = signature_field()
    agree = forms.BooleanField(
        label="I have read the changes and the full text above, and I sign these terms.",
        error_messages={"required": "Tick this box to sign."},
    )

    def __init__(self, *args, personal_terms=(), unrepresented=(), legal_name=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_name = legal_name
        self.personal_fields = []
        self.unrepresented_fields = []
        for term in personal_terms:
            name = f"consent_{term.use}"
            brands = term_organizations.organization_names(term)
            self.fields[name] = forms.BooleanField(
                label=(
                    "Separately from everything else, I personally consent to: "
                    f"{USE_LABELS[term.use].lower()} "
                    f"— {term.consent_description} — for {term.consent_duration}, paid {term.consent_pay}"
                    + (f", only for {', '.join(brands)}." if brands else ", for any brand.")
                ),
                error_messages={"required": "This consent needs its own tick."},
            )
            self.personal_fields.append(self[name])
        for term in unrepresented:
            name = f"unrepresented_{term.use}"
            self.fields[name] = forms.BooleanField(
                label=f"I want to sign without representation ({USE_LABELS[term.use].lower()}).",
                error_messages={
                    "required": "Ask the union for help first, or tick this box to sign without "
                    "representation."
                },
            )
            self.unrepresented_fields.append(self[name])

    def clean(self):
        data = super().clean()
        if "signer_name" in data:
            self.check_typed_name(data["signer_name"])
        return data

    def unrepresented_uses(self) -> frozenset[str]:
        return frozenset(
            name.removeprefix("unrepresented_")
            for name, value in self.cleaned_data.items()
            if name.startswith("unrepresented_") and value
        )

    def confirmed_uses(self) -> frozenset[str]:
        return frozenset(
            name.removeprefix("consent_")
            for name, value in self.cleaned_data.items()
            if name.startswith("consent_") and value
        )


REVOKE_ALL = "all"


class RevokeForm(TypedNameMixin, forms.Form):
    scope = forms.ChoiceField(
        label="What do you revoke?",
        choices=[(REVOKE_ALL, "Everything: all uses"), ("some", "Only the uses I choose below")],
        widget=forms.RadioSelect,
        initial=REVOKE_ALL,
    )
    uses = forms.MultipleChoiceField(
        label="Uses to revoke",
        choices=[(u, USE_LABELS[u]) for u in USE_ORDER],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decision = forms.ChoiceField(
        label="From then on, the revoked uses are",
        choices=[
            (Decision.LICENSE, "Only with a license I approve (AI training: not allowed)"),
            (Decision.DENY, "Not allowed at all"),
        ],
        widget=forms.RadioSelect,
        initial=Decision.LICENSE,
    )
    effective_from = forms.DateField(
        label="Revocation takes effect on",
        widget=DATE_INPUT,
        help_text="Today or later. Licenses already granted stay valid to their own end.",
    )
    signer_name = signature_field(required=False)
    agree = forms.BooleanField(
        label="I have read the resulting terms above and revoke these permissions. Earlier versions stay on "
        "record.",
        required=False,
    )
    # The digest of the resulting terms the page showed: present only once they were shown (then it signs).
    expected_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, legal_name=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_name = legal_name

    def clean_effective_from(self):
        value = self.cleaned_data["effective_from"]
        if value < timezone.localdate():
            raise ValidationError("A revocation cannot take effect in the past.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("scope") == "some" and not data.get("uses"):
            self.add_error("uses", "Choose at least one use to revoke.")
        if self.signing:
            self.check_typed_name(data.get("signer_name") or "")
            if not data.get("agree"):
                self.add_error("agree", "Tick this box to revoke.")
        return data

    @property
    def signing(self) -> bool:
        """The resulting terms were shown (their digest came back): this submission signs."""
        return bool(self.data.get("expected_sha256"))

    def chosen_uses(self) -> list[str] | None:
        return None if self.cleaned_data["scope"] == REVOKE_ALL else list(self.cleaned_data["uses"])
