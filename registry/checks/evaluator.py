"""The permission evaluator: the one place that decides a check by the rules of DESIGN.md §3.

Checks are evaluated in batches with a fixed number of queries (talent, signed versions with their terms,
the caller's licenses), whatever the batch size; a single check is a batch of one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from registry.consent import vocab
from registry.consent.selectors import in_effect_among, signed_versions_by_talent
from registry.consent.vocab import Decision, Outcome, Use
from registry.core.errors import DomainError
from registry.core.values import parse_iso_date, parse_slug
from registry.licensing.models import License
from registry.talent.models import TalentProfile


@dataclass(frozen=True)
class CheckRequest:
    talent: str
    use: str
    modality: str
    territory: str
    channel: str
    date: date
    product_category: str = ""


@dataclass
class CheckResult:
    talent: str
    decision: str
    basis: dict | None
    conditions: dict
    valid_until: date | None
    evaluated_as_of: date
    talent_pk: int | None = None
    request: CheckRequest | None = field(default=None, repr=False)

    def as_dict(self) -> dict:
        return {
            "talent": self.talent,
            "decision": self.decision,
            "basis": self.basis,
            "conditions": self.conditions,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "evaluated_as_of": self.evaluated_as_of.isoformat(),
        }


def parse_check(data: Mapping, *, today: date | None = None) -> CheckRequest:
    """Validate one check's vocabulary. Raises vocab.VocabularyError (a 400 with a stable code)."""
    if not isinstance(data, Mapping):
        raise vocab.VocabularyError("invalid", "Each check must be a JSON object.", "non_field_errors")
    missing = [f for f in ("talent", "use", "modality", "territory", "channel") if data.get(f) in (None, "")]
    if missing:
        raise vocab.VocabularyError(
            "required", f"Missing required field(s): {', '.join(missing)}.", missing[0]
        )
    for name in ("talent", "use", "modality", "territory", "channel", "product_category", "date"):
        if data.get(name) is not None and not isinstance(data.get(name), str):
            raise vocab.VocabularyError("invalid", f"Field {name!r} must be a string.", name)
    try:
        as_of = parse_iso_date(data.get("date"), "date", required=False) or today or timezone.localdate()
        category = parse_slug((data.get("product_category") or "").strip(), "product_category")
    except DomainError as exc:  # one error type for the whole check: callers catch VocabularyError
        raise vocab.VocabularyError(exc.code, exc.detail, exc.field) from exc
    return CheckRequest(
        talent=data["talent"].strip()[:40],
        use=vocab.check_use(data["use"]),
        modality=vocab.check_modality(data["modality"]),
        territory=vocab.check_territory(data["territory"]),
        channel=vocab.check_channel(data["channel"]),
        date=as_of,
        product_category=category,
    )


def evaluate(request: CheckRequest, *, organization_id: int | None = None) -> CheckResult:
    return evaluate_many([request], organization_id=organization_id)[0]


def evaluate_many(
    requests: Iterable[CheckRequest], *, organization_id: int | None = None
) -> list[CheckResult]:
    requests = list(requests)
    if not requests:
        return []
    ids = {r.talent for r in requests}
    talents = {
        t.registry_id: t
        for t in TalentProfile.objects.filter(registry_id__in=ids).only("pk", "registry_id", "status")
    }
    active_pks = [t.pk for t in talents.values() if t.is_registered]
    latest = max(r.date for r in requests)
    versions = signed_versions_by_talent(active_pks, latest) if active_pks else {}
    licenses = _licenses(organization_id, active_pks, min(r.date for r in requests), latest)
    return [_decide(r, talents.get(r.talent), versions, licenses) for r in requests]


