"""Input shapes of the brand workspace. Rules live in registry.brands.services and the consent evaluator."""

from django import forms

from registry.brands.models import ApiKey, Membership, Organization
from registry.consent.vocab import Channel, Modality, Outcome, Use


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=200, label="Organization name")
    kind = forms.ChoiceField(choices=Organization.Kind.choices, label="Kind of organization")
    website = forms.URLField(required=False, assume_scheme="https")


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address to invite")
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, label="Key name", help_text="Where it is used, e.g. 'ad server'.")
    scopes = forms.MultipleChoiceField(
        choices=ApiKey.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ApiKey.Scope.CHECK],
        help_text="Give each key only what it needs.",
    )


class CheckForm(forms.Form):
    """The web version of POST /api/v1/permissions/check/ (validated again by the evaluator's parse_check)."""

    talent = forms.CharField(max_length=40, label="Talent registry ID", help_text="e.g. TR-7KQ3-M9XD")
    use = forms.ChoiceField(choices=Use.choices)
    modality = forms.ChoiceField(choices=Modality.choices)
    territory = forms.CharField(
        max_length=2, min_length=2, help_text="Two-letter country code, e.g. US, DE", initial="US"
    )
    channel = forms.ChoiceField(choices=Channel.choices)
    date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The day the content runs (default: today).",
    )
    product_category = forms.SlugField(
        required=False, max_length=50, help_text="Optional, e.g. apparel, alcohol, political."
    )

    def clean_talent(self):
        return self.cleaned_data["talent"].strip().upper()

    def clean_territory(self):
        return self.cleaned_data["territory"].strip().upper()

    def check_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "date" in data:
            data["date"] = data["date"].isoformat()
        return data


class CheckFilterForm(forms.Form):
    talent = forms.CharField(required=False, max_length=40, label="Talent ID")
    use = forms.ChoiceField(required=False, choices=[("", "Any use"), *Use.choices])
    decision = forms.ChoiceField(required=False, choices=[("", "Any decision"), *Outcome.choices])
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From")
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To")


class VerifyOrganizationForm(forms.Form):
    verified = forms.BooleanField(required=False)
