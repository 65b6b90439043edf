"""Import of talent, paper-signed term versions and existing licenses from a DESIGN.md §2 document.

One transaction: a file with any bad row changes nothing, and every bad row is reported with its position
(`talent[2].terms[0].uses.advertising.territories: Unknown territory 'XX' …`). Re-importing the same file
changes nothing: talent match by registry ID, else email; versions by (talent, effective_from, document_ref)
and their SHA-256; licenses by (organization, talent, use, valid_from, valid_until, description).
Concurrent imports are serialised (a PostgreSQL advisory lock; SQLite's single writer) so nobody is created
twice.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import OperationalError, connection, transaction

from registry.consent import signing, vocab
from registry.consent.evaluator import CATEGORY_RE
from registry.consent.models import RegistryImport, Term, TermVersion
from registry.consent.summaries import plain_text
from registry.consent.terms import canonical_document, clean_term, known_categories

REGISTRY_ID = re.compile(r"^TR-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
TALENT_KEYS = {
    "registry_id",
    "stage_name",
    "legal_name",
    "email",
    "date_of_birth",
    "membership_number",
    "disciplines",
    "phone",
    "address",
    "representation",
    "bio",
    "terms",
    "licenses",
}
PROFILE_FIELDS = (
    "stage_name",
    "legal_name",
    "email",
    "date_of_birth",
    "membership_number",
    "disciplines",
    "phone",
    "address",
    "representation",
    "bio",
)
TEXT_LIMITS = {
    "stage_name": 150,
    "legal_name": 200,
    "membership_number": 40,
    "phone": 40,
    "address": 500,
    "representation": 200,
    "bio": 2000,
}
VERSION_KEYS = {"effective_from", "document_ref", "uses", "is_revocation", "note"}
LICENSE_KEYS = {
    "organization",
    "use",
    "modalities",
    "territories",
    "channels",
    "product_category",
    "valid_from",
    "valid_until",
    "fee",
    "description",
    "document_ref",
}
ADVISORY_LOCK_KEY = 0x7E61_5354  # any constant shared by every importer process
MAX_LOCK_RETRIES = 20


class ImportFailed(Exception):
    """The file cannot be imported; nothing was changed. `errors` names every bad row by its position."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} error(s) in the import file")
        self.errors = errors


@dataclass
class ImportReport:
    talent_created: list[str] = field(default_factory=list)
    talent_updated: list[str] = field(default_factory=list)
    talent_unchanged: list[str] = field(default_factory=list)
    versions_added: list[str] = field(default_factory=list)
    versions_unchanged: list[str] = field(default_factory=list)
    licenses_added: list[str] = field(default_factory=list)
    licenses_unchanged: list[str] = field(default_factory=list)
    organizations_created: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.talent_created
            or self.talent_updated
            or self.versions_added
            or self.licenses_added
            or self.organizations_created
        )

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "dry_run"}

    def lines(self) -> list[str]:
        labels = [
            ("talent_created", "Talent created"),
            ("talent_updated", "Talent updated"),
            ("talent_unchanged", "Talent unchanged"),
            ("versions_added", "Term versions added"),
            ("versions_unchanged", "Term versions already imported"),
            ("licenses_added", "Licenses added"),
            ("licenses_unchanged", "Licenses already imported"),
            ("organizations_created", "Organizations created"),
        ]
        out = []
        for attr, label in labels:
            items = getattr(self, attr)
            out.append(f"{label}: {len(items)}")
            out.extend(f"  - {item}" for item in items)
        return out


# --- validation (no database writes) --------------------------------------------------------------------


@dataclass
class _Plan:
    talent: list[dict]


