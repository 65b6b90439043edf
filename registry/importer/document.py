"""Reading a registry file (product.md §2): decode, refuse unknown fields, name every bad row by its position.

Nothing here writes: `read_document` turns the file into a `Plan` of cleaned rows or raises `ImportFailed`
with one line per problem (`talent[2].terms[0].uses.advertising.territories: Unknown territory 'XX' …`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from registry.consent import terms as consent_terms
from registry.consent import vocab
from registry.core.errors import DomainError
from registry.core.values import parse_iso_date, parse_money, parse_slug
from registry.talent.imports import IMPORTABLE_FIELDS
from registry.talent.models import Discipline
from registry.talent.registry_ids import canonical_registry_id

PROFILE_FIELDS = IMPORTABLE_FIELDS
TALENT_KEYS = frozenset({"registry_id", *PROFILE_FIELDS, "verified", "terms", "licenses"})
TEXT_LIMITS = {
    "stage_name": 150,
    "legal_name": 200,
    "membership_number": 40,
    "phone": 40,
    "address": 500,
    "representation": 200,
    "bio": 2000,
}
VERSION_KEYS = frozenset({"effective_from", "document_ref", "uses", "is_revocation", "note"})
LICENSE_KEYS = frozenset(
    {
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
        "attribution",
        "ai_disclosure",
    }
)
ORGANIZATION_NAME_LIMIT = 200


class ImportFailed(DomainError):
    """The file cannot be imported; nothing was changed. `errors` names every bad row by its position."""

    def __init__(self, errors: list[str]):
        super().__init__("import_failed", f"{len(errors)} error(s) in the import file")
        self.errors = errors


@dataclass
class Plan:
    """The cleaned rows of a valid file, in file order; each row and sub-row keeps its position (`where`)."""

    talent: list[dict]


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


def _date(value, where: str, errors: list[str], *, required: bool = True) -> date | None:
    """A date written YYYY-MM-DD (the API's reading: `20260101` is refused), with the import's messages."""
    try:
        return parse_iso_date(value, where, required=required)
    except DomainError as exc:
        if exc.code == "required":
            errors.append(f"{where}: Required (a date in YYYY-MM-DD form).")
        elif isinstance(value, str):
            errors.append(f"{where}: {value!r} is not a date in YYYY-MM-DD form.")
        else:
            errors.append(f"{where}: Must be a date in YYYY-MM-DD form.")
        return None


def _unknown_keys(row: dict, allowed: frozenset[str], where: str, errors: list[str]) -> None:
    for key in sorted(set(row) - allowed, key=str):
        errors.append(f"{where}.{key}: Unknown field.")


def _clean_disciplines(value, where: str, errors: list[str]) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f"{where}.disciplines: Must be a list of disciplines.")
        return None
    unknown = [v for v in value if v not in Discipline.values]
    if unknown:
        errors.append(
            f"{where}.disciplines: Unknown discipline(s) {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(Discipline.values)}."
        )
    return [d for d in Discipline.values if d in value]


def _clean_email(value, where: str, errors: list[str]) -> str | None:
    if not isinstance(value, str):
        errors.append(f"{where}.email: Must be an email address.")
        return None
    try:
        validate_email(value.strip())
    except ValidationError:
        errors.append(f"{where}.email: {value!r} is not a valid email address.")
    return value.strip().lower()


def _clean_text(name: str, value, where: str, errors: list[str]) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(f"{where}.{name}: Must be text.")
        return None
    value = value.strip()
    if len(value) > TEXT_LIMITS[name]:
        errors.append(f"{where}.{name}: At most {TEXT_LIMITS[name]} characters.")
    return value


def _clean_profile(row: dict, where: str, errors: list[str]) -> dict:
    profile: dict = {}
    for name in PROFILE_FIELDS:
        if name not in row:
            continue
        value = row[name]
        if name in ("date_of_birth", "date_of_death"):
            day = _date(value, f"{where}.{name}", errors, required=False)
            if day and day > date.today():
                errors.append(f"{where}.{name}: A date of {name.rsplit('_', 1)[-1]} cannot be in the future.")
            profile[name] = day
            continue
        if name == "disciplines":
            cleaned = _clean_disciplines(value, where, errors)
        elif name == "email":
            cleaned = _clean_email(value, where, errors)
        else:
            cleaned = _clean_text(name, value, where, errors)
        if cleaned is not None:
            profile[name] = cleaned
    born, died = profile.get("date_of_birth"), profile.get("date_of_death")
    if born and died and died < born:
        errors.append(f"{where}.date_of_death: Before the date of birth.")
    return profile


def _clean_verified(row: dict, where: str, errors: list[str]) -> bool | None:
    """The row's `verified` (None when absent: a new profile is then verified, an existing one unchanged)."""
    value = row.get("verified")
    if value is not None and not isinstance(value, bool):
        errors.append(f"{where}.verified: Must be true or false.")
        return None
    return value


def _split_organizations(use: str, data, where: str, errors: list[str]) -> tuple[object, list[str]]:
    """A use's term without its `organizations` (names, matched like create_api_key's), and those names."""
    if not isinstance(data, dict) or "organizations" not in data:
        return data, []
    data = dict(data)
    names = data.pop("organizations") or []
    key = f"{where}.uses.{use}.organizations"
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        errors.append(f"{key}: Must be a list of organization names.")
        return data, []
    names = [" ".join(n.split()) for n in names]
    too_long = [n for n in names if len(n) > ORGANIZATION_NAME_LIMIT]
    if too_long:
        errors.append(f"{key}: At most {ORGANIZATION_NAME_LIMIT} characters per name.")
    if names and data.get("decision") != vocab.Decision.ALLOW:
        errors.append(f"{key}: Only an allowed use is limited to named organizations.")
    unique = list({n.lower(): n for n in names}.values())
    return data, sorted(unique, key=str.lower)


def _clean_version(row, where: str, errors: list[str], categories: frozenset[str]) -> dict | None:
    if not isinstance(row, dict):
        errors.append(f"{where}: Must be an object with effective_from, document_ref and uses.")
        return None
    _unknown_keys(row, VERSION_KEYS, where, errors)
    effective_from = _date(row.get("effective_from"), f"{where}.effective_from", errors)
    ref = row.get("document_ref")
    if not isinstance(ref, str) or not ref.strip():
        errors.append(f"{where}.document_ref: Required: the reference of the signed paper form.")
        ref = ""
    elif len(ref.strip()) > 200:
        errors.append(f"{where}.document_ref: At most 200 characters.")
    uses = row.get("uses")
    if not isinstance(uses, dict) or not uses:
        errors.append(f'{where}.uses: Required: an object of uses, e.g. {{"advertising": {{...}}}}.')
        uses = {}
    organization_names: dict[str, list[str]] = {}
    written = {}
    for use, data in uses.items():
        data, names = _split_organizations(use, data, where, errors)
        written[use] = data
        if names:
            organization_names[use] = names
        try:
            consent_terms.clean_term(use, data, categories=categories)
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
        "document_ref": ref.strip(),
        "uses": written,  # as written: the consent app cleans them again when it records the version
        "organizations": organization_names,  # by use: names, turned into organizations when applied
        "is_revocation": revocation is True,
        "note": note,
        "where": where,
    }


