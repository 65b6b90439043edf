"""Back office for talent records (supervisors). Private views are audited like the staff pages."""

from django.contrib import admin

from registry.core.audit import record_access
from registry.core.history_admin import CheckedHistoryAdmin
from registry.talent.models import ReferenceMedia, Representative, TalentProfile


class RepresentativeInline(admin.TabularInline):
    model = Representative
    fk_name = "talent"
    extra = 0
    fields = [
        "user",
        "kind",
        "agency",
        "can_manage_terms",
        "can_answer_requests",
        "granted_at",
        "revoked_at",
        "authority_verified_at",
    ]
    # A guardian's or estate's authority is verified on the staff desk, from its document (audited there).
    readonly_fields = ["granted_at", "authority_verified_at"]
    raw_id_fields = ["user"]


@admin.register(TalentProfile)
class TalentProfileAdmin(CheckedHistoryAdmin):
    list_display = ["stage_name", "registry_id", "is_verified", "membership_status", "status", "updated_at"]
    list_filter = ["is_verified", "membership_status", "status"]
    search_fields = ["stage_name", "search_name", "registry_id", "membership_number", "email"]
    list_select_related = ["user"]
    readonly_fields = [
        "registry_id",
        "status",
        "is_verified",
        "verified_by",
        "verified_at",
        "verification_method",
        "withdrawn_at",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["user"]
    inlines = [RepresentativeInline]
    fieldsets = (
        (
            "Public",
            {"fields": ("registry_id", "stage_name", "disciplines", "representation", "bio", "status")},
        ),
        (
            "Private",
            {
                "fields": (
                    "user",
                    "legal_name",
                    "date_of_birth",
                    "email",
                    "phone",
                    "address",
                    "membership_number",
                    "membership_status",
                    "is_deceased",
                    "date_of_death",
                )
            },
        ),
        (
            "Verification (use the staff desk to verify)",
            {"fields": ("is_verified", "verified_by", "verified_at", "verification_method")},
        ),
        ("Record", {"fields": ("withdrawn_at", "withdrawal_reason", "created_at", "updated_at")}),
    )

    # Supervisors correct records here; verification, withdrawal and new members go through the staff desk.
    def has_module_permission(self, request):
        return request.user.has_perm("accounts.administer")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.administer")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("accounts.administer")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        talent = self.get_object(request, object_id)
        if talent is not None and request.method == "GET":
            record_access(
                request=request,
                actor=request.user,
                action="talent.admin_view",
                obj=talent,
                detail="Django admin",
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ReferenceMedia)
class ReferenceMediaAdmin(admin.ModelAdmin):
    """Metadata only: the files are opened through the audited /talent/media/ views."""

    list_display = ["talent", "kind", "mime", "size", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["talent__registry_id", "sha256", "phash"]
    list_select_related = ["talent"]
    exclude = ["original", "display", "thumbnail"]
    readonly_fields = [
        "talent",
        "kind",
        "original_name",
        "mime",
        "size",
        "width",
        "height",
        "sha256",
        "phash",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_module_permission(self, request):
        return request.user.has_perm("accounts.administer")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.administer")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
