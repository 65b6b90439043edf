"""The cases app's models (Django's app registry and `registry.cases.models.X` find them here)."""

from registry.cases.models.cases import (
    AWAITING_STATUSES,
    CLOSED_STATUSES,
    OPEN_Q,
    OPEN_STATUSES,
    PRIORITY_RANK,
    AppendOnlyError,
    Case,
    CaseLink,
    Message,
    Note,
    Outcome,
    Platform,
    Priority,
    Relationship,
    Status,
    TimelineEvent,
    TimelineQuerySet,
)
from registry.cases.models.faces import FaceMatch, FaceScan
from registry.cases.models.notices import (
    Notice,
    NoticeKind,
    NoticeTemplate,
    PlatformContact,
    ResponseOutcome,
    notice_upload_path,
)
from registry.cases.models.pending import PendingNotification
from registry.cases.models.reports import (
    Evidence,
    EvidenceMatch,
    MisuseReport,
    ReportedURL,
    hash_tracking_code,
)
from registry.cases.models.sla import SLABreach, SLAPolicy
from registry.cases.models.views import SavedView

__all__ = [
    "AWAITING_STATUSES",
    "CLOSED_STATUSES",
    "OPEN_Q",
    "OPEN_STATUSES",
    "PRIORITY_RANK",
    "AppendOnlyError",
    "Case",
    "CaseLink",
    "Evidence",
    "EvidenceMatch",
    "FaceMatch",
    "FaceScan",
    "Message",
    "MisuseReport",
    "Note",
    "Notice",
    "NoticeKind",
    "NoticeTemplate",
    "Outcome",
    "PendingNotification",
    "Platform",
    "PlatformContact",
    "Priority",
    "Relationship",
    "ReportedURL",
    "ResponseOutcome",
    "SLABreach",
    "SLAPolicy",
    "SavedView",
    "Status",
    "TimelineEvent",
    "TimelineQuerySet",
    "hash_tracking_code",
    "notice_upload_path",
]
