"""Shapes of the public terms API (documentation for the OpenAPI schema; the documents come from exports)."""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from registry.consent.fields import (
    MoneySerializer,
    channels_field,
    modalities_field,
    term_decision_field,
    territories_field,
)


class PublicTermSerializer(serializers.Serializer):
    decision = term_decision_field()
    source = serializers.ChoiceField(
        choices=["terms", "default"], help_text="'default': no signed term for this use (registry default)."
    )
    modalities = modalities_field(required=False)
    territories = territories_field(required=False)
    channels = channels_field(required=False)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    min_fee = MoneySerializer(required=False, allow_null=True)
    attribution = serializers.BooleanField(required=False)
    ai_disclosure = serializers.BooleanField(required=False)
    excluded_categories = serializers.ListField(child=serializers.CharField(), required=False)
    organizations = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Names of the organizations the term is limited to; empty: any caller.",
    )
    separate_consent = serializers.BooleanField(
        required=False,
        help_text="Replica and AI-training uses: the talent gave a separate, explicit consent.",
    )


class VersionInfoSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    effective_from = serializers.DateField()
    signed_at = serializers.DateTimeField()
    is_revocation = serializers.BooleanField()
    sha256 = serializers.CharField()


class UsesSerializer(serializers.Serializer):
    advertising = PublicTermSerializer()
    editorial = PublicTermSerializer()
    digital_alteration = PublicTermSerializer()
    replica_creation = PublicTermSerializer()
    replica_use = PublicTermSerializer()
    ai_training = PublicTermSerializer()


class LinksSerializer(serializers.Serializer):
    policy = serializers.URLField()
    terms = serializers.URLField()


class RegistryTermsSerializer(serializers.Serializer):
    talent = serializers.CharField()
    stage_name = serializers.CharField()
    as_of = serializers.DateField()
    version = VersionInfoSerializer(allow_null=True)
    uses = UsesSerializer()
    links = LinksSerializer()


class _ExportBase(serializers.Serializer):
    talent = serializers.CharField()
    as_of = serializers.DateField()
    version = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField(allow_null=True)


class WellKnownRuleSerializer(serializers.Serializer):
    location = serializers.CharField()
    tdm_reservation = serializers.IntegerField()
    tdm_policy = serializers.URLField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["tdm-reservation"] = fields.pop("tdm_reservation")
        fields["tdm-policy"] = fields.pop("tdm_policy")
        return fields


class TdmrepTermsSerializer(_ExportBase):
    tdm_reservation = serializers.IntegerField(min_value=0, max_value=1)
    tdm_policy = serializers.URLField(required=False)
    headers = serializers.DictField(child=serializers.CharField())
    html_meta = serializers.ListField(child=serializers.CharField())
    well_known = WellKnownRuleSerializer()

    def get_fields(self):
        fields = super().get_fields()
        fields["tdm-reservation"] = fields.pop("tdm_reservation")
        fields["tdm-policy"] = fields.pop("tdm_policy")
        return fields


class IptcTermsSerializer(_ExportBase):
    data_mining = serializers.CharField(help_text="http://ns.useplus.org/ldf/vocab/DMI-…")
    other_constraints = serializers.CharField(required=False)
    web_statement = serializers.URLField()
    xmp = serializers.CharField(help_text="An XMP packet with plus:DataMining (and plus:OtherConstraints).")

    def get_fields(self):
        fields = super().get_fields()
        fields["plus:DataMining"] = fields.pop("data_mining")
        fields["plus:OtherConstraints"] = fields.pop("other_constraints")
        fields["xmpRights:WebStatement"] = fields.pop("web_statement")
        return fields


class C2paEntrySerializer(serializers.Serializer):
    use = serializers.ChoiceField(choices=["allowed", "notAllowed", "constrained"])
    constraint_info = serializers.CharField(required=False)


class C2paAssertionSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="c2pa.training-mining (or cawg.training-mining)")
    data = serializers.DictField(help_text='{"entries": {"c2pa.ai_training": {"use": …}, …}}')


class C2paTermsSerializer(_ExportBase):
    assertion = C2paAssertionSerializer()
    cawg_assertion = C2paAssertionSerializer()


TermsResponseSerializer = PolymorphicProxySerializer(
    component_name="TalentTerms",
    serializers=[RegistryTermsSerializer, TdmrepTermsSerializer, IptcTermsSerializer, C2paTermsSerializer],
    resource_type_field_name=None,
)
