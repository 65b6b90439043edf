"""The case itself: its states and vocabularies, and what hangs off it (timeline, notes, messages, links)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case as CaseWhen
from django.db.models import Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from registry.consent.vocab import Use
from registry.core import labels
from registry.core.errors import ImmutableRecord


class AppendOnlyError(ImmutableRecord):
    """A record of the case's history (timeline, evidence original) was about to be changed or deleted."""


class Status(models.TextChoices):
    NEW = "new", "New"
    TRIAGE = "triage", "In triage"
    INVESTIGATING = "investigating", "Investigating"
    NOTICE_SENT = "notice_sent", "Notice sent"
    AWAITING_RESPONSE = "awaiting_response", "Awaiting response"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"
    ESCALATED = "escalated", "Escalated (legal/arbitration)"


CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.DISMISSED})
OPEN_STATUSES = frozenset(s for s in Status if s not in CLOSED_STATUSES)
AWAITING_STATUSES = frozenset({Status.NOTICE_SENT, Status.AWAITING_RESPONSE})


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    HIGH = "high", "High"
    NORMAL = "normal", "Normal"
    LOW = "low", "Low"


PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}

# The queue's partial indexes cover open cases; the list is sorted so the SQL text is stable.
OPEN_Q = Q(status__in=sorted(OPEN_STATUSES))


class Outcome(models.TextChoices):
    REMOVED = "removed", "Removed (content taken down)"
    LICENSED = "licensed", "Licensed (the user took a license)"
    PERMITTED = "permitted", "Permitted (the use was covered)"
    NO_VIOLATION = "no_violation", "No violation"
    WITHDRAWN = "withdrawn", "Withdrawn by the reporter"


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    X = "x", "X (Twitter)"
    THREADS = "threads", "Threads"
    SNAPCHAT = "snapchat", "Snapchat"
    LINKEDIN = "linkedin", "LinkedIn"
    PINTEREST = "pinterest", "Pinterest"
    REDDIT = "reddit", "Reddit"
    TWITCH = "twitch", "Twitch"
    WEBSITE = "website", "Website or online shop"
    APP = "app", "App or game"
    PRINT = "print", "Print or billboard"
    BROADCAST = "broadcast", "TV or radio"
    OTHER = "other", "Other"


class Relationship(models.TextChoices):
    SELF = "self", "I am the person shown"
    REPRESENTATIVE = "representative", "I represent them (agent, guardian, estate)"
    UNION = "union", "Union staff or member"
    BRAND = "brand", "Brand, agency or platform"
    FAN = "fan", "Fan or member of the public"
    OTHER = "other", "Other"


