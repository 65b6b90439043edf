"""The notice compose form: the template, recipient and URLs plus the response window and the confirmation."""

from __future__ import annotations

from django import forms

from registry.cases.forms import NoticeForm
from registry.cases.models import ResponseOutcome
from registry.core.forms import IsoDateField


class ComposeNoticeForm(NoticeForm):
    response_days = forms.IntegerField(
        label="Response window (days)",
        min_value=1,
        max_value=90,
        required=False,
        help_text="From the platform directory when there is an entry; empty uses the SLA policy.",
    )
    confirmation = forms.CharField(widget=forms.HiddenInput, required=False)


class NoticeResponseForm(forms.Form):
    outcome = forms.ChoiceField(label="What they answered", choices=ResponseOutcome.choices)
    received_on = IsoDateField(label="Received on", required=False, help_text="Empty: today.")
    text = forms.CharField(
        label="Response (text or summary)",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20_000,
    )