def _listed(row: dict, name: str, check: Callable, where: str, errors: list[str], **kw) -> list[str]:
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


def _required_text(
    row: dict, name: str, limit: int | None, message: str, where: str, errors: list[str]
) -> str:
    value = row.get(name)
    if not isinstance(value, str) or not value.strip() or (limit and len(value.strip()) > limit):
        errors.append(f"{where}.{name}: {message}")
        return ""
    return value.strip()


def _clean_license(row, where: str, errors: list[str]) -> dict | None:
    if not isinstance(row, dict):
        errors.append(f"{where}: Must be an object.")
        return None
    _unknown_keys(row, LICENSE_KEYS, where, errors)
    organization = _required_text(
        row,
        "organization",
        200,
        "Required: the organization's name (at most 200 characters).",
        where,
        errors,
    )
    use = row.get("use")
    try:
        vocab.check_use(use)
    except vocab.VocabularyError as exc:
        errors.append(f"{where}.use: {exc.detail}")
    cleaned = {
        "organization": organization,
        "use": use,
        "modalities": _listed(row, "modalities", vocab.check_modality, where, errors),
        "territories": _listed(
            row, "territories", vocab.check_territory, where, errors, allow_worldwide=True
        ),
        "channels": _listed(row, "channels", vocab.check_channel, where, errors),
        "valid_from": _date(row.get("valid_from"), f"{where}.valid_from", errors),
        "valid_until": _date(row.get("valid_until"), f"{where}.valid_until", errors),
        "where": where,
    }
    if cleaned["valid_from"] and cleaned["valid_until"] and cleaned["valid_from"] > cleaned["valid_until"]:
        errors.append(f"{where}.valid_until: The license ends before it starts.")
    try:
        cleaned["product_category"] = parse_slug(row.get("product_category"), "product_category")
    except DomainError:
        errors.append(f"{where}.product_category: Must be a lower-case slug such as 'apparel'.")
        cleaned["product_category"] = ""
    cleaned["description"] = _required_text(
        row, "description", None, "Required: what the license covers.", where, errors
    )
    ref = row.get("document_ref", "") or ""
    if not isinstance(ref, str) or len(ref) > 200:
        errors.append(f"{where}.document_ref: Must be text of at most 200 characters.")
        ref = ""
    cleaned["document_ref"] = ref.strip()
    for name in ("attribution", "ai_disclosure"):
        value = row.get(name)
        if value is not None and not isinstance(value, bool):
            errors.append(f"{where}.{name}: Must be true or false.")
            value = None
        cleaned[name] = value  # None: not given (ai_disclosure may still be required, product.md §3)
    cleaned["fee"] = None
    if row.get("fee") is not None:
        try:
            cleaned["fee"] = parse_money(row["fee"])
        except DomainError:
            errors.append(f'{where}.fee: Must look like {{"amount": "2500.00", "currency": "USD"}}.')
    return cleaned


