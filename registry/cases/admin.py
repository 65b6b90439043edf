"""Back office for cases on the same services: status changes go through the workflow's transition table;
evidence, timeline, notices and breaches are read-only; supervisors edit notice templates and SLA policies."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect

from registry.cases import admin_contacts, workflow  # noqa: F401  (admin_contacts registers)
from registry.cases.errors import CaseError
from registry.cases.models import (
    Case,
    Evidence,
    MisuseReport,
    Notice,
    NoticeTemplate,
    Outcome,
    SLABreach,
    SLAPolicy,
    Status,
    TimelineEvent,
)
from registry.cases.notices import check_template_text
from registry.cases.selectors import hidden_case_ids, naming_hidden_cases_q, visible_cases
from registry.core.admin import ReadOnlyAdmin
from registry.core.history_admin import CheckedHistoryAdmin


class StaffReadOnly(ReadOnlyAdmin):
    """Read-only for staff, and only for cases the viewer may see (selectors.visible_cases, the one rule):
    lists are filtered through it and the change page of anything else answers 404."""

    case_field = "case"  # the path from this model to its Case ("" for Case itself)

    def has_module_permission(self, request):
        return request.user.has_perm("cases.work_cases")

    def has_view_permission(self, request, obj=None):
        if obj is not None and not request.user.has_perm("cases.view_case", self.case_of(obj)):
            return False
        return request.user.has_perm("cases.work_cases")

    def case_of(self, obj):
        return getattr(obj, self.case_field) if self.case_field else obj

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        visible = visible_cases(request.user)
        return (
            qs.filter(pk__in=visible)
            if not self.case_field
            else qs.filter(**{f"{self.case_field}__in": visible})
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such record (or not visible to you).")
        return obj


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    fields = ["at", "actor", "kind", "from_status", "to_status", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        # events that name a case the viewer cannot see (links, merges) are left out
        return super().get_queryset(request).exclude(naming_hidden_cases_q(hidden_case_ids(request.user)))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseAdminForm(forms.ModelForm):
    transition_to = forms.ChoiceField(
        label="Move to", required=False, choices=[("", "— no change —"), *Status.choices]
    )
    transition_reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    transition_outcome = forms.ChoiceField(
        label="Outcome (to resolve)", required=False, choices=[("", "—"), *Outcome.choices]
    )
    seen_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Case
        fields: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version


@admin.register(Case)
class CaseAdmin(StaffReadOnly):
    case_field = ""
    form = CaseAdminForm
    list_display = ["__str__", "status", "priority", "assignee", "platform", "created_at"]
    list_filter = ["status", "priority", "platform", "use", "confidential"]
    search_fields = ["summary", "talent__stage_name", "talent__registry_id", "organization_name"]
    list_select_related = ["talent", "assignee"]
    readonly_fields = [
        "status",
        "priority",
        "confidential",
        "talent",
        "talent_name",
        "organization",
        "organization_name",
        "platform",
        "use",
        "seen_on",
        "summary",
        "assignee",
        "triage_due_at",
        "response_due_at",
        "outcome",
        "dismissal_reason",
        "license_request",
        "duplicate_of",
        "version",
    ]
    fields = [*readonly_fields, "transition_to", "transition_reason", "transition_outcome", "seen_version"]
    inlines = [TimelineInline]

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def save_model(self, request, obj, form, change):
        to = form.cleaned_data.get("transition_to")
        if not to:
            return
        try:
            workflow.transition(
                obj.pk,
                to=to,
                actor=request.user,
                version=form.cleaned_data["seen_version"],
                reason=form.cleaned_data.get("transition_reason") or "",
                outcome=form.cleaned_data.get("transition_outcome") or "",
            )
        except CaseError as exc:
            request._case_admin_refused = True
            messages.error(request, exc.detail)

    def save_related(self, request, form, formsets, change):
        pass  # the timeline is append-only and written by the workflow

    def response_change(self, request, obj):
        if getattr(request, "_case_admin_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


@admin.register(MisuseReport)
class MisuseReportAdmin(StaffReadOnly):
    list_display = ["__str__", "case", "relationship", "platform", "created_at", "enriched_at"]
    list_filter = ["relationship", "platform"]
    exclude = ["tracking_hash"]


@admin.register(Evidence)
class EvidenceAdmin(StaffReadOnly):
    list_display = ["__str__", "case", "kind", "sha256", "uploaded_by", "uploaded_at"]
    exclude = ["original", "display", "thumbnail"]  # files only through the audited staff views


@admin.register(Notice)
class NoticeAdmin(StaffReadOnly):
    list_display = ["__str__", "case", "kind", "recipient_email", "sent_at", "sha256"]
    exclude = ["pdf"]


@admin.register(SLABreach)
class SLABreachAdmin(StaffReadOnly):
    list_display = ["case", "kind", "due_at", "detected_at"]
    list_filter = ["kind"]
    list_select_related = ["case"]


class SupervisorEditable(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.has_perm("cases.work_cases")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("cases.work_cases")

    def has_add_permission(self, request):
        return request.user.has_perm("cases.supervise_cases")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("cases.supervise_cases")

    def has_delete_permission(self, request, obj=None):
        return False


class NoticeTemplateAdminForm(forms.ModelForm):
    class Meta:
        model = NoticeTemplate
        fields = ["name", "kind", "subject", "body", "is_active"]

    def clean_subject(self):
        check_template_text(self.cleaned_data["subject"])
        return self.cleaned_data["subject"]

    def clean_body(self):
        check_template_text(self.cleaned_data["body"])
        return self.cleaned_data["body"]


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(SupervisorEditable, CheckedHistoryAdmin):
    form = NoticeTemplateAdminForm
    list_display = ["name", "kind", "is_active", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SLAPolicy)
class SLAPolicyAdmin(SupervisorEditable, CheckedHistoryAdmin):
    list_display = ["priority", "triage_hours", "response_days", "updated_at"]
