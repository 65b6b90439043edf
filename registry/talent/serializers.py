"""Public shape of talent in the API: public fields only (no legal name, birth date, contacts, membership)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.talent.models import Discipline, TalentProfile


class TalentSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=150)
    discipline = serializers.ChoiceField(choices=Discipline.choices, required=False, allow_blank=True)


class PublicTalentSerializer(serializers.ModelSerializer):
    verified = serializers.BooleanField(source="is_verified", read_only=True)
    disciplines = serializers.ListField(
        child=serializers.ChoiceField(choices=Discipline.choices), read_only=True
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = TalentProfile
        fields = ["registry_id", "stage_name", "disciplines", "representation", "verified", "url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_url(self, obj) -> str:
        return f"/talent/{obj.registry_id}/"


class TermSummarySerializer(serializers.Serializer):
    use = serializers.CharField()
    decision = serializers.CharField()


class TermsSummarySerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="Number of the terms version in effect today.")
    effective_from = serializers.DateField()
    terms = TermSummarySerializer(many=True)


class PublicTalentDetailSerializer(PublicTalentSerializer):
    deceased = serializers.BooleanField(source="is_deceased", read_only=True)
    date_of_death = serializers.DateField(read_only=True, allow_null=True)
    managed_by = serializers.SerializerMethodField(
        help_text="For a deceased performer: who manages the likeness (the estate verified by union staff), "
        "or null."
    )
    terms = serializers.SerializerMethodField(
        help_text="The current public terms summary, or null when no terms are signed (then every use needs "
        "a license and ai_training is denied)."
    )

    class Meta(PublicTalentSerializer.Meta):
        fields = [*PublicTalentSerializer.Meta.fields, "deceased", "date_of_death", "managed_by", "terms"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_managed_by(self, obj) -> str | None:
        return self.context.get("managed_by")

    @extend_schema_field(TermsSummarySerializer(allow_null=True))
    def get_terms(self, obj):
        version = self.context.get("version")
        if version is None:
            return None
        return {
            "version": version.number,
            "effective_from": version.effective_from.isoformat(),
            "terms": [{"use": t.use, "decision": t.decision} for t in version.terms.all()],
        }
