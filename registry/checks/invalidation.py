"""What replaces a talent's facts token (registry.talent.facts): every save or delete of the facts a check is
decided from. Connected in ChecksConfig.ready, so that no service can change those facts through the ORM and
leave a cached answer behind (the admin, imports and data migrations included).

Changes that bypass `Model.save()` (a queryset `update()` or `bulk_create()` of profiles, signed versions or
licenses) must call `registry.talent.facts.changed(talent_id)` / `changed_many(ids)` themselves.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from registry.checks import facts
from registry.consent.models import TermVersion
from registry.licensing.models import License
from registry.talent import facts as talent_facts
from registry.talent.models import TalentProfile


def _profile_saved(sender, instance, created=False, **kwargs):
    if created:  # its registry ID may have named a profile whose creation rolled back
        facts.forget_registry_id(instance.registry_id)
    talent_facts.changed(instance.pk)


def _profile_deleted(sender, instance, **kwargs):
    facts.forget_registry_id(instance.registry_id)
    talent_facts.changed(instance.pk)


def _version_changed(sender, instance, **kwargs):
    # Drafts are never read by a check: only a signed version (signing, a revocation) changes the facts.
    if instance.status == TermVersion.Status.SIGNED:
        talent_facts.changed(instance.talent_id)


def _license_changed(sender, instance, **kwargs):
    talent_facts.changed(instance.talent_id)


def connect() -> None:
    uid = "checks.invalidation."
    post_save.connect(_profile_saved, sender=TalentProfile, dispatch_uid=uid + "profile_saved")
    post_delete.connect(_profile_deleted, sender=TalentProfile, dispatch_uid=uid + "profile_deleted")
    post_save.connect(_version_changed, sender=TermVersion, dispatch_uid=uid + "version_saved")
    post_delete.connect(_version_changed, sender=TermVersion, dispatch_uid=uid + "version_deleted")
    post_save.connect(_license_changed, sender=License, dispatch_uid=uid + "license_saved")
    post_delete.connect(_license_changed, sender=License, dispatch_uid=uid + "license_deleted")
