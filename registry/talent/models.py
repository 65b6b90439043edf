"""Talent profiles (public and private parts) and who may act for them."""

import secrets
from datetime import date

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Upper
from simple_history.models import HistoricalRecords

from registry.core.uploads import private_storage
from registry.talent.search import normalize_name

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # base-32 without I L O U
REGISTRY_ID_RE = r"^TR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"


def new_registry_id() -> str:
    chars = "".join(secrets.choice(CROCKFORD) for _ in range(8))
    return f"TR-{chars[:4]}-{chars[4:]}"


class Discipline(models.TextChoices):
    MODEL = "model", "Model"
    ACTOR = "actor", "Actor"
    VOICE_ARTIST = "voice_artist", "Voice artist"
    MUSICIAN = "musician", "Musician"
    DANCER = "dancer", "Dancer"
    ILLUSTRATOR = "illustrator", "Illustrator"
    ARTIST = "artist", "Artist"
    ATHLETE = "athlete", "Athlete"
    INFLUENCER = "influencer", "Influencer"


class VerificationMethod(models.TextChoices):
    """How staff checked a talent's identity and membership (product.md §2), a small documented list.

    Stored in `TalentProfile.verification_method` as "<method>" or "<method>: <note>" (no schema change: the
    column predates the list and older free-text records are shown as they are)."""

    IN_PERSON = "id_in_person", "Identity document seen in person"
    VIDEO_CALL = "id_video_call", "Identity document seen on a video call"
    UNION_RECORDS = "union_records", "Matched against the union's membership records"
    NOTARISED = "notarised", "Notarised or certified copy of an identity document"


class TalentProfile(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Membership(models.TextChoices):
        UNKNOWN = "unknown", "Not checked"
        ACTIVE = "active", "Member in good standing"
        LAPSED = "lapsed", "Lapsed"
        NON_MEMBER = "non_member", "Not a member"

    # Public
    registry_id = models.CharField(max_length=12, unique=True, default=new_registry_id, editable=False)
    stage_name = models.CharField(max_length=150)
    # Lower-cased, accent-free stage name: plain, index-friendly search on every database.
    search_name = models.CharField(max_length=150, db_index=True, editable=False)
    disciplines = models.JSONField(default=list, blank=True)
    representation = models.CharField(
        max_length=200, blank=True, help_text="Agency or agent, as shown publicly."
    )
    bio = models.TextField(blank=True, max_length=2000)
    is_verified = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)

    # Private: the talent, their representatives and staff only
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent_profile",
    )
    legal_name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True, max_length=500)
    membership_number = models.CharField(max_length=40, blank=True, db_index=True)
    membership_status = models.CharField(
        max_length=12, choices=Membership.choices, default=Membership.UNKNOWN
    )
    is_deceased = models.BooleanField(
        default=False, help_text="Estates consent for deceased performers (AB 1836)."
    )
    date_of_death = models.DateField(null=True, blank=True)

    # Verification record (who, when, how)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_method = models.CharField(max_length=200, blank=True)

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=300, blank=True)
    # When the talent (or their guardian) closed the account; see registry.privacy.closure.
    closed_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_name"])

    class Meta:
        ordering = ["stage_name"]
        constraints = [
            models.CheckConstraint(condition=Q(registry_id__regex=REGISTRY_ID_RE), name="registry_id_format")
        ]
        indexes = [
            models.Index(fields=["status", "search_name"], name="talent_public_search"),
            # import_registry and staff match by email case-insensitively (`email__iexact`: UPPER(email)).
            models.Index(Upper("email"), name="talent_email_upper"),
            # Staff member search: membership number case-insensitively (legal names: migration 0009).
            models.Index(Upper("membership_number"), name="talent_membership_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.stage_name} ({self.registry_id})"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_search_name = instance.__dict__.get("search_name")
        return instance

    def save(self, *args, **kwargs):
        self.search_name = normalize_name(self.stage_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "stage_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)
        if self.search_name != getattr(self, "_saved_search_name", None):
            NameWord.remember([self.search_name])
            self._saved_search_name = self.search_name

    @property
    def discipline_labels(self) -> list[str]:
        labels = dict(Discipline.choices)
        return [labels.get(d, d) for d in self.disciplines or []]

    @property
    def is_registered(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def verification_method_label(self) -> str:
        """The recorded method in words, with the staff note ("Identity document seen in person: …")."""
        method, _, note = (self.verification_method or "").partition(":")
        labels = dict(VerificationMethod.choices)
        if method.strip() not in labels:
            return self.verification_method  # a record from before the list of methods
        label = labels[method.strip()]
        return f"{label}: {note.strip()}" if note.strip() else label

    @property
    def adult_from(self) -> date | None:
        """The 18th birthday (1 March for 29 February in a common year); None without a birth date."""
        dob = self.date_of_birth
        if dob is None:
            return None
        try:
            return dob.replace(year=dob.year + 18)
        except ValueError:
            return date(dob.year + 18, 3, 1)

    def is_minor(self, on: date | None = None) -> bool:
        adult_from = self.adult_from
        return adult_from is not None and (on or date.today()) < adult_from


class Representative(models.Model):
    """Authority a talent (or the law, for a guardian) gives another user to act for them."""

    class Kind(models.TextChoices):
        AGENT = "agent", "Agent or agency"
        GUARDIAN = "guardian", "Parent or legal guardian"
        ESTATE = "estate", "Estate (deceased performer)"

    talent = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="representatives")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="represents")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.AGENT)
    agency = models.CharField(max_length=200, blank=True)
    can_manage_terms = models.BooleanField(default=True)
    can_answer_requests = models.BooleanField(default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A guardian's or estate's authority counts only once staff have checked it (product.md §2).
    authority_document = models.FileField(
        storage=private_storage,
        upload_to="authority/",
        blank=True,
        help_text="Court order, birth certificate…",
    )
    authority_verified_at = models.DateTimeField(null=True, blank=True)
    authority_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["talent", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_representation",
            )
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="rep_user_active")]

    def __str__(self) -> str:
        return f"{self.user} for {self.talent} ({self.kind})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def reference_upload_path(instance, filename: str) -> str:
    return f"reference/{instance.talent.registry_id}/{instance.sha256[:16]}-{filename[-60:]}"


