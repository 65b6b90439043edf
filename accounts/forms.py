"""Sign-up: a person registers as talent or as a brand member; staff roles are granted by supervisors."""

from django import forms

from accounts.roles import Role
from accounts.services import complete_signup


class RoleSignupForm(forms.Form):
    account_type = forms.ChoiceField(
        label="I am joining as",
        choices=[
            (Role.TALENT.value, "Talent — a model, actor, voice artist or artist registering my likeness"),
            (Role.BRAND_MEMBER.value, "Brand member — I work for a brand, agency or platform"),
        ],
        widget=forms.RadioSelect,
        initial=Role.TALENT.value,
    )
    display_name = forms.CharField(
        label="Your name", max_length=150, help_text="How we address you in emails and on the site."
    )

    field_order = ["account_type", "display_name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        complete_signup(
            user=user,
            role=self.cleaned_data["account_type"],
            display_name=self.cleaned_data["display_name"],
        )


class StaffAccountForm(forms.Form):
    """A supervisor creates a staff or supervisor account; the person is invited by email."""

    display_name = forms.CharField(label="Name", max_length=150)
    email = forms.EmailField(label="Work email")
    role = forms.ChoiceField(
        label="Role",
        choices=[(Role.STAFF.value, "Union staff"), (Role.SUPERVISOR.value, "Supervisor")],
        widget=forms.RadioSelect,
        initial=Role.STAFF.value,
    )


class NotificationSettingsForm(forms.Form):
    notify_case_updates = forms.BooleanField(
        label="Email me when a misuse case is opened about me (or someone I represent)",
        required=False,
        help_text="You can always see these cases on your dashboard.",
    )
