"""Staff back office for terms. Signed versions and their terms are read-only and cannot be deleted here
(the service layer and database triggers refuse it too); drafts are edited on the terms pages."""

from django.contrib import admin

from registry.consent.models import ProductCategory, RegistryImport, Term, TermVersion
from registry.consent.terms import TERM_FIELDS


class TermInline(admin.StackedInline):
    model = Term
    extra = 0
    can_delete = False
    fields = ["use", *TERM_FIELDS]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TermVersion)
class TermVersionAdmin(admin.ModelAdmin):
    list_display = ["talent", "number", "status", "effective_from", "is_revocation", "signed_as", "signed_at"]
    list_filter = ["status", "signed_as", "is_revocation"]
    search_fields = ["talent__registry_id", "talent__stage_name", "sha256", "document_ref"]
    list_select_related = ["talent"]
    inlines = [TermInline]
    readonly_fields = [f.name for f in TermVersion._meta.fields]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would bypass the per-object check
        return actions

    def has_add_permission(self, request):
        return False  # versions are drafted and signed on the terms pages (or imported)

    def has_change_permission(self, request, obj=None):
        return False  # signed: immutable; drafts: edited by the talent on the terms pages

    def has_delete_permission(self, request, obj=None):
        return obj is not None and not obj.is_signed and super().has_delete_permission(request, obj)


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    """Staff may add excluded product categories beyond DESIGN.md's defaults."""

    list_display = ["slug", "label"]
    search_fields = ["slug", "label"]

    def has_delete_permission(self, request, obj=None):
        return False  # signed terms may name a category: keep them all


@admin.register(RegistryImport)
class RegistryImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "file_name", "source", "imported_by"]
    readonly_fields = [f.name for f in RegistryImport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
