"""Staff back office for terms. Signed versions and their terms are read-only and cannot be deleted here
(the service layer and database triggers refuse it too); drafts are edited on the terms pages."""

import re

from django import forms
from django.contrib import admin

from registry.consent.categories import category_table, meaning_elsewhere
from registry.consent.models import ProductCategory, RegistryImport, Term, TermVersion
from registry.consent.terms import TERM_FIELDS
from registry.core.admin import ReadOnlyAdmin


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


class ProductCategoryForm(forms.ModelForm):
    """Synonyms are typed one per line (or separated by commas) and kept as a JSON list."""

    synonyms = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What people type for this category, one per line or comma-separated "
        "(e.g. wine, beer for alcohol). Checks, license requests and cases read them.",
    )

    class Meta:
        model = ProductCategory
        fields = ["slug", "label", "synonyms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["synonyms"] = "\n".join(self.instance.synonyms or [])

    def clean_synonyms(self) -> list[str]:
        seen: list[str] = []
        for part in re.split(r"[\n,]+", self.cleaned_data.get("synonyms") or ""):
            word = " ".join(part.split()).lower()
            if word and word not in seen:
                seen.append(word)
        slug = self.instance.slug or self.cleaned_data.get("slug") or ""
        table = category_table()
        taken = [
            f"“{w}” ({meaning_elsewhere(w, slug, table)})" for w in seen if meaning_elsewhere(w, slug, table)
        ]
        if taken:
            # A synonym may add a word, never move one: that would widen answers for the other category.
            raise forms.ValidationError(f"Already the name of another category: {', '.join(taken)}.")
        return seen


@admin.register(ProductCategory)
class ProductCategoryAdmin(admin.ModelAdmin):
    """Staff may add excluded product categories beyond product.md's defaults, and the words people type
    for them (registry.consent.categories maps those to the category)."""

    form = ProductCategoryForm
    list_display = ["slug", "label", "synonym_list"]
    search_fields = ["slug", "label", "synonyms"]

    @admin.display(description="synonyms")
    def synonym_list(self, obj) -> str:
        return ", ".join(obj.synonyms or [])

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj is not None else []  # signed terms name the slug: it never changes

    # Staff keep the list (product.md §3: "staff may add more"); the admin's model permissions are not used.
    def has_module_permission(self, request):
        return request.user.has_perm("accounts.access_staff_desk")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.access_staff_desk")

    def has_add_permission(self, request):
        return request.user.has_perm("accounts.access_staff_desk")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("accounts.access_staff_desk")

    def has_delete_permission(self, request, obj=None):
        return False  # signed terms may name a category: keep them all


@admin.register(RegistryImport)
class RegistryImportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "file_name", "source", "imported_by"]
    readonly_fields = [f.name for f in RegistryImport._meta.fields]
