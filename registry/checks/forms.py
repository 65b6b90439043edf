"""Input shapes of the check pages: the check form and the history filter (rules live in the evaluator)."""

from django import forms

from registry.consent.vocab import Channel, Modality, Outcome, Use
from registry.core.forms import IsoDateField


class CheckForm(forms.Form):
    """The web version of POST /api/v1/permissions/check/ (validated again by the evaluator's parse_check)."""

    talent = forms.CharField(max_length=40, label="Talent registry ID", help_text="e.g. TR-7KQ3-M9XD")
    use = forms.ChoiceField(choices=Use.choices)
    modality = forms.ChoiceField(choices=Modality.choices)
    territory = forms.CharField(
        max_length=2, min_length=2, help_text="Two-letter country code, e.g. US, DE", initial="US"
    )
    channel = forms.ChoiceField(choices=Channel.choices)
    date = IsoDateField(required=False, help_text="The day the content runs (default: today).")
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
    since = IsoDateField(required=False, label="From")
    until = IsoDateField(required=False, label="To")
