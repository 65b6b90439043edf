"""Shape of the check log in the API (the check request and answer shapes are registry.checks.serializers)."""

from rest_framework import serializers

from registry.brands.models import PermissionCheck


class PermissionCheckLogSerializer(serializers.ModelSerializer):
    talent = serializers.CharField(source="talent_registry_id")
    date = serializers.DateField(source="as_of")

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
