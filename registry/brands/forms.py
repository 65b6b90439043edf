"""Input shapes of the brand workspace. Rules live in registry.brands.services."""

from django import forms

from registry.brands.models import ApiKey, Membership, Organization


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=200, label="Organization name")
    kind = forms.ChoiceField(choices=Organization.Kind.choices, label="Kind of organization")
    website = forms.URLField(required=False, assume_scheme="https")


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address to invite")
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Key name",
        help_text="Where it is used, e.g. 'ad server'.",
        error_messages={"required": "Name the key after where it is used."},
    )
    scopes = forms.MultipleChoiceField(
        choices=ApiKey.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ApiKey.Scope.CHECK],
        help_text="Give each key only what it needs.",
        error_messages={"required": "Choose at least one thing the key may do."},
    )
