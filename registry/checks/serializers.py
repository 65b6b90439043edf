"""Shapes of the permission-check API (product.md §5). Validation of fields and vocabularies lives in the
evaluator's parse_check so that every bad value answers with its own stable code (unknown_field,
unknown_use, unknown_territory, …); these serializers document the shapes in the OpenAPI schema."""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from registry.brands.models import PermissionCheck
from registry.checks.evaluator import RULE7_REASONS, Reason
from registry.checks.feed import encode_cursor
from registry.checks.models import Change
from registry.consent.fields import (
    MoneySerializer,
    channel_field,
    check_decision_field,
    modality_field,
    territory_field,
    use_field,
)


class CheckRequestSerializer(serializers.Serializer):
    """One check (component `CheckRequest`). Any field not listed is a 400 unknown_field; a value outside an
    enum answers its own code (unknown_use, unknown_modality, unknown_territory, unknown_channel)."""

    talent = serializers.CharField(
        help_text="Registry ID, e.g. TR-7KQ3-M9XD, read as Crockford decoding reads it: case does not "
        "matter, O is 0, I and L are 1, hyphens may be left out. Answers carry the canonical form."
    )
    use = use_field()
    modality = modality_field()
    territory = territory_field(help_text="ISO 3166-1 alpha-2 code in upper case, e.g. US")
    channel = channel_field()
    date = serializers.DateField(required=False, help_text="Evaluate as of this date (default: today)")
    product_category = serializers.CharField(
        required=False,
        help_text="e.g. apparel, alcohol, political; what people type is understood (wine is alcohol, "
        "cigarettes and vaping are tobacco). Any field not listed here is a 400 unknown_field.",
    )

    class Meta:
        ref_name = "Check"  # + "Request" for the request component: CheckRequest


class CheckConditionsSerializer(serializers.Serializer):
    attribution = serializers.BooleanField(required=False)
    ai_disclosure = serializers.BooleanField(required=False)
    min_fee = MoneySerializer(required=False)
    excluded_categories = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="When the check names no product category: the term's excluded categories, and for a "
        "minor on the date the categories never used with minors.",
    )


# What a check's answer rests on (basis.kind).
BASIS_KINDS = ["terms", "license", "default"]


class CheckBasisSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=BASIS_KINDS,
        help_text="terms: a signed terms version; license: the caller's license; default: the registry's "
        "own rules (no terms in effect, or a minor's protection).",
    )
    version = serializers.IntegerField(required=False, help_text="kind terms: the version number")
    sha256 = serializers.CharField(required=False, help_text="kind terms: SHA-256 of the signed document")
    license_id = serializers.CharField(required=False, help_text="kind license: the license ID")
    reason = serializers.ChoiceField(
        choices=Reason.choices,
        required=False,
        help_text="Why, where the rule that decided has more than one cause. A license_required of rule 7 "
        "names exactly one: the first that applies of " + ", ".join(r.value for r in RULE7_REASONS) + ".",
    )


class CheckResponseSerializer(serializers.Serializer):
    """The answer of one check (component `CheckResult`), also an item of a bulk answer."""

    check_id = serializers.CharField()
    talent = serializers.CharField(help_text="The canonical registry ID (or the text sent, if it is none)")
    verified = serializers.BooleanField(
        help_text="Whether staff have verified the profile (false when not registered). An unverified "
        "profile's allow terms never permit (basis.reason unverified_profile)."
    )
    decision = check_decision_field()
    basis = CheckBasisSerializer(allow_null=True)
    conditions = CheckConditionsSerializer()
    valid_until = serializers.DateField(allow_null=True)
    evaluated_as_of = serializers.DateField()

    class Meta:
        ref_name = "CheckResult"


class BulkCheckRequestSerializer(serializers.Serializer):
    checks = CheckRequestSerializer(many=True, help_text="Up to 1,000 checks; 'checks' is the only field")

    class Meta:
        ref_name = "BulkCheck"  # the request component: BulkCheckRequest


class CheckErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. unknown_field, unknown_use, required, invalid")
    detail = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class BulkCheckErrorSerializer(serializers.Serializer):
    """A bad item of a bulk check (the others are still decided). Its required fields (index, error) and those
    of CheckResult (check_id, decision, …) never overlap, so an item matches exactly one of the two."""

    index = serializers.IntegerField(help_text="Position of the bad check in the request")
    error = CheckErrorSerializer()


class BulkCheckResponseSerializer(serializers.Serializer):
    results = PolymorphicProxySerializer(
        component_name="BulkCheckItem",
        serializers=[CheckResponseSerializer, BulkCheckErrorSerializer],
        resource_type_field_name=None,
        many=True,
        help_text="In request order: a check result (as the single check) or {index, error} for a bad item.",
    )


class ChangeSerializer(serializers.Serializer):
    """One change of the feed (GET /api/v1/changes/)."""

    id = serializers.SerializerMethodField(
        help_text="This change's position, opaque: `after` this value resumes right after it."
    )
    kind = serializers.ChoiceField(
        choices=Change.Kind.choices,
        help_text="terms_signed / terms_revoked: a new terms version of the talent (recheck anything cached "
        "for them); license_issued / license_expired / license_terminated: one of your licenses.",
    )
    talent = serializers.CharField(source="talent.registry_id", help_text="Registry ID, e.g. TR-7KQ3-M9XD")
    occurred_at = serializers.DateTimeField(
        help_text="When it happened (signed, issued, terminated; an expiry: the start of the day after "
        "valid_until). The feed's order is the order the registry recorded changes, not this time."
    )
    terms_version = serializers.IntegerField(
        allow_null=True, help_text="The version number, for terms changes (null otherwise)."
    )
    license_id = serializers.CharField(
        allow_null=True, help_text="The license, for license changes (null otherwise)."
    )

    def get_id(self, change) -> str:
        return encode_cursor(change.seq)

    def to_representation(self, change):
        data = super().to_representation(change)
        data["license_id"] = change.license_id or None
        return data


class ChangePageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True, help_text="Oldest first; at most `limit`.")
    next = serializers.CharField(
        help_text="The cursor to send as `after` next time (the same one when nothing was new)."
    )
    has_more = serializers.BooleanField(help_text="More changes are waiting: ask again at once with `next`.")


class PermissionCheckLogSerializer(serializers.ModelSerializer):
    """One logged check of the caller's organization (the history)."""

    talent = serializers.CharField(source="talent_registry_id")
    use = use_field()
    modality = modality_field()
    territory = territory_field()
    channel = channel_field()
    date = serializers.DateField(source="as_of")
    decision = check_decision_field()
    basis = serializers.SerializerMethodField()
    conditions = serializers.SerializerMethodField()

    class Meta:
        model = PermissionCheck
        fields = [
            "check_id",
            "talent",
            "use",
            "modality",
            "territory",
            "channel",
            "product_category",
            "date",
            "decision",
            "basis",
            "conditions",
            "valid_until",
            "source",
            "checked_at",
        ]

    @extend_schema_field(CheckBasisSerializer(allow_null=True))
    def get_basis(self, check) -> dict | None:
        return check.basis or None  # as the answer said: null when nothing in the registry decided

    @extend_schema_field(CheckConditionsSerializer)
    def get_conditions(self, check) -> dict:
        return check.conditions or {}
