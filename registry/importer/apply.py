"""Applying a read registry file through each app's services, in one transaction (product.md §2).

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
from registry.consent import paper, paper_bulk
from registry.consent.models import RegistryImport
from registry.consent.paper_bulk import NewPaperVersion
from registry.consent.selectors import in_effect_among
from registry.core.errors import DomainError
from registry.importer import document
from registry.importer.document import ImportFailed, Plan, read_document
from registry.importer.report import ImportReport
from registry.licensing.imports import record_licenses
from registry.talent import facts as talent_facts
from registry.talent.imports import (
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
    """A row that matched a profile (`match`: what match_imported_profiles found, or its refusal)."""
    try:
        if isinstance(match, DomainError):
            raise match
        verified = item["verified"]
        changed = update_imported_profile(match, fields=item["profile"], actor=actor, verified=verified)
    except DomainError as exc:
        errors.append(_refusal(item["where"], exc))
        return None
    if changed:
        report.talent_updated.append(f"{match.registry_id} {match.stage_name}: {', '.join(changed)}")
    else:
        report.talent_unchanged.append(f"{match.registry_id} {match.stage_name}")
    return match


def _create_talent(items: list[dict], report: ImportReport, errors: list[str], actor) -> list[tuple]:
    """Rows no profile matched: their profiles, created in one bulk insert per batch."""
    if not items:
        return []
    created = create_imported_profiles(
        [{"fields": i["profile"], "registry_id": i["registry_id"], "verified": i["verified"]} for i in items],
        actor=actor,
    )
    rows = []
    for item, talent in zip(items, created, strict=True):
        if isinstance(talent, DomainError):
            errors.append(_refusal(item["where"], talent))
            continue
        report.talent_created.append(f"{talent.registry_id} {talent.stage_name}")
        rows.append((talent, item))
    return rows


def _apply_terms(rows: list[tuple], report: ImportReport, errors: list[str], actor, file_sha: str) -> None:
    """The rows' paper versions and licenses, written set-based (a constant number of statements per
    batch, new and registered talent alike), with the change feed and the cached check facts updated as
    the per-row saves' signals would."""
    if not rows:
        return
    entries = []
    for talent, item in rows:
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
    outcomes = paper_bulk.record_paper_versions([e for _, e in entries], actor=actor)
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
    _apply_licenses(rows, report, errors, file_sha)
    talents = [t for t, _ in rows]
    check_facts.forget_registry_ids([t.registry_id for t in talents])
    talent_facts.changed_many([t.pk for t in talents])


def _apply_licenses(licensed, report: ImportReport, errors: list[str], file_sha: str) -> None:
    if not any(item["licenses"] for _, item in licensed):
        return
    versions = paper_bulk.signed_versions({t.pk for t, item in licensed if item["licenses"]})

    def terms_in_force(talent, use, on):
        entries = versions.get(talent.pk, [])
        entry = in_effect_among([e.version for e in entries], on)
        found = next(e for e in entries if e.version is entry) if entry else None
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
    outcomes = record_licenses(rows, terms_in_force)
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


# A file license's keys passed through to the licensing service as they are (the organization is looked up,
# the document reference defaulted).
LICENSE_KEYS = document.LICENSE_KEYS - {"organization", "document_ref"}


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
                rows = _create_talent(new, report, errors, actor)
                for item, match in zip(chunk, matches, strict=True):
                    if match is not None:
                        talent = _apply_talent(item, match, report, errors, actor)
                        if talent is not None:
                            rows.append((talent, item))
                _apply_terms(rows, report, errors, actor, file_sha)
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