def _check_registry_id(registry_id, where: str, seen: dict[str, int], index: int, errors: list[str]):
    if registry_id is None:
        return None
    canonical = canonical_registry_id(registry_id)  # read as Crockford decoding reads it (product.md §2)
    if canonical is None:
        errors.append(
            f"{where}.registry_id: {registry_id!r} is not a registry ID: 'TR-' and two groups of "
            "four characters from 0-9 and A-Z without I, L, O, U (e.g. TR-7KQ3-M9XD)."
        )
        return None
    registry_id = canonical
    if registry_id in seen:
        errors.append(f"{where}.registry_id: Also used by talent[{seen[registry_id]}].")
    else:
        seen[registry_id] = index
    return registry_id


def _sub_rows(row: dict, name: str, where: str, errors: list[str]) -> list:
    rows = row.get(name, [])
    if not isinstance(rows, list):
        errors.append(f"{where}.{name}: Must be a list.")
        return []
    return rows


def _clean_versions(row: dict, where: str, errors: list[str], categories: frozenset[str]) -> list[dict]:
    versions = [
        v
        for j, t in enumerate(_sub_rows(row, "terms", where, errors))
        if (v := _clean_version(t, f"{where}.terms[{j}]", errors, categories)) is not None
    ]
    first_at: dict[tuple, str] = {}
    for v in versions:
        key = (v["effective_from"], v["document_ref"])
        if key in first_at:
            errors.append(f"{v['where']}: Same effective_from and document_ref as {first_at[key]}.")
        first_at.setdefault(key, v["where"])
    return sorted(versions, key=lambda v: (v["effective_from"] or date.min, v["document_ref"]))


def read_document(raw: bytes | str) -> Plan:
    """Decode and check the whole file; raise ImportFailed naming every bad row. Reads only (categories)."""
    document = decode(raw)
    errors: list[str] = []
    if not isinstance(document, dict) or not isinstance(document.get("talent"), list):
        raise ImportFailed(['(file): Must be a JSON object with a "talent" list.'])
    _unknown_keys(document, frozenset({"talent"}), "(file)", errors)
    categories = consent_terms.known_categories()
    plan: list[dict] = []
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for index, row in enumerate(document["talent"]):
        where = f"talent[{index}]"
        if not isinstance(row, dict):
            errors.append(f"{where}: Must be an object.")
            continue
        _unknown_keys(row, TALENT_KEYS, where, errors)
        registry_id = _check_registry_id(row.get("registry_id"), where, seen_ids, index, errors)
        profile = _clean_profile(row, where, errors)
        email = profile.get("email")
        if email:
            if email in seen_emails:
                errors.append(f"{where}.email: Also used by talent[{seen_emails[email]}].")
            seen_emails.setdefault(email, index)
        if not registry_id and not email and not profile.get("stage_name"):
            errors.append(f"{where}: Needs a registry_id, an email or at least a stage_name.")
        versions = _clean_versions(row, where, errors, categories)
        licenses = [
            lic
            for k, r in enumerate(_sub_rows(row, "licenses", where, errors))
            if (lic := _clean_license(r, f"{where}.licenses[{k}]", errors)) is not None
        ]
        plan.append(
            {
                "where": where,
                "registry_id": registry_id,
                "profile": profile,
                "verified": _clean_verified(row, where, errors),
                "versions": versions,
                "licenses": licenses,
            }
        )
    if errors:
        raise ImportFailed(errors)
    return Plan(plan)
