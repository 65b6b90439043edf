"""Biometric consents in the admin, read-only (the record of what was agreed). Descriptors are deliberately
not registered: their vectors never appear in the admin, an export or the API."""

from django.contrib import admin

from registry.core.admin import ReadOnlyAdmin
from registry.likeness.models import BiometricConsent


@admin.register(BiometricConsent)
class BiometricConsentAdmin(ReadOnlyAdmin):
    list_display = ("talent", "modality", "text_version", "signer_capacity", "signed_at", "withdrawn_at")
    list_filter = ("modality", "signer_capacity", "text_version")
    search_fields = ("talent__registry_id", "talent__stage_name")
    readonly_fields = [f.name for f in BiometricConsent._meta.fields]
    list_select_related = ("talent",)