def _licenses(
    organization_id: int | None, talent_pks: list[int], start: date, end: date
) -> dict[tuple, list]:
    if organization_id is None or not talent_pks:
        return {}
    found: dict[tuple, list] = defaultdict(list)
    qs = License.objects.filter(
        organization_id=organization_id, talent_id__in=talent_pks, valid_from__lte=end, valid_until__gte=start
    ).filter(Q(terminated_at__isnull=True) | Q(terminated_at__date__gt=start))
    for lic in qs:
        found[(lic.talent_id, lic.use)].append(lic)
    return found


def _license_covers(lic, r: CheckRequest) -> bool:
    if lic.terminated_at is not None and timezone.localtime(lic.terminated_at).date() <= r.date:
        return False
    return (
        lic.use == r.use
        and r.modality in lic.modalities
        and (r.territory in lic.territories or vocab.WORLDWIDE in lic.territories)
        and r.channel in lic.channels
        and lic.valid_from <= r.date <= lic.valid_until
        and (not lic.product_category or lic.product_category == r.product_category)
    )


def term_conditions(term, *, include_excluded: bool) -> dict:
    conditions: dict = {"attribution": term.attribution, "ai_disclosure": term.ai_disclosure}
    if term.min_fee_amount is not None:
        conditions["min_fee"] = {"amount": f"{term.min_fee_amount:.2f}", "currency": term.min_fee_currency}
    if include_excluded and term.excluded_categories:
        conditions["excluded_categories"] = list(term.excluded_categories)
    return conditions


def _term_allows(term, r: CheckRequest) -> bool:
    return (
        r.modality in term.modalities
        and (r.territory in term.territories or vocab.WORLDWIDE in term.territories)
        and r.channel in term.channels
        and (term.valid_from is None or term.valid_from <= r.date)
        and (term.valid_until is None or r.date <= term.valid_until)
    )


def _decide(r: CheckRequest, talent, versions: dict, licenses: dict) -> CheckResult:
    def result(decision, basis=None, conditions=None, valid_until=None):
        return CheckResult(
            talent=r.talent,
            decision=str(decision),
            basis=basis,
            conditions=conditions or {},
            valid_until=valid_until,
            evaluated_as_of=r.date,
            talent_pk=talent.pk if talent else None,
            request=r,
        )

    # Rule 1: unknown or withdrawn talent.
    if talent is None or not talent.is_registered:
        return result(Outcome.NOT_REGISTERED)

    # Rule 2: a license of the calling organization covers the request.
    for lic in licenses.get((talent.pk, r.use), ()):
        if _license_covers(lic, r):
            basis = {"kind": "license", "license_id": lic.license_id}
            return result(Outcome.PERMITTED, basis, {}, lic.valid_until)

    # Rule 3: the terms version in effect on the date; no version or no term → license (ai_training: denied).
    default = Outcome.DENIED if r.use == Use.AI_TRAINING else Outcome.LICENSE_REQUIRED
    version = in_effect_among(versions.get(talent.pk, []), r.date)
    if version is None:
        return result(default, {"kind": "default", "reason": "no_signed_terms"})
    basis = {"kind": "terms", "version": version.number, "sha256": version.sha256}
    term = next((t for t in version.terms.all() if t.use == r.use), None)
    if term is None:
        return result(default, {**basis, "reason": "no_term_for_use"})

    conditions = term_conditions(term, include_excluded=not r.product_category)
    # Rule 4: deny.
    if term.decision == Decision.DENY:
        return result(Outcome.DENIED, basis, conditions, term.valid_until)
    # Rule 5: excluded product category (skipped when the check names none).
    if r.product_category and r.product_category in term.excluded_categories:
        return result(Outcome.DENIED, {**basis, "reason": "excluded_category"}, conditions, term.valid_until)
    # Rule 6: allow, and the request lies inside the term's conditions.
    if term.decision == Decision.ALLOW and _term_allows(term, r):
        return result(Outcome.PERMITTED, basis, conditions, term.valid_until)
    # Rule 7: license, or allow outside its conditions.
    return result(Outcome.LICENSE_REQUIRED, basis, conditions, term.valid_until)
