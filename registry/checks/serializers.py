"""Shapes of the permission-check API (DESIGN.md §5). Validation of vocabularies lives in the evaluator's
parse_check so that every bad value answers with its own stable code (unknown_use, unknown_territory, …)."""

from rest_framework import serializers

from registry.consent.vocab import Outcome


class CheckRequestSerializer(serializers.Serializer):
    talent = serializers.CharField(help_text="Registry ID, e.g. TR-7KQ3-M9XD")
    use = serializers.CharField(help_text="advertising, editorial, digital_alteration, replica_creation, …")
    modality = serializers.CharField(help_text="image, video or voice")
    territory = serializers.CharField(help_text="ISO 3166-1 alpha-2 code in upper case, e.g. US")
    channel = serializers.CharField(help_text="print, online, social, broadcast, out_of_home, film_tv, games")
    date = serializers.DateField(required=False, help_text="Evaluate as of this date (default: today)")
    product_category = serializers.CharField(required=False, help_text="e.g. apparel, alcohol, political")


class FeeSerializer(serializers.Serializer):
    amount = serializers.CharField()
    currency = serializers.CharField()


class CheckConditionsSerializer(serializers.Serializer):
    attribution = serializers.BooleanField(required=False)
    ai_disclosure = serializers.BooleanField(required=False)
    min_fee = FeeSerializer(required=False)
    excluded_categories = serializers.ListField(child=serializers.CharField(), required=False)


class CheckResponseSerializer(serializers.Serializer):
    check_id = serializers.CharField()
    talent = serializers.CharField()
    decision = serializers.ChoiceField(choices=Outcome.choices)
    basis = serializers.DictField(allow_null=True, help_text="{kind: terms|license|default, …}")
    conditions = CheckConditionsSerializer()
    valid_until = serializers.DateField(allow_null=True)
    evaluated_as_of = serializers.DateField()


class BulkCheckRequestSerializer(serializers.Serializer):
    checks = CheckRequestSerializer(many=True, help_text="Up to 1,000 checks")


class BulkCheckResponseSerializer(serializers.Serializer):
    results = serializers.ListField(
        child=serializers.DictField(),
        help_text="In request order: a check result (as the single check) or {index, error} for a bad item.",
    )
