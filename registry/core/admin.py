"""Back office for the platform records: the audit log (read-only) and the outbox (retry failed work)."""

from django.contrib import admin, messages

from registry.core import outbox
from registry.core.models import AuditEvent, OutboxMessage


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the admin shows and never adds, changes or deletes (the services own those changes)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit log cannot be edited or deleted through the admin."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__email"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Failed messages (filter: status failed) show their last error and can be sent again."""

    list_display = ["created_at", "handler", "status", "attempts", "short_error", "processed_at"]
    list_filter = ["status", "handler"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry_messages"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Last error")
    def short_error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:120]

    @admin.action(description="Retry the selected failed messages", permissions=["change"])
    def retry_messages(self, request, queryset):
        count = outbox.requeue(list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - count
        self.message_user(request, f"{count} failed message(s) sent again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} message(s) were not failed and were left alone.")