def _parse_date(value, where: str, errors: list[str], *, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            errors.append(f"{where}: Required (a date in YYYY-MM-DD form).")
        return None
    if not isinstance(value, str):
        errors.append(f"{where}: Must be a date in YYYY-MM-DD form.")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{where}: {value!r} is not a date in YYYY-MM-DD form.")
        return None


def _unknown_keys(row: dict, allowed: set[str], where: str, errors: list[str]) -> None:
    for key in sorted(set(row) - allowed, key=str):
        errors.append(f"{where}.{key}: Unknown field.")


def _clean_profile(row: dict, where: str, errors: list[str]) -> dict:
    from registry.talent.models import Discipline

    profile: dict = {}
    for name in PROFILE_FIELDS:
        if name not in row:
            continue
        value = row[name]
        if name == "date_of_birth":
            profile[name] = _parse_date(value, f"{where}.{name}", errors, required=False)
            if profile[name] and profile[name] > date.today():
                errors.append(f"{where}.{name}: A date of birth cannot be in the future.")
        elif name == "disciplines":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append(f"{where}.disciplines: Must be a list of disciplines.")
                continue
            unknown = [v for v in value if v not in Discipline.values]
            if unknown:
                errors.append(
                    f"{where}.disciplines: Unknown discipline(s) {', '.join(map(repr, unknown))}; "
                    f"known: {', '.join(Discipline.values)}."
                )
            profile[name] = [d for d in Discipline.values if d in value]
        elif name == "email":
            if not isinstance(value, str):
                errors.append(f"{where}.email: Must be an email address.")
                continue
            try:
                validate_email(value.strip())
            except ValidationError:
                errors.append(f"{where}.email: {value!r} is not a valid email address.")
            profile[name] = value.strip().lower()
        else:
            if value is None:
                value = ""
            if not isinstance(value, str):
                errors.append(f"{where}.{name}: Must be text.")
                continue
            value = value.strip()
            if len(value) > TEXT_LIMITS[name]:
                errors.append(f"{where}.{name}: At most {TEXT_LIMITS[name]} characters.")
            profile[name] = value
    return profile


def _clean_version(row, where: str, errors: list[str], categories: frozenset[str]) -> dict | None:
    if not isinstance(row, dict):
        errors.append(f"{where}: Must be an object with effective_from, document_ref and uses.")
        return None
    _unknown_keys(row, VERSION_KEYS, where, errors)
    effective_from = _parse_date(row.get("effective_from"), f"{where}.effective_from", errors)
    ref = row.get("document_ref")
    if not isinstance(ref, str) or not ref.strip():
        errors.append(f"{where}.document_ref: Required: the reference of the signed paper form.")
        ref = ""
    elif len(ref.strip()) > 200:
        errors.append(f"{where}.document_ref: At most 200 characters.")
    uses = row.get("uses")
    cleaned_uses = {}
    if not isinstance(uses, dict) or not uses:
        errors.append(f'{where}.uses: Required: an object of uses, e.g. {{"advertising": {{...}}}}.')
    else:
        for use, data in uses.items():
            try:
                cleaned_uses[use] = clean_term(use, data, categories=categories)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    key = use if key == "use" else key
                    errors.append(f"{where}.uses.{key}: {' '.join(messages)}")
    revocation = row.get("is_revocation", False)
    if not isinstance(revocation, bool):
        errors.append(f"{where}.is_revocation: Must be true or false.")
    note = row.get("note", "") or ""
    if not isinstance(note, str) or len(note) > 300:
        errors.append(f"{where}.note: Must be text of at most 300 characters.")
        note = ""
    return {
        "effective_from": effective_from,
        "document_ref": (ref or "").strip(),
        "uses": cleaned_uses,
        "is_revocation": revocation is True,
        "note": note,
        "where": where,
    }


def _listed(row: dict, name: str, check, where: str, errors: list[str], **kw) -> list[str]:
    values = row.get(name)
    if not isinstance(values, list) or not values:
        errors.append(f"{where}.{name}: Required: a non-empty list.")
        return []
    out = []
    for value in values:
        try:
            out.append(check(value, **kw))
        except vocab.VocabularyError as exc:
            errors.append(f"{where}.{name}: {exc.detail}")
    return sorted(set(out))


def _clean_license(row, where: str, errors: list[str]) -> dict | None:
    if not isinstance(row, dict):
        errors.append(f"{where}: Must be an object.")
        return None
    _unknown_keys(row, LICENSE_KEYS, where, errors)
    org = row.get("organization")
    if not isinstance(org, str) or not org.strip() or len(org.strip()) > 200:
        errors.append(f"{where}.organization: Required: the organization's name (at most 200 characters).")
        org = ""
    use = row.get("use")
    try:
        vocab.check_use(use)
    except vocab.VocabularyError as exc:
        errors.append(f"{where}.use: {exc.detail}")
    cleaned = {
        "organization": (org or "").strip(),
        "use": use,
        "modalities": _listed(row, "modalities", vocab.check_modality, where, errors),
        "territories": _listed(
            row, "territories", vocab.check_territory, where, errors, allow_worldwide=True
        ),
        "channels": _listed(row, "channels", vocab.check_channel, where, errors),
        "valid_from": _parse_date(row.get("valid_from"), f"{where}.valid_from", errors),
        "valid_until": _parse_date(row.get("valid_until"), f"{where}.valid_until", errors),
        "where": where,
    }
    if cleaned["valid_from"] and cleaned["valid_until"] and cleaned["valid_from"] > cleaned["valid_until"]:
        errors.append(f"{where}.valid_until: The license ends before it starts.")
    category = row.get("product_category") or ""
    if not isinstance(category, str) or (category and not CATEGORY_RE.match(category)):
        errors.append(f"{where}.product_category: Must be a lower-case slug such as 'apparel'.")
        category = ""
    cleaned["product_category"] = category
    description = row.get("description")
    if not isinstance(description, str) or not description.strip():
        errors.append(f"{where}.description: Required: what the license covers.")
        description = ""
    cleaned["description"] = (description or "").strip()
    ref = row.get("document_ref", "") or ""
    if not isinstance(ref, str) or len(ref) > 200:
        errors.append(f"{where}.document_ref: Must be text of at most 200 characters.")
        ref = ""
    cleaned["document_ref"] = ref.strip()
    cleaned["fee_amount"], cleaned["fee_currency"] = None, ""
    fee = row.get("fee")
    if fee is not None:
        try:
            amount = Decimal(str(fee["amount"]))
            currency = str(fee.get("currency", "")).upper()
            if amount < 0 or currency not in vocab.CURRENCIES:
                raise ValueError
            cleaned["fee_amount"], cleaned["fee_currency"] = amount.quantize(Decimal("0.01")), currency
        except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
            errors.append(f'{where}.fee: Must look like {{"amount": "2500.00", "currency": "USD"}}.')
    return cleaned


def validate(document) -> _Plan:
    """Check the whole document; raise ImportFailed with every bad row. Reads only (categories)."""
    errors: list[str] = []
    if not isinstance(document, dict) or not isinstance(document.get("talent"), list):
        raise ImportFailed(['(file): Must be a JSON object with a "talent" list.'])
    _unknown_keys(document, {"talent"}, "(file)", errors)
    categories = known_categories()
    plan: list[dict] = []
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for index, row in enumerate(document["talent"]):
        where = f"talent[{index}]"
        if not isinstance(row, dict):
            errors.append(f"{where}: Must be an object.")
            continue
        _unknown_keys(row, TALENT_KEYS, where, errors)
        registry_id = row.get("registry_id")
        if registry_id is not None:
            if not isinstance(registry_id, str) or not REGISTRY_ID.match(registry_id):
                errors.append(
                    f"{where}.registry_id: {registry_id!r} is not a registry ID: 'TR-' and two groups of "
                    "four characters from 0-9 and A-Z without I, L, O, U (e.g. TR-7KQ3-M9XD)."
                )
                registry_id = None
            elif registry_id in seen_ids:
                errors.append(f"{where}.registry_id: Also used by talent[{seen_ids[registry_id]}].")
            else:
                seen_ids[registry_id] = index
        profile = _clean_profile(row, where, errors)
        email = profile.get("email")
        if email:
            if email in seen_emails:
                errors.append(f"{where}.email: Also used by talent[{seen_emails[email]}].")
            seen_emails.setdefault(email, index)
        if not registry_id and not email and not profile.get("stage_name"):
            errors.append(f"{where}: Needs a registry_id, an email or at least a stage_name.")
        terms = row.get("terms", [])
        if not isinstance(terms, list):
            errors.append(f"{where}.terms: Must be a list.")
            terms = []
        versions = [_clean_version(t, f"{where}.terms[{j}]", errors, categories) for j, t in enumerate(terms)]
        keys = {}
        for v in filter(None, versions):
            key = (v["effective_from"], v["document_ref"])
            if key in keys:
                errors.append(f"{v['where']}: Same effective_from and document_ref as {keys[key]}.")
            keys.setdefault(key, v["where"])
        licenses = row.get("licenses", [])
        if not isinstance(licenses, list):
            errors.append(f"{where}.licenses: Must be a list.")
            licenses = []
        plan.append(
            {
                "where": where,
                "registry_id": registry_id,
                "profile": profile,
                "versions": sorted(
                    filter(None, versions), key=lambda v: (v["effective_from"] or date.min, v["document_ref"])
                ),
                "licenses": list(
                    filter(
                        None,
                        (
                            _clean_license(lic, f"{where}.licenses[{k}]", errors)
                            for k, lic in enumerate(licenses)
                        ),
                    )
                ),
            }
        )
    if errors:
        raise ImportFailed(errors)
    return _Plan(plan)


# --- applying (inside one transaction) ------------------------------------------------------------------


def _lock() -> None:
    """Serialise imports: PostgreSQL advisory lock; on SQLite the first write below takes the write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def _match_talent(item: dict, errors: list[str]):
    from registry.talent.models import TalentProfile

    where, registry_id, email = item["where"], item["registry_id"], item["profile"].get("email")
    by_email = (
        list(TalentProfile.objects.select_for_update().filter(email__iexact=email)[:2]) if email else []
    )
    if registry_id:
        talent = TalentProfile.objects.select_for_update().filter(registry_id=registry_id).first()
        others = [t for t in by_email if talent is None or t.pk != talent.pk]
        if others:
            errors.append(f"{where}.email: {email} belongs to {others[0].registry_id}, not {registry_id}.")
            return None
        return talent
    if len(by_email) > 1:
        errors.append(f"{where}.email: Several talent have {email}: give the registry_id.")
        return None
    return by_email[0] if by_email else None


def _apply_talent(item: dict, report: ImportReport, errors: list[str]):
    from registry.talent.models import TalentProfile

    talent = _match_talent(item, errors)
    profile = item["profile"]
    if talent is None:
        if not profile.get("stage_name"):
            errors.append(f"{item['where']}.stage_name: Required for a new talent.")
            return None
        kwargs = dict(profile)
        if item["registry_id"]:
            kwargs["registry_id"] = item["registry_id"]
        talent = TalentProfile.objects.create(**kwargs)
        report.talent_created.append(f"{talent.registry_id} {talent.stage_name}")
        return talent
    changed = [name for name, value in profile.items() if getattr(talent, name) != value]
    if changed:
        for name in changed:
            setattr(talent, name, profile[name])
        talent.save()
        report.talent_updated.append(f"{talent.registry_id} {talent.stage_name}: {', '.join(changed)}")
    else:
        report.talent_unchanged.append(f"{talent.registry_id} {talent.stage_name}")
    return talent


def _digest(version: TermVersion, uses: dict[str, dict]) -> str:
    terms = [Term(version=version, use=use, **values) for use, values in uses.items()]
    return hashlib.sha256(canonical_document(version, terms).encode()).hexdigest()


def _apply_version(talent, item: dict, v: dict, report: ImportReport, errors: list[str], actor) -> None:
    label = f"{talent.registry_id} from {v['effective_from']} ({v['document_ref']})"
    existing = (
        TermVersion.objects.filter(
            talent=talent,
            signed_as=TermVersion.SignedAs.PAPER,
            effective_from=v["effective_from"],
            document_ref=v["document_ref"],
        )
        .select_related("talent")
        .first()
    )
    if existing is not None:
        probe = TermVersion(
            talent=talent,
            number=existing.number,
            effective_from=existing.effective_from,
            is_revocation=v["is_revocation"],
        )
        if _digest(probe, v["uses"]) == existing.sha256:
            report.versions_unchanged.append(f"{label}: version {existing.number}")
        else:
            errors.append(
                f"{v['where']}: Differs from version {existing.number}, already imported from "
                f"{v['document_ref']!r}; signed versions never change: give the new paper form its own "
                "document_ref."
            )
        return
    draft = TermVersion.objects.create(
        talent=talent,
        effective_from=v["effective_from"],
        is_revocation=v["is_revocation"],
        note=v["note"] or f"Imported from {v['document_ref']}",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Term.objects.bulk_create([Term(version=draft, use=use, **values) for use, values in v["uses"].items()])
    ctx = signing.SignatureContext(
        actor=None,
        signed_as=TermVersion.SignedAs.PAPER,
        signer_name=talent.legal_name or talent.stage_name,
        text_shown=plain_text(draft),
        document_ref=v["document_ref"],
    )
    signed = signing.sign_version(draft, ctx)
    report.versions_added.append(f"{label}: version {signed.number}")


LICENSE_SCOPE = ("modalities", "territories", "channels", "product_category", "fee_amount", "fee_currency")


def _apply_license(talent, lic: dict, report: ImportReport, errors: list[str], file_sha: str) -> None:
    from registry.brands.services import ensure_organization
    from registry.licensing.models import License

    organization, created = ensure_organization(lic["organization"])  # by name, case-insensitive
    if created:
        report.organizations_created.append(organization.name)
    period = f"{lic['valid_from']} to {lic['valid_until']}"
    label = f"{talent.registry_id} {lic['use']} for {organization.name}, {period}"
    existing = License.objects.filter(
        organization=organization,
        talent=talent,
        use=lic["use"],
        valid_from=lic["valid_from"],
        valid_until=lic["valid_until"],
        description=lic["description"],
    ).first()
    if existing is not None:
        differs = [f for f in LICENSE_SCOPE if _normal(getattr(existing, f)) != _normal(lic[f])]
        if differs:
            errors.append(
                f"{lic['where']}: Differs from license {existing.license_id} ({', '.join(differs)}); "
                "licenses never change: staff terminate one and record a new one."
            )
        else:
            report.licenses_unchanged.append(f"{label}: {existing.license_id}")
        return
    created_license = License.objects.create(
        talent=talent,
        organization=organization,
        use=lic["use"],
        modalities=lic["modalities"],
        territories=lic["territories"],
        channels=lic["channels"],
        product_category=lic["product_category"],
        valid_from=lic["valid_from"],
        valid_until=lic["valid_until"],
        fee_amount=lic["fee_amount"],
        fee_currency=lic["fee_currency"],
        description=lic["description"],
        document_ref=lic["document_ref"] or f"registry import {file_sha[:12]}",
    )
    report.licenses_added.append(f"{label}: {created_license.license_id}")


def _normal(value):
    if isinstance(value, list):
        return sorted(value)
    if value in (None, ""):
        return None
    return value


class _DryRun(Exception):
    pass


def decode(raw: bytes | str) -> object:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFailed(["(file): Not UTF-8 text."])
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImportFailed([f"(file): Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."])


def run_import(
    raw: bytes | str,
    *,
    actor=None,
    source: str = RegistryImport.Source.COMMAND,
    file_name: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Validate and apply a registry file in one transaction (or preview it: `dry_run` rolls back)."""
    file_sha = hashlib.sha256(raw.encode() if isinstance(raw, str) else raw).hexdigest()
    plan = validate(decode(raw))
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


def _apply(plan: _Plan, *, actor, source, file_name, file_sha, dry_run) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    errors: list[str] = []
    try:
        with transaction.atomic():
            _lock()
            record = RegistryImport.objects.create(
                source=source,
                imported_by=actor if getattr(actor, "is_authenticated", False) else None,
                file_name=file_name[:200],
                file_sha256=file_sha,
            )
            for item in plan.talent:
                talent = _apply_talent(item, report, errors)
                if talent is None:
                    continue
                for v in item["versions"]:
                    _apply_version(talent, item, v, report, errors, actor)
                for lic in item["licenses"]:
                    _apply_license(talent, lic, report, errors, file_sha)
            if errors:
                raise ImportFailed(errors)
            if dry_run:
                raise _DryRun
            record.summary = report.as_dict()
            record.save(update_fields=["summary"])
    except _DryRun:
        pass
    return report
