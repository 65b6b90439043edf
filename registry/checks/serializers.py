"""Shapes of the permission-check API (DESIGN.md §5). Validation of fields and vocabularies lives in the
evaluator's parse_check so that every bad value answers with its own stable code (unknown_field,
unknown_use, unknown_territory, …); these serializers document the shapes in the OpenAPI schema."""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from registry.checks.evaluator import RULE7_REASONS, Reason
from registry.checks.feed import encode_cursor
from registry.checks.models import Change
from registry.consent.vocab import Outcome


class CheckRequestSerializer(serializers.Serializer):
    talent = serializers.CharField(
        help_text="Registry ID, e.g. TR-7KQ3-M9XD, read as Crockford decoding reads it: case does not "
        "matter, O is 0, I and L are 1, hyphens may be left out. Answers carry the canonical form."
    )
    use = serializers.CharField(help_text="advertising, editorial, digital_alteration, replica_creation, …")
    modality = serializers.CharField(help_text="image, video or voice")
    territory = serializers.CharField(help_text="ISO 3166-1 alpha-2 code in upper case, e.g. US")
    channel = serializers.CharField(help_text="print, online, social, broadcast, out_of_home, film_tv, games")
    date = serializers.DateField(required=False, help_text="Evaluate as of this date (default: today)")
    product_category = serializers.CharField(
        required=False,
        help_text="e.g. apparel, alcohol, political; what people type is understood (wine is alcohol, "
        "cigarettes and vaping are tobacco). Any field not listed here is a 400 unknown_field.",
    )


class FeeSerializer(serializers.Serializer):
    amount = serializers.CharField()
    currency = serializers.CharField()


class CheckConditionsSerializer(serializers.Serializer):
    attribution = serializers.BooleanField(required=False)
    ai_disclosure = serializers.BooleanField(required=False)
    min_fee = FeeSerializer(required=False)
    excluded_categories = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="When the check names no product category: the term's excluded categories, and for a "
        "minor on the date the categories never used with minors.",
    )


class CheckBasisSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[("terms", "terms"), ("license", "license"), ("default", "default")],
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
    check_id = serializers.CharField()
    talent = serializers.CharField(help_text="The canonical registry ID (or the text sent, if it is none)")
    verified = serializers.BooleanField(
        help_text="Whether staff have verified the profile (false when not registered). An unverified "
        "profile's allow terms never permit (basis.reason unverified_profile)."
    )
    decision = serializers.ChoiceField(choices=Outcome.choices)
    basis = CheckBasisSerializer(allow_null=True)
    conditions = CheckConditionsSerializer()
    valid_until = serializers.DateField(allow_null=True)
    evaluated_as_of = serializers.DateField()


class BulkCheckRequestSerializer(serializers.Serializer):
    checks = CheckRequestSerializer(many=True, help_text="Up to 1,000 checks; 'checks' is the only field")


class CheckErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. unknown_field, unknown_use, required, invalid")
    detail = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class BulkCheckErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the bad check in the request")
    error = CheckErrorSerializer()


class BulkCheckResponseSerializer(serializers.Serializer):
    results = PolymorphicProxySerializer(
        component_name="BulkCheckResult",
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
