"""The notice compose form: the template, recipient and URLs plus the response window and the confirmation."""

from __future__ import annotations

from django import forms

from registry.cases.forms import NoticeForm


class ComposeNoticeForm(NoticeForm):
    response_days = forms.IntegerField(
        label="Response window (days)",
        min_value=1,
        max_value=90,
        required=False,
        help_text="From the platform directory when there is an entry; empty uses the SLA policy.",
    )
    confirmation = forms.CharField(widget=forms.HiddenInput, required=False)
