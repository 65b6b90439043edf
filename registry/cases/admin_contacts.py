"""Back office for the platform contact directory (imported by registry.cases.admin)."""

from django.contrib import admin

from registry.cases.models import PlatformContact


@admin.register(PlatformContact)
class PlatformContactAdmin(admin.ModelAdmin):
    list_display = ("platform", "name", "email", "response_window_days")
    search_fields = ("platform", "name", "email")
    ordering = ("platform",)
