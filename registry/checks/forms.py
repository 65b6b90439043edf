"""Input shapes of the check pages: the check form and the history filter (rules live in the evaluator)."""

from django import forms
from django.urls import reverse_lazy

from registry.checks.evaluator import CHECK_FIELDS
from registry.checks.selectors import talent_matches
from registry.consent.vocab import Channel, Modality, Outcome, Use
from registry.core.forms import IsoDateField
from registry.talent.registry_ids import canonical_registry_id


class CheckForm(forms.Form):
    """The web version of POST /api/v1/permissions/check/ (validated again by the evaluator's parse_check).

    It picks a person: `talent` is what the brand typed (a name or a registry ID), `person` the registry ID
    of the match they chose. A typed name is never sent to the evaluator as an ID (it would answer
    "not registered"): it must match exactly one person, or the brand chooses among the matches.
    """

    talent = forms.CharField(
        max_length=100,
        label="Person: name or registry ID",
        help_text="Type a name or a registry ID (e.g. TR-7KQ3-M9XD), then choose the person.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "aria-controls": "talent-matches",
                "hx-get": reverse_lazy("checks:people"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#talent-matches",
                "hx-swap": "innerHTML",
                "hx-select": "unset",  # the form's hx-select (#check-area) is inherited otherwise
            }
        ),
    )
    person = forms.CharField(required=False, max_length=40)
    use = forms.ChoiceField(choices=Use.choices)
    modality = forms.ChoiceField(choices=Modality.choices)
    territory = forms.CharField(
        max_length=2, min_length=2, help_text="Two-letter country code, e.g. US, DE", initial="US"
    )
    channel = forms.ChoiceField(choices=Channel.choices)
    date = IsoDateField(required=False, help_text="The day the content runs (default: today).")
    product_category = forms.CharField(
        required=False,
        max_length=50,
        help_text="Optional, e.g. apparel, wine, cigarettes, political.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.matches: list = []
        self.selected: str | None = None

    def clean_talent(self):
        return self.cleaned_data["talent"].strip()

    def clean_territory(self):
        return self.cleaned_data["territory"].strip().upper()

    def clean(self):
        data = super().clean()
        typed = data.get("talent")
        if not typed:
            return data
        self.matches = talent_matches(typed)
        self.selected = (
            canonical_registry_id(data.get("person") or "")
            or canonical_registry_id(typed)
            or (self.matches[0].registry_id if len(self.matches) == 1 else None)
        )
        if self.selected:
            data["talent"] = self.selected
        elif not self.matches:
            self.add_error(
                "talent",
                f"No registered person matches “{typed}”. Check the spelling or type their registry ID. "
                "A name the registry does not know says nothing about what is allowed.",
            )
        else:
            self.add_error("talent", f"Several people match “{typed}”: choose one.")
        return data

    def check_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in CHECK_FIELDS and v not in (None, "")}
        if "date" in data:
            data["date"] = data["date"].isoformat()
        return data


class CheckFilterForm(forms.Form):
    talent = forms.CharField(required=False, max_length=40, label="Talent ID")
    use = forms.ChoiceField(required=False, choices=[("", "Any use"), *Use.choices])
    decision = forms.ChoiceField(required=False, choices=[("", "Any decision"), *Outcome.choices])
    since = IsoDateField(required=False, label="From")
    until = IsoDateField(required=False, label="To")

    def clean_talent(self):
        typed = self.cleaned_data["talent"].strip()
        return canonical_registry_id(typed) or typed
