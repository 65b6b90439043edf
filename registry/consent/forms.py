"""Input shape of the drafting page: one sub-form per use (decision, conditions, brands, separate consent).

Forms only shape and check input; rules (vocabularies, personal consent, immutability) live in the services
(terms, drafts, signing). A personal consent's fields are checked early, per field, with the same
consent.specificity test the signing service applies.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.consent import organizations as term_organizations
from registry.consent import specificity, vocab
from registry.consent.models import ProductCategory
from registry.consent.summaries import (
    CHOICE_EXPLANATIONS,
    PERSONAL_CHOICE_NOTE,
    USE_EXPLANATIONS,
    USE_LABELS,
    USE_ORDER,
    category_label,
    default_decision,
)
from registry.consent.terms import term_as_document
from registry.consent.vocab import PERSONAL_CONSENT_USES, Decision
from registry.core.errors import DomainError

KEEP = "keep"
ANY_BRAND, NAMED_BRANDS = "any", "named"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def category_choices() -> list[tuple[str, str]]:
    labels = {slug: category_label(slug) for slug in vocab.DEFAULT_EXCLUDED_CATEGORIES}
    labels.update(dict(ProductCategory.objects.values_list("slug", "label")))
    return sorted(labels.items(), key=lambda kv: kv[1].lower())


def parse_territories(raw: str) -> list[str]:
    """Free text like "us, ca de" → ["US", "CA", "DE"]; unknown codes are an error naming them."""
    codes = [c.upper() for c in re.split(r"[\s,;]+", raw or "") if c]
    unknown = [c for c in codes if c not in vocab.ISO_COUNTRIES]
    if unknown:
        raise ValidationError(
            f"Unknown country code(s): {', '.join(unknown)}. Use two-letter ISO codes such as US, GB, DE, "
            "or tick “Worldwide”."
        )
    return sorted(set(codes))


class UseTermForm(forms.Form):
    """One use: a decision with its plain-language explanation, and the conditions that go with it."""

    decision = forms.ChoiceField(widget=forms.RadioSelect)
    modalities = forms.MultipleChoiceField(
        label="Which media of me",
        choices=vocab.Modality.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    worldwide = forms.BooleanField(label="Worldwide", required=False)
    territories = forms.CharField(
        label="Countries",
        required=False,
        max_length=600,
        help_text="Two-letter country codes separated by commas, e.g. US, CA, GB — or tick Worldwide.",
    )
    channels = forms.MultipleChoiceField(
        label="Where it may appear",
        choices=vocab.Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = forms.DateField(label="Valid from", required=False, widget=DATE_INPUT)
    valid_until = forms.DateField(
        label="Valid until", required=False, widget=DATE_INPUT, help_text="Leave empty for no end date."
    )
    min_fee_amount = forms.DecimalField(
        label="Minimum fee", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    min_fee_currency = forms.ChoiceField(
        label="Currency", choices=[(c, c) for c in sorted(vocab.CURRENCIES)], initial="USD", required=False
    )
    attribution = forms.BooleanField(label="I must be credited by name", required=False)
    ai_disclosure = forms.BooleanField(
        label="Content must be labelled as AI-generated or altered", required=False
    )
    excluded_categories = forms.MultipleChoiceField(
        label="Never for these kinds of products",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.ChoiceField(
        label="Who may rely on this permission",
        choices=[(ANY_BRAND, "For any brand"), (NAMED_BRANDS, "Only for the brands I name")],
        required=False,
        widget=forms.RadioSelect,
    )
    organizations = forms.TypedMultipleChoiceField(
        label="Only for these brands",
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Registered organizations, by name (hold Ctrl or ⌘ to choose several).",
    )
    # Separate consent (replica creation/use, AI training) — only on those uses' forms.
    consent_description = forms.CharField(
        label="What exactly may be done (intended use)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Be specific: who, what is made, for which project or product.",
    )
    consent_duration = forms.CharField(
        label="For how long", required=False, max_length=200, help_text="e.g. “12 months from signing”."
    )
    consent_pay = forms.CharField(
        label="What you are paid", required=False, max_length=200, help_text="e.g. “USD 5,000 flat fee”."
    )
    represented = forms.ChoiceField(
        label="Did a lawyer or your union advise you on this consent?",
        choices=[("yes", "Yes"), ("no", "No")],
        required=False,
        widget=forms.RadioSelect,
    )
    represented_by = forms.CharField(
        label="Who advised you (lawyer or union)", required=False, max_length=200
    )

    def __init__(
        self,
        *args,
        use: str,
        locked_term=None,
        locked: bool = False,
        categories=None,
        organizations=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.use = use
        self.label = USE_LABELS[use]
        self.summary_label = self.label  # the error summary: "Advertising — Minimum fee: …"
        self.summary_anchor = f"use-{use}"
        self.explanation = USE_EXPLANATIONS[use]
        self.is_personal = use in PERSONAL_CONSENT_USES
        self.personal_note = PERSONAL_CHOICE_NOTE if self.is_personal else ""
        self.locked = locked  # a representative: personal-consent uses can only be kept or withdrawn
        self.locked_term = locked_term
        self.fields["excluded_categories"].choices = categories or category_choices()
        self.fields["organizations"].choices = (
            organizations if organizations is not None else term_organizations.choices()
        )
        if locked:
            current = locked_term.decision if locked_term else default_decision(use)
            self.fields["decision"].choices = [
                (KEEP, f"Keep as the talent signed it ({Decision(current).label.lower()})"),
                (Decision.DENY, "Withdraw it: not allowed"),
            ]
            self.fields["decision"].initial = KEEP
            for name in list(self.fields):
                if name != "decision":
                    del self.fields[name]
        else:
            self.fields["decision"].choices = [(d.value, d.label) for d in Decision]
            if not self.is_personal:
                for name in ("consent_description", "consent_duration", "consent_pay", "represented"):
                    del self.fields[name]
                del self.fields["represented_by"]
        self.choice_help = {
            value: CHOICE_EXPLANATIONS.get(value, "") for value, _ in self.fields["decision"].choices
        }

    def decision_options(self):
        """(value, label, explanation, id) for the template's radio list."""
        field = self["decision"]
        return [
            {
                "value": value,
                "label": label,
                "help": self.choice_help.get(value, ""),
                "id": f"{field.auto_id}_{index}",
                "checked": str(field.value()) == str(value),
            }
            for index, (value, label) in enumerate(self.fields["decision"].choices)
        ]

    @staticmethod
    def initial_from(term, use: str) -> dict:
        if term is None:
            # A replica or AI-training permission names its brands unless she chooses "any brand" herself.
            initial = {
                "decision": default_decision(use),
                "min_fee_currency": "USD",
                "scope": NAMED_BRANDS if use in PERSONAL_CONSENT_USES else ANY_BRAND,
            }
            if use != vocab.Use.AI_TRAINING:
                initial["excluded_categories"] = ["political", "adult"]
            return initial
        return {
            "decision": term.decision,
            "modalities": term.modalities,
            "worldwide": vocab.WORLDWIDE in term.territories,
            "territories": ", ".join(t for t in term.territories if t != vocab.WORLDWIDE),
            "channels": term.channels,
            "valid_from": term.valid_from,
            "valid_until": term.valid_until,
            "min_fee_amount": term.min_fee_amount,
            "min_fee_currency": term.min_fee_currency or "USD",
            "attribution": term.attribution,
            "ai_disclosure": term.ai_disclosure,
            "excluded_categories": term.excluded_categories,
            "scope": NAMED_BRANDS
            if term.organizations or (use in PERSONAL_CONSENT_USES and term.decision != Decision.ALLOW)
            else ANY_BRAND,
            "organizations": term.organizations,
            "consent_description": term.consent_description,
            "consent_duration": term.consent_duration,
            "consent_pay": term.consent_pay,
            "represented": "yes"
            if term.represented_by
            else ("no" if term.decision == Decision.ALLOW else ""),
            "represented_by": term.represented_by,
        }

    def clean_territories(self):
        return parse_territories(self.cleaned_data.get("territories", ""))

    def clean(self):
        data = super().clean()
        if self.locked or data.get("decision") != Decision.ALLOW:
            return data
        if not data.get("modalities"):
            self.add_error("modalities", "Choose at least one medium, or choose “Only with a license”.")
        if not data.get("worldwide") and not data.get("territories") and "territories" not in self.errors:
            self.add_error("territories", "Name at least one country, or tick Worldwide.")
        if not data.get("channels"):
            self.add_error("channels", "Choose at least one channel, or choose “Only with a license”.")
        self._clean_scope(data)
        if self.is_personal:
            self._clean_personal(data)
        return data

    def default_scope(self) -> str:
        return NAMED_BRANDS if self.is_personal else ANY_BRAND

    def _clean_scope(self, data: dict) -> None:
        scope = data.get("scope") or self.default_scope()
        data["scope"] = scope
        if scope == NAMED_BRANDS and not data.get("organizations"):
            self.add_error(
                "organizations",
                "Name at least one brand, or choose “For any brand” if anyone may rely on this permission.",
            )

    def _clean_personal(self, data: dict) -> None:
        """The specificity rule license requests pass (one implementation, consent.specificity)."""
        represented = data.get("represented")
        represented_by = (data.get("represented_by") or "").strip() if represented == "yes" else ""
        checks = (
            ("consent_description", lambda: specificity.check_description(data.get("consent_description"))),
            ("consent_duration", lambda: specificity.check_duration(data.get("consent_duration"))),
            ("consent_pay", lambda: specificity.check_pay(data.get("consent_pay"), represented_by)),
        )
        for name, check in checks:
            try:
                check()
            except DomainError as exc:
                self.add_error(name, exc.detail)
        if represented not in ("yes", "no"):
            self.add_error("represented", "Answer whether a lawyer or your union advised you.")
        elif represented == "yes" and not represented_by:
            self.add_error("represented_by", "Name the lawyer or union.")

    def to_document(self) -> dict | None:
        """The product.md §2 shape of this use, or None to leave the use out of the version."""
        data = self.cleaned_data
        decision = data["decision"]
        if self.locked:
            if decision == KEEP:
                return term_as_document(self.locked_term) if self.locked_term else None
            return {"decision": Decision.DENY}
        if decision == Decision.DENY:
            return {"decision": Decision.DENY}
        doc = {
            "decision": decision,
            "attribution": bool(data.get("attribution")),
            "ai_disclosure": bool(data.get("ai_disclosure")),
            "excluded_categories": list(data.get("excluded_categories") or []),
        }
        if data.get("min_fee_amount") is not None:
            doc["min_fee"] = {"amount": str(data["min_fee_amount"]), "currency": data.get("min_fee_currency")}
        if decision == Decision.ALLOW:
            doc["modalities"] = list(data.get("modalities") or [])
            doc["territories"] = [vocab.WORLDWIDE] if data.get("worldwide") else data.get("territories", [])
            doc["channels"] = list(data.get("channels") or [])
            doc["valid_from"] = data["valid_from"].isoformat() if data.get("valid_from") else None
            doc["valid_until"] = data["valid_until"].isoformat() if data.get("valid_until") else None
            doc["organizations"] = (
                sorted(set(data.get("organizations") or [])) if data.get("scope") == NAMED_BRANDS else []
            )
            if self.is_personal:
                doc["consent_description"] = data.get("consent_description", "")
                doc["consent_duration"] = data.get("consent_duration", "")
                doc["consent_pay"] = data.get("consent_pay", "")
                doc["represented_by"] = (
                    data.get("represented_by", "") if data.get("represented") == "yes" else ""
                )
        return doc


