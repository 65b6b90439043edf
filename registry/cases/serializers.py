"""API shapes of the cases app. Input validation only; rules live in services/workflow."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.cases import deadlines
from registry.cases.evidence import MAX_FILES
from registry.cases.intake import MAX_URLS, ReportInput
from registry.cases.models import (
    Case,
    Evidence,
    EvidenceMatch,
    Outcome,
    Platform,
    Priority,
    Relationship,
    ReportedURL,
    Status,
    TimelineEvent,
)
from registry.consent.vocab import Use

# What a reporter's tracking shows: 'received' until the report is on a case, then the case's status.
TRACKING_STATUSES = ["received", *Status.values]


class ReportCreateSerializer(serializers.Serializer):
    urls = serializers.ListField(
        child=serializers.CharField(max_length=2000),
        required=False,
        max_length=MAX_URLS,
        help_text="Content URLs (http/https). Videos go here as links.",
    )
    platform = serializers.ChoiceField(choices=Platform.choices, required=False, allow_blank=True)
    seen_on = serializers.DateField(required=False, allow_null=True)
    talent = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Registry ID (TR-XXXX-XXXX) or name."
    )
    organization = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Suspected user or brand."
    )
    use = serializers.ChoiceField(choices=Use.choices, required=False, allow_blank=True)
    product_category = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text="What was advertised, e.g. 'cigarettes'."
    )
    territory = serializers.CharField(max_length=2, required=False, allow_blank=True)
    description = serializers.CharField(max_length=5000)
    sensitive = serializers.BooleanField(
        required=False, default=False, help_text="Sexual content or a minor: handled confidentially."
    )
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    reporter_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    reporter_email = serializers.EmailField(required=False, allow_blank=True)
    evidence = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_FILES,
        help_text=f"Up to {MAX_FILES} images (JPEG, PNG, WebP) or PDFs, 10 MB each (multipart only).",
    )

    def to_input(self) -> ReportInput:
        d = self.validated_data
        return ReportInput(
            description=d["description"],
            relationship=d["relationship"],
            urls=list(d.get("urls") or []),
            platform=d.get("platform") or "",
            seen_on=d.get("seen_on"),
            talent=d.get("talent") or "",
            organization=d.get("organization") or "",
            use=d.get("use") or "",
            product_category=d.get("product_category") or "",
            territory=(d.get("territory") or "").upper(),
            reporter_name=d.get("reporter_name") or "",
            reporter_email=d.get("reporter_email") or "",
            sensitive=bool(d.get("sensitive")),
        )


class ReportCreatedSerializer(serializers.Serializer):
    tracking_code = serializers.CharField(help_text="Shown once; keep it private. Only a hash is stored.")
    tracking_url = serializers.URLField()
    status = serializers.ChoiceField(choices=TRACKING_STATUSES, help_text="'received' for a new report.")


class TrackedMessageSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    body = serializers.CharField()


class TrackedURLSerializer(serializers.Serializer):
    url = serializers.CharField()
    status = serializers.ChoiceField(choices=ReportedURL.Status.choices)
    status_label = serializers.CharField()


class TrackingSerializer(serializers.Serializer):
    reference = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(
        choices=TRACKING_STATUSES,
        help_text="'received' until the report is on a case, then the case status.",
    )
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    messages = TrackedMessageSerializer(many=True)
    urls = TrackedURLSerializer(many=True)


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField(source="display_name")


class CaseTalentSerializer(serializers.Serializer):
    registry_id = serializers.CharField(allow_null=True, help_text="Null when the talent is named only.")
    stage_name = serializers.CharField()


class CaseOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Null when the organization is named only.")
    name = serializers.CharField()


class CaseListSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    talent = serializers.SerializerMethodField()
    organization = serializers.SerializerMethodField()
    assignee = UserRefSerializer(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "status",
            "priority",
            "suggested_priority",
            "confidential",
            "summary",
            "talent",
            "organization",
            "platform",
            "use",
            "product_category",
            "seen_on",
            "assignee",
            "triage_due_at",
            "response_due_at",
            "is_overdue",
            "outcome",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_is_overdue(self, case) -> bool:
        annotated = getattr(case, "is_overdue", None)  # the queue annotates it in SQL
        return annotated if annotated is not None else deadlines.is_overdue(case)

    @extend_schema_field(CaseTalentSerializer(allow_null=True))
    def get_talent(self, case) -> dict | None:
        if case.talent_id:
            return {"registry_id": case.talent.registry_id, "stage_name": case.talent.stage_name}
        return {"registry_id": None, "stage_name": case.talent_name} if case.talent_name else None

    @extend_schema_field(CaseOrganizationSerializer(allow_null=True))
    def get_organization(self, case) -> dict | None:
        if case.organization_id:
            return {"id": case.organization_id, "name": case.organization.name}
        return {"id": None, "name": case.organization_name} if case.organization_name else None


class ReportedURLSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportedURL
        fields = ["id", "url", "normalized_url", "status", "last_checked_at"]


class EvidenceMatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceMatch
        fields = ["reference_media", "other_evidence", "distance"]


class EvidenceSerializer(serializers.ModelSerializer):
    matches = EvidenceMatchSerializer(many=True, read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "kind", "original_name", "mime", "size", "sha256", "phash", "uploaded_at", "matches"]


class TimelineEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = TimelineEvent
        fields = ["kind", "from_status", "to_status", "message", "actor", "at"]

    def get_actor(self, event) -> str:
        return event.actor.email if event.actor_id else "system"


class CaseDetailSerializer(CaseListSerializer):
    urls = ReportedURLSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    timeline = TimelineEventSerializer(many=True, read_only=True)
    watchers = UserRefSerializer(many=True, read_only=True)
    duplicate_of = serializers.SerializerMethodField(
        help_text="The case this one was merged into (null when none, or when the caller cannot see it)."
    )

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "description",
            "outcome_note",
            "dismissal_reason",
            "license_request",
            "duplicate_of",
            "permission_result",
            "triaged_at",
            "closed_at",
            "watchers",
            "urls",
            "evidence",
            "timeline",
        ]

    def get_duplicate_of(self, case) -> int | None:
        if getattr(case, "duplicate_of_hidden", False):
            return None
        return case.duplicate_of_id


class CasePatchSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The case version you last saw (optimistic concurrency).")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    assignee = serializers.IntegerField(
        required=False, allow_null=True, help_text="A staff user id, or null."
    )
    confidential = serializers.BooleanField(required=False)
    summary = serializers.CharField(max_length=200, required=False, allow_blank=True)
    talent = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="Registry ID; empty to unlink."
    )
    organization = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Organization name (linked when known)."
    )
    use = serializers.ChoiceField(choices=Use.choices, required=False, allow_blank=True)
    product_category = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text="Product advertised (synonyms resolved)."
    )
    platform = serializers.ChoiceField(choices=Platform.choices, required=False)
    seen_on = serializers.DateField(required=False, allow_null=True)

    FACTS = ("talent", "organization", "use", "product_category", "platform", "seen_on")


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    version = serializers.IntegerField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    outcome_note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    license_request = serializers.IntegerField(required=False, allow_null=True)


class CaseQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[("open", "open"), ("closed", "closed"), *Status.choices], required=False, allow_blank=True
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, allow_blank=True)
    assignee = serializers.RegexField(r"^(me|none|\d{1,12})$", required=False, allow_blank=True)
    platform = serializers.ChoiceField(choices=Platform.choices, required=False, allow_blank=True)
    use = serializers.ChoiceField(choices=Use.choices, required=False, allow_blank=True)
    overdue = serializers.BooleanField(required=False, default=False)
    q = serializers.CharField(max_length=200, required=False, allow_blank=True)
    ordering = serializers.ChoiceField(
        choices=["priority", "due", "newest", "oldest", "updated"], required=False, allow_blank=True
    )