class NameWord(models.Model):
    """Every word of a stage name (normalised: accents and case folded), once. The fuzzy search corrects a
    mistyped word to the nearest of these (a trigram KNN over thousands of words, not a million names), then
    looks the corrected names up by containment. Words are never removed: a word nobody bears any more only
    costs a containment lookup that finds nothing."""

    MIN_LENGTH = 3  # shorter words have no trigram of their own to match on

    word = models.CharField(primary_key=True, max_length=100)

    def __str__(self) -> str:
        return self.word

    @classmethod
    def remember(cls, names) -> None:
        """Record the words of these normalised names (one INSERT … ON CONFLICT DO NOTHING)."""
        words = {w for name in names for w in (name or "").split() if cls.MIN_LENGTH <= len(w) <= 100}
        if words:
            cls.objects.bulk_create(
                [cls(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=2000
            )

    @classmethod
    def remember_all(cls) -> None:
        """Record the words of every registered name (after a bulk load that bypassed save())."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO talent_nameword (word) SELECT DISTINCT w FROM talent_talentprofile, "
                    "unnest(string_to_array(search_name, ' ')) AS w WHERE length(w) BETWEEN %s AND 100 "
                    "ON CONFLICT DO NOTHING",
                    [cls.MIN_LENGTH],
                )
            return
        cls.remember(TalentProfile.objects.values_list("search_name", flat=True).iterator())


class ReferenceMedia(models.Model):
    """A photo or voice sample used to recognise misuse. The original is private and never modified."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "Photo"
        VOICE = "voice", "Voice sample"

    talent = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="reference_media")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    original = models.FileField(storage=private_storage, upload_to=reference_upload_path)
    display = models.FileField(storage=private_storage, upload_to="reference/display/", blank=True)
    thumbnail = models.FileField(storage=private_storage, upload_to="reference/thumbs/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    mime = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    phash = models.CharField(max_length=32, blank=True, db_index=True, help_text="imagehash.phash, hex")
    caption = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.talent_id} ({self.sha256[:12]})"
