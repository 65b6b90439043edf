"""Applying a read registry file through each app's services, in one transaction (DESIGN.md §2).

A file with any bad row changes nothing. Re-importing the same file changes nothing: talent match by registry
ID, else email; versions by (talent, effective_from, document_ref) and their SHA-256; licenses by
(organization, talent, use, valid_from, valid_until, description). Concurrent imports are serialised (a
PostgreSQL advisory lock; SQLite's single writer) so nobody is created twice.
"""

from __future__ import annotations

import hashlib
import time

from django.db import OperationalError, connection, transaction

from registry.brands.services import ensure_organization
from registry.checks import changes
from registry.checks import facts as check_facts
from registry.consent import paper
from registry.consent.models import RegistryImport
from registry.consent.paper_bulk import NewPaperVersion, record_new_paper_versions
from registry.consent.selectors import in_effect_among
from registry.core.errors import DomainError
from registry.importer.document import ImportFailed, Plan, read_document
from registry.importer.report import ImportReport
from registry.licensing.imports import record_existing_license, record_new_licenses
from registry.talent import facts as talent_facts
from registry.talent.imports import (
    create_imported_profile,
    create_imported_profiles,
    match_imported_profiles,
    update_imported_profile,
)
from registry.talent.models import TalentProfile

ADVISORY_LOCK_KEY = 0x7E61_5354  # any constant shared by every importer process
MAX_LOCK_RETRIES = 20
MATCH_BATCH = 1000  # file rows matched to profiles per pair of queries


class _DryRun(Exception):
    pass


def _refusal(where: str, exc: DomainError) -> str:
    return f"{where}.{exc.field}: {exc.detail}" if exc.field else f"{where}: {exc.detail}"


def _lock() -> None:
    """Serialise imports: PostgreSQL advisory lock; on SQLite the first write below takes the write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def _apply_talent(item: dict, match, report: ImportReport, errors: list[str], actor) -> TalentProfile | None:
    """`match`: what match_imported_profiles found for the row (a profile, None, or the refusal)."""
    profile = item["profile"]
    try:
        if isinstance(match, DomainError):
            raise match
        talent = match
        verified = item["verified"]
        if talent is None:
            talent = create_imported_profile(
                fields=profile,
                registry_id=item["registry_id"],
                actor=actor,
                verified=True if verified is None else verified,
            )
            report.talent_created.append(f"{talent.registry_id} {talent.stage_name}")
            return talent
        changed = update_imported_profile(talent, fields=profile, actor=actor, verified=verified)
    except DomainError as exc:
        errors.append(_refusal(item["where"], exc))
        return None
    if changed:
        report.talent_updated.append(f"{talent.registry_id} {talent.stage_name}: {', '.join(changed)}")
    else:
        report.talent_unchanged.append(f"{talent.registry_id} {talent.stage_name}")
    return talent


def _apply_new_talent(
    items: list[dict], report: ImportReport, errors: list[str], actor, file_sha: str
) -> None:
    """Rows no profile matched: their profiles, paper versions and licenses, written set-based (a constant
    number of statements per batch), with the change feed and the cached check facts updated as the
    per-row saves' signals would."""
    if not items:
        return
    created = create_imported_profiles(
        [{"fields": i["profile"], "registry_id": i["registry_id"], "verified": i["verified"]} for i in items],
        actor=actor,
    )
    licensed, entries = [], []
    for item, talent in zip(items, created, strict=True):
        if isinstance(talent, DomainError):
            errors.append(_refusal(item["where"], talent))
            continue
        report.talent_created.append(f"{talent.registry_id} {talent.stage_name}")
        licensed.append((talent, item))
        for v in item["versions"]:
            entry = NewPaperVersion(
                talent=talent,
                effective_from=v["effective_from"],
                document_ref=v["document_ref"],
                uses=_with_organizations(v, report),
                is_revocation=v["is_revocation"],
                note=v["note"],
            )
            entries.append((v, entry))
    outcomes = record_new_paper_versions([e for _, e in entries], actor=actor)
    for (v, entry), refusal in zip(entries, outcomes, strict=True):
        if refusal is not None:
            errors.append(_refusal(v["where"], refusal))
            continue
        label = f"{entry.talent.registry_id} from {v['effective_from']} ({v['document_ref']})"
        (report.versions_added if entry.created else report.versions_unchanged).append(
            f"{label}: version {entry.version.number}"
        )
    recorded = [e for (_, e), refusal in zip(entries, outcomes, strict=True) if refusal is None]
    changes.record_signed_versions([e.version for e in recorded if e.created])
    _apply_new_licenses(licensed, recorded, report, errors, file_sha)
    talents = [t for t, _ in licensed]
    check_facts.forget_registry_ids([t.registry_id for t in talents])
    talent_facts.changed_many([t.pk for t in talents])


