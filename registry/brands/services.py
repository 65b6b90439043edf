"""State changes of the brands app: organizations, members, invitations, API keys and the check log."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.roles import Role, grant_role
from registry.brands.models import ApiKey, Invitation, Membership, Organization, PermissionCheck
from registry.core.mail import send_email

API_KEY_SCOPES = tuple(ApiKey.Scope.values)
LAST_USED_RESOLUTION = timedelta(minutes=1)


# --- organizations and members ---------------------------------------------------------------------------


@transaction.atomic
def create_organization(
    *, name: str, actor=None, kind: str = Organization.Kind.BRAND, website: str = "", contact_email: str = ""
) -> Organization:
    """Register an organization; the acting user (if any) becomes its first owner."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "An organization needs a name."})
    if Organization.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "An organization with this name is already registered."})
    organization = Organization.objects.create(
        name=name, kind=kind, website=website, contact_email=contact_email or (actor.email if actor else "")
    )
    if actor is not None:
        grant_role(actor, Role.BRAND_MEMBER)
        Membership.objects.create(organization=organization, user=actor, role=Membership.Role.OWNER)
    return organization


def ensure_organization(name: str) -> tuple[Organization, bool]:
    """The organization with this name (case-insensitive), created if needed (create_api_key, imports)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "An organization needs a name."})
    existing = Organization.objects.filter(name__iexact=name).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Organization.objects.create(name=name), True
    except IntegrityError:  # created concurrently
        return Organization.objects.get(name__iexact=name), False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite_member(
    *, organization: Organization, email: str, actor, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Invite someone by email; the link in the email lets them join after signing in (or signing up)."""
    require_owner(actor, organization)
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": "Enter the email address to invite."})
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError({"email": "This person is already a member."})
    Invitation.objects.filter(
        organization=organization, email=email, accepted_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
    )
    link = f"{settings.SITE_URL}/brands/invitations/{token}/"
    send_email(
        subject=f"Join {organization.name} on the Likeness Registry",
        body=(
            f"{actor} invites you to join {organization.name} on the Likeness Registry, where "
            f"brands check and license the use of people's likeness.\n\nAccept the invitation (sign in "
            f"or create an account with this email address first):\n{link}\n\n"
            "If you did not expect this, ignore this email."
        ),
        to=[email],
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organization")
        .filter(token_hash=_token_hash(token or ""), accepted_at__isnull=True, cancelled_at__isnull=True)
        .first()
    )


@transaction.atomic
def accept_invitation(*, token: str, actor) -> Membership:
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError("This invitation is no longer valid.")
    if invitation.email.lower() != actor.email.lower():
        raise PermissionDenied("This invitation was sent to another email address.")
    grant_role(actor, Role.BRAND_MEMBER)
    membership, _ = Membership.objects.get_or_create(
        organization=invitation.organization, user=actor, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, actor) -> None:
    require_owner(actor, membership.organization)
    if (
        membership.is_owner
        and membership.organization.memberships.filter(role=Membership.Role.OWNER).count() == 1
    ):
        raise ValidationError("An organization keeps at least one owner.")
    membership.delete()


@transaction.atomic
def verify_organization(*, organization: Organization, actor, verified: bool = True) -> Organization:
    if not actor.has_perm("accounts.access_staff_desk"):
        raise PermissionDenied("Only union staff verify organizations.")
    organization.is_verified = verified
    organization.verified_by = actor if verified else None
    organization.verified_at = timezone.now() if verified else None
    organization.save(update_fields=["is_verified", "verified_by", "verified_at"])
    return organization


def require_owner(actor, organization: Organization) -> None:
    if not actor.has_perm("brands.manage_organization", organization):
        raise PermissionDenied("Only an owner of the organization may do this.")


# --- API keys ---------------------------------------------------------------------------------------------


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def clean_scopes(scopes: Sequence[str] | None) -> list[str]:
    scopes = [s.strip() for s in (scopes or API_KEY_SCOPES) if s and s.strip()]
    unknown = sorted(set(scopes) - set(API_KEY_SCOPES))
    if unknown:
        raise ValidationError(
            {"scopes": f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(API_KEY_SCOPES)}."}
        )
    if not scopes:
        raise ValidationError({"scopes": "Choose at least one scope."})
    return sorted(set(scopes), key=API_KEY_SCOPES.index)


