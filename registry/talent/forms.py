"""Input shape of the talent pages; the services do the work and the rules."""

from django import forms

from registry.core.forms import IsoDateField
from registry.talent.models import (
    Discipline,
    ReferenceMedia,
    Representative,
    TalentProfile,
    VerificationMethod,
)
from registry.talent.profiles import PROFILE_FIELDS


class ProfileForm(forms.ModelForm):
    """Public part (shown in the registry) and private part (talent, representatives and staff only)."""

    disciplines = forms.MultipleChoiceField(
        choices=Discipline.choices,
        widget=forms.CheckboxSelectMultiple,
        required=True,
        help_text="What you do; shown publicly.",
    )

    public_fields = ("stage_name", "disciplines", "representation", "bio")
    private_fields = ("legal_name", "date_of_birth", "email", "phone", "address", "membership_number")

    class Meta:
        model = TalentProfile
        fields = PROFILE_FIELDS
        labels = {
            "stage_name": "Stage or professional name",
            "representation": "Representation",
            "bio": "Short public bio",
            "legal_name": "Legal name",
            "date_of_birth": "Date of birth",
            "email": "Contact email",
            "phone": "Contact phone",
            "address": "Postal address",
            "membership_number": "Union membership number",
        }
        help_texts = {
            "stage_name": "The name brands and the public know you by; shown publicly.",
            "representation": "Your agency or agent, as shown publicly (optional).",
            "legal_name": "As on your identity document; staff use it to verify you.",
            "date_of_birth": "Under 18? A parent or guardian must act and sign for you.",
            "membership_number": "Leave empty if you are not a union member.",
        }
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "bio": forms.Textarea(attrs={"rows": 4}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_name"].required = True
        self.fields["date_of_birth"].required = True

    def public_part(self):
        return [self[name] for name in self.public_fields]

    def private_part(self):
        return [self[name] for name in self.private_fields]


class RepresentativeForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        help_text="If they have no account yet, we email them an invitation to set a password.",
    )
    kind = forms.ChoiceField(
        label="They act as",
        choices=[
            (Representative.Kind.AGENT, "Agent or agency"),
            (Representative.Kind.GUARDIAN, "Parent or legal guardian (for a talent under 18)"),
        ],
        initial=Representative.Kind.AGENT,
    )
    agency = forms.CharField(label="Agency (optional)", max_length=200, required=False)
    can_manage_terms = forms.BooleanField(
        label="May manage my likeness terms",
        required=False,
        initial=True,
        help_text="Never the separate consents to digital replicas or AI training: only you can give those.",
    )
    can_answer_requests = forms.BooleanField(
        label="May answer license requests", required=False, initial=True
    )


class StaffRepresentativeForm(RepresentativeForm):
    """Staff may also record a guardian for a minor without an account, or an estate (AB 1836)."""

    kind = forms.ChoiceField(
        label="They act as", choices=Representative.Kind.choices, initial=Representative.Kind.GUARDIAN
    )


class ReferenceMediaForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", choices=ReferenceMedia.Kind.choices, initial=ReferenceMedia.Kind.PHOTO
    )
    file = forms.FileField(
        label="File",
        help_text="Photos: JPEG, PNG or WebP up to 15 MB. Voice samples: WAV, MP3 or Ogg up to 25 MB. "
        "Location data (GPS) is removed from the copies we show.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,audio/wav,audio/x-wav,audio/mpeg,audio/ogg"}
        ),
    )
    caption = forms.CharField(label="Caption (optional)", max_length=200, required=False)


class VerifyForm(forms.Form):
    identity_verified = forms.BooleanField(
        label="Identity checked: show the verified badge", required=False, initial=True
    )
    membership_status = forms.ChoiceField(label="Union membership", choices=TalentProfile.Membership.choices)
    membership_number = forms.CharField(label="Membership number", max_length=40, required=False)
    method = forms.ChoiceField(label="How was this checked?", choices=VerificationMethod.choices)
    note = forms.CharField(
        label="Note",
        max_length=150,
        required=False,
        help_text="E.g. “passport, last 4 digits 0142; roster 2026-11 matched”.",
    )
    duplicates_checked = forms.BooleanField(
        label="I checked the duplicates",
        required=False,
        help_text="Required when likely duplicates are listed above: you checked none is an impostor.",
    )


class RecordDeathForm(forms.Form):
    date_of_death = IsoDateField(label="Date of death")


class AuthorityDocumentForm(forms.Form):
    document = forms.FileField(
        label="Document of authority",
        help_text="A PDF or a photo/scan (JPEG, PNG, WebP): a birth certificate or court order for a "
        "guardian, letters testamentary or of administration for an estate. Union staff check it.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Reason for withdrawal", max_length=300)


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label="Roster CSV",
        help_text="Columns: stage_name, legal_name, email, membership_number, date_of_birth (YYYY-MM-DD), "
        "disciplines (separated by ; ). New members are invited by email.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(label="Preview only (change nothing)", required=False, initial=True)


class StaffSearchForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, help_text="Name, registry ID, membership number or email"
    )
    verified = forms.ChoiceField(
        label="Verified", required=False, choices=[("", "Any"), ("yes", "Verified"), ("no", "Not verified")]
    )
    membership_status = forms.ChoiceField(
        label="Membership", required=False, choices=[("", "Any"), *TalentProfile.Membership.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *TalentProfile.Status.choices]
    )


class PublicSearchForm(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=150)
    discipline = forms.ChoiceField(
        label="Discipline", required=False, choices=[("", "Any"), *Discipline.choices]
    )
