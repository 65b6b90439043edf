"""Shapes of the licensing API. Input rules (vocabularies, period, fee, a specific description) live in
registry.licensing.offers so the web forms and the API answer the same codes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.consent.fields import (
    MoneySerializer,
    channels_field,
    modalities_field,
    territories_field,
    use_field,
)
from registry.licensing.licenses import license_status
from registry.licensing.models import License, LicenseOffer, LicenseRequest

# The state of a license as of today (registry.licensing.licenses.license_status).
LICENSE_STATUSES = ["valid", "expired", "terminated", "not_yet_valid"]


FeeSerializer = MoneySerializer  # one component (Money, MoneyRequest) for every amount of the API


class LicenseConditionsSerializer(serializers.Serializer):
    attribution = serializers.BooleanField(help_text="The talent must be credited")
    ai_disclosure = serializers.BooleanField(help_text="Content must be labelled as AI-generated or altered")


CONDITION_HELP = {
    "ai_disclosure": "Label content as AI-generated or altered. Always true for replica_creation, "
    "replica_use and digital_alteration, and when the talent's term in effect requires it (asking false "
    "does not drop it).",
    "attribution": "Credit the talent. True when the talent's term in effect requires it.",
}


class LicenseRequestCreateSerializer(serializers.Serializer):
    talent = serializers.CharField(help_text="Registry ID, e.g. TR-7KQ3-M9XD")
    use = use_field()
    modalities = modalities_field()
    territories = territories_field()
    channels = channels_field()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    fee = FeeSerializer()
    product_category = serializers.CharField(
        required=False, allow_blank=True, help_text="As typed ('cigarettes' reads as 'tobacco')"
    )
    ai_disclosure = serializers.BooleanField(required=False, help_text=CONDITION_HELP["ai_disclosure"])
    attribution = serializers.BooleanField(required=False, help_text=CONDITION_HELP["attribution"])
    description = serializers.CharField(help_text="A reasonably specific description of the intended use")
    message = serializers.CharField(required=False, allow_blank=True)


class CounterSerializer(serializers.Serializer):
    modalities = modalities_field(required=False)
    territories = territories_field(required=False)
    channels = channels_field(required=False)
    valid_from = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False)
    fee = FeeSerializer(required=False)
    product_category = serializers.CharField(required=False, allow_blank=True)
    ai_disclosure = serializers.BooleanField(required=False, help_text=CONDITION_HELP["ai_disclosure"])
    attribution = serializers.BooleanField(required=False, help_text=CONDITION_HELP["attribution"])
    message = serializers.CharField(required=False, allow_blank=True)


class AnswerSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True)


class OfferSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = LicenseOffer
        fields = ["kind", "author", "terms", "message", "created_at"]

    def get_author(self, offer) -> str | None:
        return str(offer.author) if offer.author_id else None


class TalentRefSerializer(serializers.Serializer):
    registry_id = serializers.CharField()
    stage_name = serializers.CharField()


def _conditions(obj) -> dict:
    return {"attribution": obj.attribution, "ai_disclosure": obj.ai_disclosure}


class LicenseRequestSerializer(serializers.ModelSerializer):
    talent = TalentRefSerializer()
    organization = serializers.CharField(source="organization.name")
    modalities = modalities_field()
    territories = territories_field()
    channels = channels_field()
    fee = serializers.SerializerMethodField()
    conditions = serializers.SerializerMethodField()
    license_id = serializers.SerializerMethodField()
    offers = OfferSerializer(many=True, read_only=True)

    class Meta:
        model = LicenseRequest
        fields = [
            "id",
            "status",
            "talent",
            "organization",
            "use",
            "modalities",
            "territories",
            "channels",
            "product_category",
            "valid_from",
            "valid_until",
            "fee",
            "conditions",
            "description",
            "license_id",
            "created_at",
            "updated_at",
            "offers",
        ]

    @extend_schema_field(FeeSerializer)
    def get_fee(self, obj) -> dict:
        return {"amount": f"{obj.fee_amount:.2f}", "currency": obj.fee_currency}

    @extend_schema_field(LicenseConditionsSerializer)
    def get_conditions(self, obj) -> dict:
        return _conditions(obj)

    def get_license_id(self, obj) -> str | None:
        license = getattr(obj, "license", None) if obj.status == LicenseRequest.Status.APPROVED else None
        return license.license_id if license else None


class LicenseSerializer(serializers.ModelSerializer):
    talent = TalentRefSerializer()
    organization = serializers.CharField(source="organization.name")
    modalities = modalities_field()
    territories = territories_field()
    channels = channels_field()
    fee = serializers.SerializerMethodField()
    conditions = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    request_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = License
        fields = [
            "license_id",
            "status",
            "talent",
            "organization",
            "request_id",
            "use",
            "modalities",
            "territories",
            "channels",
            "product_category",
            "valid_from",
            "valid_until",
            "fee",
            "conditions",
            "description",
            "approved_at",
            "terminated_at",
            "termination_reason",
        ]

    @extend_schema_field(FeeSerializer(allow_null=True))
    def get_fee(self, obj) -> dict | None:
        if obj.fee_amount is None:
            return None
        return {"amount": f"{obj.fee_amount:.2f}", "currency": obj.fee_currency}

    @extend_schema_field(LicenseConditionsSerializer)
    def get_conditions(self, obj) -> dict:
        return _conditions(obj)

    @extend_schema_field(serializers.ChoiceField(choices=LICENSE_STATUSES))
    def get_status(self, obj) -> str:
        return license_status(obj)


class VerificationSerializer(serializers.Serializer):
    license_id = serializers.CharField()
    status = serializers.ChoiceField(choices=LICENSE_STATUSES)
    talent = TalentRefSerializer()
    organization = serializers.CharField()
    use = use_field()
    modalities = modalities_field()
    territories = territories_field()
    channels = channels_field()
    product_category = serializers.CharField(allow_null=True)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    conditions = LicenseConditionsSerializer(help_text="Duties of the license holder")
    terminated_at = serializers.DateTimeField(allow_null=True)


class CertificateSerializer(serializers.Serializer):
    format = serializers.CharField()
    algorithm = serializers.CharField()
    key_id = serializers.CharField()
    payload = serializers.DictField()
    signature = serializers.CharField()
