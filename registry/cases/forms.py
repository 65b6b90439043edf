"""Input shape of the cases pages. Rules live in services/workflow/notices; forms only parse."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.roles import STAFF_ROLES
from accounts.rules import is_brand_member, is_representative, is_talent
from registry.cases.evidence import MAX_FILES
from registry.cases.intake import ReportInput
from registry.cases.models import (
    NoticeTemplate,
    Outcome,
    Platform,
    Priority,
    Relationship,
    ReportedURL,
    Status,
)
from registry.cases.notices import check_template_text
from registry.cases.selectors import QueueFilters
from registry.consent.vocab import Use
from registry.core.forms import IsoDateField

ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); content is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _blank(label: str, choices) -> list:
    return [("", label), *choices]


class ReportForm(forms.Form):
    urls = forms.CharField(
        label="Where is it? Web address(es)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://…"}),
        help_text="One address per line (posts, ads, videos). No address? Attach a screenshot or photo.",
    )
    platform = forms.ChoiceField(
        label="Platform or medium",
        required=False,
        choices=_blank("Detect from the address", Platform.choices),
    )
    seen_on = forms.DateField(
        label="When did you see it?", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    talent = forms.CharField(
        label="Who is shown?",
        max_length=200,
        required=False,
        help_text="Their Likeness Registry ID (e.g. TR-7KQ3-M9XD) or their name, if you know it.",
    )
    organization = forms.CharField(
        label="Who published it? (brand, account or company)", max_length=200, required=False
    )
    use = forms.ChoiceField(
        label="What kind of use is it?", required=False, choices=_blank("Not sure", Use.choices)
    )
    product_category = forms.CharField(
        label="What does it advertise?",
        max_length=50,
        required=False,
        help_text="e.g. wine, cigarettes, shoes",
    )
    territory = forms.CharField(
        label="Country where you saw it",
        max_length=2,
        required=False,
        help_text="Two-letter code, e.g. US, GB, DE.",
    )
    description = forms.CharField(
        label="What did you see?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="E.g. an AI-generated ad using someone's face, a cloned voice, a deepfake video.",
    )
    sensitive = forms.BooleanField(
        label="It shows sexual content or a person under 18",
        required=False,
        help_text="Such reports are handled confidentially by senior staff.",
    )
    evidence = MultipleFileField(
        label=f"Evidence files (up to {MAX_FILES})",
        required=False,
        help_text="Screenshots or photos (JPEG, PNG, WebP) or PDFs, 10 MB each. Add videos as links above.",
    )
    relationship = forms.ChoiceField(
        label="How are you connected to the person shown?", choices=Relationship.choices
    )
    reporter_name = forms.CharField(label="Your name (optional)", max_length=150, required=False)
    reporter_email = forms.EmailField(
        label="Your email (optional)",
        required=False,
        help_text="We only use it to tell you about this report. Without it, use your private tracking link.",
    )
    # Honeypot: hidden from people (CSS and aria-hidden); bots fill it in.
    website = forms.CharField(label="Leave this field empty", required=False)

    def clean_territory(self):
        return (self.cleaned_data.get("territory") or "").strip().upper()

    def is_spam(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def to_input(self) -> ReportInput:
        d = self.cleaned_data
        return ReportInput(
            description=d["description"],
            relationship=d["relationship"],
            urls=[line.strip() for line in (d.get("urls") or "").splitlines() if line.strip()],
            platform=d.get("platform") or "",
            seen_on=d.get("seen_on"),
            talent=d.get("talent") or "",
            organization=d.get("organization") or "",
            use=d.get("use") or "",
            product_category=d.get("product_category") or "",
            territory=d.get("territory") or "",
            reporter_name=d.get("reporter_name") or "",
            reporter_email=d.get("reporter_email") or "",
            sensitive=bool(d.get("sensitive")),
        )


def initial_for(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {}
    relationship = ""
    if is_talent(user):
        relationship = Relationship.SELF
    elif is_representative(user):
        relationship = Relationship.REPRESENTATIVE
    elif is_brand_member(user):
        relationship = Relationship.BRAND
    elif user.has_perm("cases.work_cases"):
        relationship = Relationship.UNION
    return {"reporter_email": user.email, "reporter_name": user.display_name, "relationship": relationship}


def staff_choices() -> list[tuple[str, str]]:
    User = get_user_model()
    users = (
        User.objects.filter(
            Q(groups__name__in=[str(r) for r in STAFF_ROLES]) | Q(is_superuser=True), is_active=True
        )
        .distinct()
        .order_by("display_name", "email")
        .only("pk", "display_name", "email")  # what str(user) shows; never the password hash
    )
    return [(str(u.pk), str(u)) for u in users]


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("open", "Open"), ("", "All"), ("closed", "Closed"), *Status.choices],
    )
    priority = forms.ChoiceField(label="Priority", required=False, choices=_blank("Any", Priority.choices))
    assignee = forms.ChoiceField(label="Assignee", required=False)
    platform = forms.ChoiceField(label="Platform", required=False, choices=_blank("Any", Platform.choices))
    use = forms.ChoiceField(label="Use", required=False, choices=_blank("Any", Use.choices))
    overdue = forms.BooleanField(label="Overdue only", required=False)
    opened = forms.ChoiceField(
        label="Opened",
        required=False,
        choices=[("", "Any time"), ("today", "Today"), ("week", "In the last 7 days")],
    )
    week = IsoDateField(label="Week opened", required=False)  # any day of it: the week from its Monday
    sort = forms.ChoiceField(
        label="Sort",
        required=False,
        choices=[
            ("priority", "Priority"),
            ("due", "Deadline"),
            ("newest", "Newest"),
            ("oldest", "Oldest"),
            ("updated", "Recently updated"),
        ],
    )
    per_page = forms.TypedChoiceField(
        label="Per page",
        required=False,
        coerce=int,
        choices=[(25, "25"), (50, "50"), (100, "100")],
        empty_value=25,
    )

    # What a filter is when the address does not name it (the queue opens on open cases by priority).
    DEFAULTS = {"status": "open", "sort": "priority", "per_page": "25"}

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [
            ("", "Anyone"),
            ("me", "My cases"),
            ("none", "Unassigned"),
            *(staff or []),
        ]
        for name, field in self.fields.items():  # desk.js counts the active filters as they change
            field.widget.attrs["data-default"] = self.DEFAULTS.get(name, "")

    def clean_week(self):
        """Any day of a week means that week, from its Monday (the dashboard's weeks)."""
        day = self.cleaned_data.get("week")
        return day - timedelta(days=day.weekday()) if day else None

    @property
    def active_count(self) -> int:
        """How many filters narrow or reorder the queue (the phone's "Filters (n active)")."""
        active = 0
        for name in self.fields:
            value, default = self.data.get(name), self.DEFAULTS.get(name, "")
            # an empty choice is the default, except status, where it means "all" rather than "open"
            if value is not None and value != default and (value != "" or name == "status"):
                active += 1
        return active

    def filters(self) -> QueueFilters:
        d = self.cleaned_data if self.is_valid() else {}
        status = d.get("status") if "status" in self.data else "open"
        return QueueFilters(
            status=status or "",
            priority=d.get("priority") or "",
            assignee=d.get("assignee") or "",
            platform=d.get("platform") or "",
            use=d.get("use") or "",
            overdue=bool(d.get("overdue")),
            q=(d.get("q") or "")[:200],
            sort=d.get("sort") or "priority",
            opened=d.get("opened") or "",
            week=d.get("week"),
        )


class SavedViewForm(forms.Form):
    name = forms.CharField(label="Name this view", max_length=60)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    outcome = forms.ChoiceField(label="Outcome", required=False, choices=_blank("Choose…", Outcome.choices))
    outcome_note = forms.CharField(label="Outcome note", required=False, max_length=2000)
    license_request = forms.IntegerField(
        label="License request number", required=False, help_text="Required for the 'licensed' outcome."
    )


class CaseUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices, required=False)
    assignee = forms.ChoiceField(label="Assignee", required=False)
    confidential = forms.BooleanField(label="Confidential (sexual content, minors)", required=False)
    talent = forms.CharField(label="Talent (registry ID)", max_length=20, required=False)
    organization = forms.CharField(label="Suspected user (organization name)", max_length=200, required=False)
    use = forms.ChoiceField(label="Likely use", required=False, choices=_blank("Not determined", Use.choices))
    product_category = forms.CharField(
        label="Product advertised",
        max_length=50,
        required=False,
        help_text="e.g. alcohol, cigarettes, apparel",
    )
    platform = forms.ChoiceField(label="Platform", choices=Platform.choices, required=False)
    seen_on = forms.DateField(label="Seen on", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    FACTS = ("talent", "organization", "use", "product_category", "platform", "seen_on")

    @classmethod
    def initial_for(cls, case) -> dict:
        return {
            "version": case.version,
            "priority": case.priority,
            "assignee": str(case.assignee_id or ""),
            "confidential": case.confidential,
            "talent": case.talent.registry_id if case.talent_id else "",
            "organization": case.organization.name if case.organization_id else case.organization_name,
            "use": case.use,
            "product_category": case.product_category,
            "platform": case.platform,
            "seen_on": case.seen_on,
        }

    def facts(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.FACTS if name in self.data}

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Nobody"), *(staff or [])]


class BulkAssignForm(forms.Form):
    cases = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    assignee = forms.ChoiceField(label="Assign selected to", choices=[])

    def __init__(self, *args, staff=None, case_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("none", "Nobody (unassign)"), *(staff or [])]
        self.fields["cases"].choices = [(i, str(i)) for i in case_ids]


class TextForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class LinkForm(forms.Form):
    other = forms.CharField(label="Other case (e.g. C-00012)", max_length=20)
    kind = forms.ChoiceField(
        label="Link as",
        choices=[("related", "Related"), ("merge", "Duplicate: merge this case into the other")],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_other(self):
        value = self.cleaned_data["other"].strip().upper().removeprefix("C-").lstrip("0")
        if not value.isdigit():
            raise forms.ValidationError("Give a case reference such as C-00012.")
        return int(value)


class URLStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ReportedURL.Status.choices)


class EvidenceForm(forms.Form):
    evidence = MultipleFileField(label="Add evidence files", required=True)


class NoticeForm(forms.Form):
    template = forms.ModelChoiceField(
        label="Template", queryset=NoticeTemplate.objects.filter(is_active=True), empty_label="Choose…"
    )
    recipient_name = forms.CharField(label="Recipient name", max_length=200)
    recipient_email = forms.EmailField(label="Recipient email")
    urls = forms.TypedMultipleChoiceField(
        label="URLs in the notice", coerce=int, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["urls"].choices = [(u.pk, u.url) for u in case.urls.all()]


class NoticeTemplateForm(forms.ModelForm):
    class Meta:
        model = NoticeTemplate
        fields = ["name", "kind", "subject", "body", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "class": "mono"})}

    def clean_subject(self):
        check_template_text(self.cleaned_data["subject"])
        return self.cleaned_data["subject"]

    def clean_body(self):
        check_template_text(self.cleaned_data["body"])
        return self.cleaned_data["body"]