def create_api_key(
    *,
    organization: Organization,
    name: str = "",
    scopes: Sequence[str] | None = None,
    actor=None,
    prefix: str | None = None,
    secret: str | None = None,
) -> tuple[ApiKey, str]:
    """Create a key and return it with its plaintext `lr_<prefix>_<secret>` (shown once; only a hash is kept).

    `prefix`/`secret` are only passed by the demo data, whose keys are fixed like its passwords.
    """
    if actor is not None:
        require_owner(actor, organization)
    scopes = clean_scopes(scopes)
    secret = secret or secrets.token_urlsafe(32)
    for _ in range(5):
        key_prefix = prefix or ApiKey.new_prefix()
        try:
            with transaction.atomic():
                api_key = ApiKey.objects.create(
                    organization=organization,
                    name=(name or "API key").strip()[:100],
                    prefix=key_prefix,
                    hashed_secret=hash_secret(secret),
                    scopes=scopes,
                    created_by=actor,
                )
            return api_key, f"{key_prefix}_{secret}"
        except IntegrityError:
            if prefix:
                raise
    raise RuntimeError("Could not allocate a unique API key prefix.")  # pragma: no cover - 48 random bits


def revoke_api_key(*, api_key: ApiKey, actor=None) -> ApiKey:
    if actor is not None:
        require_owner(actor, api_key.organization)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


API_KEY_CACHE_PREFIX = "apikey:v1:"
API_KEY_CACHE_SECONDS = 300  # an upper bound only: a revoke or any save drops the entry at once


def _api_key_cache_key(prefix: str) -> str:
    return f"{API_KEY_CACHE_PREFIX}{prefix}"


def forget_api_key(api_key: ApiKey) -> None:
    """Drop a key from the cache, now and again after the commit (revoke, rotate, delete, any save)."""
    key = _api_key_cache_key(api_key.prefix)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _active_key(prefix: str) -> ApiKey | None:
    """The active key with this prefix: from the cache, or one query (then cached)."""
    cache_key = _api_key_cache_key(prefix)
    api_key = cache.get(cache_key)
    if api_key is None:
        active = ApiKey.objects.select_related("organization").filter(revoked_at__isnull=True)
        api_key = active.filter(prefix=prefix).first()
        if api_key is not None:
            cache.add(cache_key, api_key, API_KEY_CACHE_SECONDS)
    return api_key


def authenticate_api_key(raw: str) -> ApiKey | None:
    """The active key for a plaintext `lr_<prefix>_<secret>`, or None.

    Resolved from the cache (no query) or one query; last_used_at is written at most once a minute per key
    (a cache `add` decides which request writes it).
    """
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "lr" or not parts[1] or not parts[2] or len(raw) > 200:
        return None
    api_key = _active_key(f"lr_{parts[1]}")
    if api_key is None or not hmac.compare_digest(api_key.hashed_secret, hash_secret(parts[2])):
        return None
    now = timezone.now()
    seconds = int(LAST_USED_RESOLUTION.total_seconds())
    if cache.add(f"{API_KEY_CACHE_PREFIX}used:{api_key.pk}", 1, seconds) and (
        api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION / 2
    ):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


# --- the check log ----------------------------------------------------------------------------------------


def record_checks(rows: list[PermissionCheck]) -> None:
    """Write permission-check log rows (built by registry.checks) in a single INSERT, one per request.

    On PostgreSQL the INSERT runs in its own transaction with `synchronous_commit` off for that transaction
    only: the commit does not wait for the WAL to reach the disk (the request does not pay an fsync). A
    crash of the database server (not of the web worker) may lose the checks committed in the last moments
    before it (at most 3 × wal_writer_delay, 0.6 s by default); the database stays consistent, every other
    write keeps its full durability. Inside a caller's transaction the rows simply join it.

    Django assumes SQLite's old default of 999 variables per statement and would split 1,000 rows into many
    INSERTs; the linked SQLite reports its real limit (32,766 since 3.32), so use that for this one call.
    PostgreSQL allows 65,535 parameters: 1,000 rows of this model fit in one statement as they are.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        if connection.in_atomic_block:
            PermissionCheck.objects.bulk_create(rows)
            return
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            PermissionCheck.objects.bulk_create(rows)
        return
    if connection.vendor != "sqlite":
        PermissionCheck.objects.bulk_create(rows)
        return
    connection.ensure_connection()
    features = connection.features
    features.max_query_params = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    try:
        PermissionCheck.objects.bulk_create(rows)
    finally:
        del features.max_query_params  # back to the class default