def _apply_new_licenses(licensed, recorded, report: ImportReport, errors: list[str], file_sha: str) -> None:
    versions: dict[int, list] = {}
    for e in recorded:
        if e.created:
            versions.setdefault(e.talent.pk, []).append(e)

    def terms_in_force(talent, use, on):
        entry = in_effect_among([e.version for e in versions.get(talent.pk, [])], on)
        found = next(e for e in versions[talent.pk] if e.version is entry) if entry else None
        return [t for t in found.terms if t.use == use] if found else []

    rows, wheres = [], []
    for talent, item in licensed:
        for lic in item["licenses"]:
            rows.append(
                {
                    **{k: lic[k] for k in LICENSE_KEYS},
                    "talent": talent,
                    "organization": _organization(lic["organization"], report),
                    "document_ref": lic["document_ref"] or f"registry import {file_sha[:12]}",
                }
            )
            wheres.append(lic["where"])
    outcomes = record_new_licenses(rows, terms_in_force)
    issued = []
    for row, where, outcome in zip(rows, wheres, outcomes, strict=True):
        if isinstance(outcome, DomainError):
            errors.append(f"{where}: {outcome.detail}")
            continue
        license, created = outcome
        period = f"{row['valid_from']} to {row['valid_until']}"
        label = f"{row['talent'].registry_id} {row['use']} for {row['organization'].name}, {period}"
        (report.licenses_added if created else report.licenses_unchanged).append(
            f"{label}: {license.license_id}"
        )
        if created:
            issued.append(license)
    changes.record_issued_licenses(issued)


LICENSE_KEYS = (
    "use",
    "modalities",
    "territories",
    "channels",
    "product_category",
    "valid_from",
    "valid_until",
    "fee",
    "description",
    "attribution",
    "ai_disclosure",
)


def _organization(name: str, report: ImportReport):
    key = (name or "").strip().upper()
    if key and key in report.organization_cache:
        return report.organization_cache[key]
    organization, created = ensure_organization(name)  # by name, case-insensitive, like create_api_key
    if created:
        report.organizations_created.append(organization.name)
    report.organization_cache[key] = organization
    return organization


def _with_organizations(v: dict, report: ImportReport) -> dict[str, dict]:
    """The version's uses with the organizations they name as ids (created if missing)."""
    uses = dict(v["uses"])
    for use, names in v["organizations"].items():
        uses[use] = {**uses[use], "organizations": [_organization(n, report).pk for n in names]}
    return uses


def _apply_version(talent: TalentProfile, v: dict, report: ImportReport, errors: list[str], actor) -> None:
    label = f"{talent.registry_id} from {v['effective_from']} ({v['document_ref']})"
    try:
        version, created = paper.record_paper_version(
            talent,
            effective_from=v["effective_from"],
            document_ref=v["document_ref"],
            uses=_with_organizations(v, report),
            is_revocation=v["is_revocation"],
            note=v["note"],
            actor=actor,
        )
    except DomainError as exc:
        errors.append(_refusal(v["where"], exc))
        return
    (report.versions_added if created else report.versions_unchanged).append(
        f"{label}: version {version.number}"
    )


def _apply_license(
    talent: TalentProfile, lic: dict, report: ImportReport, errors: list[str], file_sha: str
) -> None:
    organization = _organization(lic["organization"], report)
    period = f"{lic['valid_from']} to {lic['valid_until']}"
    label = f"{talent.registry_id} {lic['use']} for {organization.name}, {period}"
    try:
        license, created = record_existing_license(
            talent=talent,
            organization=organization,
            use=lic["use"],
            modalities=lic["modalities"],
            territories=lic["territories"],
            channels=lic["channels"],
            product_category=lic["product_category"],
            valid_from=lic["valid_from"],
            valid_until=lic["valid_until"],
            fee=lic["fee"],
            description=lic["description"],
            document_ref=lic["document_ref"] or f"registry import {file_sha[:12]}",
            attribution=lic["attribution"],
            ai_disclosure=lic["ai_disclosure"],
        )
    except DomainError as exc:
        errors.append(f"{lic['where']}: {exc.detail}")
        return
    (report.licenses_added if created else report.licenses_unchanged).append(f"{label}: {license.license_id}")


def _apply(plan: Plan, *, actor, source: str, file_name: str, file_sha: str, dry_run: bool) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    errors: list[str] = []
    try:
        with transaction.atomic():
            _lock()
            record = paper.start_registry_import(
                source=source, actor=actor, file_name=file_name, file_sha256=file_sha
            )
            for start in range(0, len(plan.talent), MATCH_BATCH):
                chunk = plan.talent[start : start + MATCH_BATCH]
                matches = match_imported_profiles(
                    [(item["registry_id"], item["profile"].get("email")) for item in chunk]
                )
                new = [item for item, match in zip(chunk, matches, strict=True) if match is None]
                _apply_new_talent(new, report, errors, actor, file_sha)
                for item, match in zip(chunk, matches, strict=True):
                    if match is None:
                        continue
                    talent = _apply_talent(item, match, report, errors, actor)
                    if talent is None:
                        continue
                    for v in item["versions"]:
                        _apply_version(talent, v, report, errors, actor)
                    for lic in item["licenses"]:
                        _apply_license(talent, lic, report, errors, file_sha)
            if errors:
                raise ImportFailed(errors)
            if dry_run:
                raise _DryRun
            paper.finish_registry_import(record, summary=report.as_dict())
    except _DryRun:
        pass
    return report


def run_import(
    raw: bytes | str,
    *,
    actor=None,
    source: str = RegistryImport.Source.COMMAND,
    file_name: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Read and apply a registry file in one transaction (or preview it: `dry_run` rolls back)."""
    file_sha = hashlib.sha256(raw.encode() if isinstance(raw, str) else raw).hexdigest()
    plan = read_document(raw)
    for attempt in range(MAX_LOCK_RETRIES):
        try:
            return _apply(
                plan, actor=actor, source=source, file_name=file_name, file_sha=file_sha, dry_run=dry_run
            )
        except OperationalError as exc:
            # SQLite answers "database is locked" instead of waiting when another import holds the write lock.
            if connection.vendor != "sqlite" or "locked" not in str(exc) or attempt == MAX_LOCK_RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")