class VersionForm(forms.Form):
    effective_from = forms.DateField(
        label="These terms take effect on",
        widget=DATE_INPUT,
        help_text="Today or a later date. Uses dated before it are still decided by your earlier terms.",
    )
    note = forms.CharField(label="Note for your records (optional)", required=False, max_length=300)

    def clean_effective_from(self):
        value = self.cleaned_data["effective_from"]
        if value < timezone.localdate():
            raise ValidationError("Terms signed online cannot take effect in the past.")
        return value


# Service error keys ("advertising.min_fee") → the sub-form field that shows them.
SERVICE_FIELD = {"min_fee": "min_fee_amount", "decision": "decision"}


class TermsDraftForm:
    """The whole draft: when it takes effect, and one UseTermForm per use."""

    def __init__(self, data=None, *, current=None, draft=None, locked: bool = False):
        source = draft or current
        terms = {t.use: t for t in source.terms.all()} if source else {}
        current_terms = {t.use: t for t in current.terms.all()} if current else {}
        categories = category_choices()
        organizations = term_organizations.choices()
        self.version_form = VersionForm(
            data,
            initial={
                "effective_from": draft.effective_from if draft else timezone.localdate(),
                "note": draft.note if draft else "",
            },
        )
        self.use_forms = []
        for use in USE_ORDER:
            is_locked = locked and use in PERSONAL_CONSENT_USES
            self.use_forms.append(
                UseTermForm(
                    data,
                    prefix=use,
                    use=use,
                    locked=is_locked,
                    locked_term=current_terms.get(use),
                    categories=categories,
                    organizations=organizations,
                    initial=UseTermForm.initial_from(terms.get(use), use) if not is_locked else None,
                )
            )

    @property
    def forms(self) -> list[forms.Form]:
        """Its parts, in page order (the error summary lists their errors)."""
        return [self.version_form, *self.use_forms]

    def is_valid(self) -> bool:
        results = [self.version_form.is_valid()] + [f.is_valid() for f in self.use_forms]
        return all(results)

    @property
    def effective_from(self) -> date:
        return self.version_form.cleaned_data["effective_from"]

    @property
    def note(self) -> str:
        return self.version_form.cleaned_data.get("note", "")

    def documents(self) -> dict[str, dict]:
        docs = {}
        for form in self.use_forms:
            doc = form.to_document()
            if doc is not None:
                docs[form.use] = doc
        return docs

    def add_service_errors(self, error: ValidationError) -> None:
        by_use = {f.use: f for f in self.use_forms}
        for key, messages in error.message_dict.items():
            use, _, name = key.partition(".")
            form = by_use.get(use)
            if form is None:
                self.version_form.add_error(None, " ".join(messages))
                continue
            name = SERVICE_FIELD.get(name, name)
            form.add_error(name if name in form.fields else None, " ".join(messages))

    @property
    def has_errors(self) -> bool:
        return bool(self.version_form.errors) or any(f.errors for f in self.use_forms)