class Case(models.Model):
    """One piece of suspected misuse, worked by staff through the workflow (registry.cases.workflow)."""

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    suggested_priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    priority_set_by_staff = models.BooleanField(default=False)
    confidential = models.BooleanField(
        default=False, help_text="Sexual content or minors: only supervisors and the assignee see it."
    )

    talent = models.ForeignKey(
        "talent.TalentProfile", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    talent_name = models.CharField(max_length=200, blank=True, help_text="As reported, when not matched.")
    organization = models.ForeignKey(
        "brands.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    organization_name = models.CharField(max_length=200, blank=True, help_text="Suspected user, as reported.")
    platform = models.CharField(max_length=12, choices=Platform.choices, default=Platform.OTHER)
    use = models.CharField(max_length=24, choices=Use.choices, blank=True, help_text="Likely use.")
    # The product advertised (a category slug, synonyms resolved): the as-of check uses it (product.md §4).
    product_category = models.CharField(max_length=50, blank=True)
    seen_on = models.DateField(null=True, blank=True)
    summary = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    watchers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="watched_cases")

    # Deadlines (set by the workflow from the SLA policy of the case's priority).
    triage_due_at = models.DateTimeField(null=True, blank=True)
    response_due_at = models.DateTimeField(null=True, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    outcome = models.CharField(max_length=14, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    dismissal_reason = models.TextField(blank=True)
    license_request = models.ForeignKey(
        "licensing.LicenseRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )

    # Enrichment: the permission check as of the date seen, and when it ran.
    permission_result = models.JSONField(null=True, blank=True)
    enriched_at = models.DateTimeField(null=True, blank=True)

    # Optimistic concurrency: every change bumps it; a change made from a stale version is refused.
    version = models.PositiveIntegerField(default=1)
    # When the case was opened: the time of its first report (set explicitly when the case is created).
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Stored sort keys of the queue, computed by the database on every write (GENERATED ... STORED), so no
    # write path (services, queryset.update, bulk_create, the admin) can leave them stale; indexed below.
    priority_rank = models.GeneratedField(
        expression=CaseWhen(
            *[When(priority=p, then=Value(r)) for p, r in PRIORITY_RANK.items()],
            default=Value(len(PRIORITY_RANK)),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    # The deadline the queue sorts by: the triage deadline, else the response deadline.
    due_at = models.GeneratedField(
        expression=Coalesce("triage_due_at", "response_due_at"),
        output_field=models.DateTimeField(null=True),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at"]
        # The queue's sorts (selectors.SORTS), each with the open-cases filter (partial), a status or an
        # assignee in front, and over all cases; see docs/performance-queue.md for the plans.
        indexes = [
            models.Index(
                fields=["priority_rank", "-created_at", "-id"], condition=OPEN_Q, name="case_open_rank"
            ),
            models.Index(fields=["due_at", "priority_rank", "id"], condition=OPEN_Q, name="case_open_due"),
            models.Index(fields=["created_at", "id"], condition=OPEN_Q, name="case_open_created"),
            models.Index(fields=["updated_at", "id"], condition=OPEN_Q, name="case_open_updated"),
            models.Index(
                fields=["assignee", "priority_rank", "-created_at", "-id"],
                condition=OPEN_Q,
                name="case_open_assignee_rank",
            ),
            models.Index(
                fields=["assignee", "due_at", "priority_rank", "id"],
                condition=OPEN_Q,
                name="case_open_assignee_due",
            ),
            models.Index(fields=["status", "priority_rank", "-created_at", "-id"], name="case_status_rank"),
            models.Index(fields=["status", "due_at", "priority_rank", "id"], name="case_status_due"),
            models.Index(fields=["priority_rank", "-created_at", "-id"], name="case_rank"),
            models.Index(fields=["due_at", "priority_rank", "id"], name="case_due"),
            models.Index(fields=["created_at", "id"], name="case_created"),
            models.Index(fields=["updated_at", "id"], name="case_updated"),
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
            models.Index(fields=["platform", "status"], name="case_platform_status"),
            models.Index(fields=["use", "status"], name="case_use_status"),
            models.Index(fields=["status", "triage_due_at"], name="case_triage_due"),
            models.Index(fields=["status", "response_due_at"], name="case_response_due"),
            models.Index(fields=["talent", "-created_at"], name="case_talent_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.RESOLVED) | ~Q(outcome=""), name="resolved_case_has_outcome"
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.LICENSED) | Q(license_request__isnull=False),
                name="licensed_outcome_links_request",
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=models.F("pk")), name="case_not_own_duplicate"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return f"C-{self.pk:05d}" if self.pk else "C-new"

    @property
    def title(self) -> str:
        who = self.talent.stage_name if self.talent_id else (self.talent_name or "unknown talent")
        return self.summary or f"{who} on {self.get_platform_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_kind(self, now) -> str:
        """'triage' or 'response' when a deadline has passed (the queue annotates the same rule in SQL)."""
        if self.status == Status.NEW and self.triage_due_at and self.triage_due_at < now:
            return "triage"
        if self.status in AWAITING_STATUSES and self.response_due_at and self.response_due_at < now:
            return "response"
        return ""


class TimelineQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The case timeline is append-only.")

    def delete(self):
        raise AppendOnlyError("The case timeline is append-only.")


class TimelineEvent(models.Model):
    """Append-only history of a case: every transition, assignment, note, message, notice and SLA breach."""

    class Kind(models.TextChoices):
        REPORTED = "reported", "Reported"
        REPORT_ATTACHED = "report_attached", "Further report joined"
        ENRICHED = "enriched", "Enriched"
        STATUS = "status", "Status changed"
        ASSIGNED = "assigned", "Assigned"
        PRIORITY = "priority", "Priority changed"
        CONFIDENTIAL = "confidential", "Confidentiality changed"
        WATCHERS = "watchers", "Watchers changed"
        NOTE = "note", "Internal note"
        MESSAGE = "message", "Message to reporter"
        EVIDENCE = "evidence", "Evidence added"
        URL = "url", "URL status"
        LINK = "link", "Linked case"
        MERGE = "merge", "Merged"
        NOTICE = "notice", "Notice sent"
        SLA_BREACH = "sla_breach", "Deadline missed"
        EDIT = "edit", "Details edited"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="timeline")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    objects = TimelineQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="timeline_case_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} on case {self.case_id}"

    @property
    def actor_label(self) -> str:
        return str(self.actor) if self.actor_id else "system"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The case timeline is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The case timeline is append-only.")


class Note(models.Model):
    """An internal note: staff only, never on the tracking page."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on case {self.case_id}"


class Message(models.Model):
    """A message to the reporter(s): shown on the tracking page and emailed when they left an address."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message on case {self.case_id}"


class CaseLink(models.Model):
    class Kind(models.TextChoices):
        RELATED = "related", "Related"
        DUPLICATE = "duplicate", "Duplicate"

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case"], name="one_link_per_pair"),
            models.CheckConstraint(condition=~Q(from_case=models.F("to_case")), name="link_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} {self.kind} {self.to_case_id}"


labels.register("case_status", Status)
labels.register("priority", Priority)
labels.register("case_outcome", Outcome)
labels.register("platform", Platform)
labels.register("relationship", Relationship)
