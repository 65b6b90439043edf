"""Signing, separate personal consent, revocation and drafts through the consent services."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry.checks.evaluator import evaluate, parse_check
from registry.consent import drafts, revocation, selectors, signing
from registry.consent.models import FrozenRecordError, Term, TermVersion
from registry.core.errors import DomainError
from tests.consent.conftest import REPLICA_ALLOW, ctx
from tests.factories import ADVERTISING_ALLOW, sign_terms

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def draft(talent, uses, effective_from=None, **kw):
    return drafts.create_draft(talent=talent, effective_from=effective_from or TODAY, uses=uses, **kw)


def test_signing_numbers_hashes_and_records_the_signature(talent, talent_user):
    v = signing.sign_version(
        draft(talent, {"advertising": ADVERTISING_ALLOW}),
        ctx(
            user=talent_user,
            name="Ana María Reyes",
            ip="203.0.113.9",
            user_agent="Firefox/140",
            text_shown="T",
        ),
    )
    assert (v.number, v.status, v.signed_as, v.signed_by, v.signer_ip) == (
        1,
        "signed",
        "talent",
        talent_user,
        "203.0.113.9",
    )
    assert v.signer_user_agent == "Firefox/140" and v.text_shown == "T" and v.signed_at
    import hashlib
    import json

    assert hashlib.sha256(v.canonical_json.encode()).hexdigest() == v.sha256
    doc = json.loads(v.canonical_json)
    assert doc["registry_id"] == talent.registry_id and doc["version"] == 1
    assert doc["uses"]["advertising"]["territories"] == ["CA", "US"]
    v2 = sign_terms(talent, {"editorial": {"decision": "allow"}})
    assert v2.number == 2


def test_a_version_cannot_be_signed_twice(talent):
    d = draft(talent, {"advertising": ADVERTISING_ALLOW})
    signing.sign_version(d, ctx())
    with pytest.raises(ValidationError):
        signing.sign_version(d, ctx())


def test_clean_term_names_every_bad_field():
    with pytest.raises(ValidationError) as exc:
        drafts.create_draft(
            talent=None,
            effective_from=TODAY,
            uses={
                "advertising": {
                    "decision": "allow",
                    "territories": ["XX", "us"],
                    "channels": ["radio"],
                    "colour": 1,
                },
                "editorial": {"decision": "maybe"},
            },
        )
    errors = exc.value.message_dict
    assert "Unknown territory 'XX'" in errors["advertising.territories"][0]
    assert "'us'" in errors["advertising.territories"][0]
    assert "advertising.channels" in errors and "advertising.colour" in errors
    assert "editorial.decision" in errors


@pytest.mark.parametrize("use", ["replica_creation", "replica_use", "ai_training"])
def test_representative_can_never_grant_personal_consent(talent, agent, use):
    d = draft(talent, {use: REPLICA_ALLOW})
    with pytest.raises(PermissionDenied):
        signing.sign_version(d, ctx("representative", user=agent))
    d2 = draft(talent, {use: {"decision": "license"}})
    if use == "ai_training":  # opening AI training to license requests is a grant (its default is deny)
        with pytest.raises(PermissionDenied):
            signing.sign_version(d2, ctx("representative", user=agent))
    else:
        assert signing.sign_version(d2, ctx("representative", user=agent)).is_signed
    assert signing.sign_version(draft(talent, {use: {"decision": "deny"}}), ctx("representative")).is_signed


def test_personal_allow_needs_description_duration_and_pay(talent, talent_user):
    with pytest.raises(DomainError) as exc:
        signing.sign_version(
            draft(talent, {"replica_use": {**REPLICA_ALLOW, "consent_pay": ""}}), ctx(user=talent_user)
        )
    assert (exc.value.code, exc.value.field) == ("pay_required", "replica_use.consent_pay")
    with pytest.raises(DomainError) as exc:
        signing.sign_version(
            draft(talent, {"ai_training": {**REPLICA_ALLOW, "consent_description": "AI stuff"}}), ctx()
        )
    assert exc.value.code == "description_too_vague"
    assert signing.sign_version(
        draft(talent, {"replica_use": REPLICA_ALLOW}), ctx(user=talent_user)
    ).is_signed


def test_web_signature_requires_a_separate_tick_per_personal_use(talent, talent_user):
    d = draft(
        talent,
        {"replica_creation": REPLICA_ALLOW, "ai_training": REPLICA_ALLOW, "advertising": ADVERTISING_ALLOW},
    )
    with pytest.raises(ValidationError) as exc:
        signing.sign_online(d, ctx(user=talent_user, confirmed_uses=frozenset({"replica_creation"})))
    assert "ai_training" in exc.value.message_dict
    assert not TermVersion.objects.get(pk=d.pk).is_signed
    v = signing.sign_online(
        d, ctx(user=talent_user, confirmed_uses=frozenset({"replica_creation", "ai_training"}))
    )
    flags = {t.use: t.separate_consent for t in v.terms.all()}
    assert flags == {"replica_creation": True, "ai_training": True, "advertising": False}
    assert '"separate_consent":true' in v.canonical_json


def test_minor_cannot_sign_a_guardian_signs_and_may_consent_personally(minor):
    kid, kid_user, parent = minor
    with pytest.raises(PermissionDenied):
        signing.sign_version(draft(kid, {"advertising": ADVERTISING_ALLOW}), ctx(user=kid_user))
    v = signing.sign_version(draft(kid, {"replica_use": REPLICA_ALLOW}), ctx("guardian", user=parent))
    assert (v.signed_as, v.signed_by) == ("guardian", parent)


def test_guardian_of_an_adult_cannot_grant_personal_consent(talent):
    with pytest.raises(PermissionDenied):
        signing.sign_version(draft(talent, {"replica_use": REPLICA_ALLOW}), ctx("guardian"))


def test_revocation_by_a_representative_may_carry_forward_an_unchanged_personal_consent(
    talent, talent_user, agent
):
    signing.sign_online(
        draft(talent, {"advertising": ADVERTISING_ALLOW, "replica_use": REPLICA_ALLOW}),
        ctx(user=talent_user, confirmed_uses=frozenset({"replica_use"})),
    )
    revoked = revocation.revoke(
        talent=talent, uses=["advertising"], effective_from=TODAY, ctx=ctx("representative", user=agent)
    )
    terms = {t.use: t for t in revoked.terms.all()}
    assert revoked.is_revocation and revoked.signed_as == "representative"
    assert terms["advertising"].decision == "license"
    assert terms["replica_use"].decision == "allow" and terms["replica_use"].separate_consent
    # …but a changed personal consent is a new grant, which a representative cannot sign.
    changed = draft(talent, {"replica_use": {**REPLICA_ALLOW, "consent_pay": "USD 1"}})
    with pytest.raises(PermissionDenied):
        signing.sign_version(changed, ctx("representative", user=agent))
    # …and revoking the personal consent itself is a narrowing a representative may sign.
    narrowed = revocation.revoke(
        talent=talent, uses=["replica_use"], effective_from=TODAY, ctx=ctx("representative", user=agent)
    )
    assert {t.use: t.decision for t in narrowed.terms.all()}["replica_use"] == "license"


def test_revocation_defaults_and_never_loosens(talent):
    sign_terms(
        talent,
        {"advertising": ADVERTISING_ALLOW, "editorial": {"decision": "deny"}, "ai_training": REPLICA_ALLOW},
        effective_from=date(2026, 1, 1),
    )
    v = revocation.revoke(talent=talent, uses=None, effective_from=date(2026, 2, 1), ctx=ctx())
    decisions = {t.use: t.decision for t in v.terms.all()}
    assert decisions == {
        "advertising": "license",
        "editorial": "deny",
        "digital_alteration": "license",
        "replica_creation": "license",
        "replica_use": "license",
        "ai_training": "deny",
    }
    denied = revocation.revoke(
        talent=talent, uses=["advertising"], effective_from=date(2026, 3, 1), ctx=ctx(), decision="deny"
    )
    assert {t.use: t.decision for t in denied.terms.all()}["advertising"] == "deny"


def test_revocation_also_overrides_versions_signed_for_a_later_date(talent):
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW}, effective_from=date(2026, 1, 1))
    sign_terms(
        talent,
        {"advertising": {**ADVERTISING_ALLOW, "territories": ["worldwide"]}},
        effective_from=date(2026, 9, 1),
    )
    revocation.revoke(talent=talent, uses=["advertising"], effective_from=date(2026, 5, 1), ctx=ctx())

    def decision(day):
        req = parse_check(
            {
                "talent": talent.registry_id,
                "use": "advertising",
                "modality": "image",
                "territory": "US",
                "channel": "online",
                "date": day,
            }
        )
        return evaluate(req).decision

    assert decision("2026-04-30") == "permitted"
    assert decision("2026-05-01") == "license_required"
    assert decision("2026-10-01") == "license_required"  # the September version stays revoked
    assert TermVersion.objects.filter(talent=talent, is_revocation=True).count() == 2
    assert TermVersion.objects.filter(talent=talent).count() == 4  # history kept


def test_online_signature_and_revocation_cannot_be_back_dated(talent, talent_user):
    d = draft(talent, {"advertising": ADVERTISING_ALLOW}, effective_from=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError):
        signing.sign_online(d, ctx(user=talent_user))
    with pytest.raises(ValidationError):
        revocation.revoke_online(
            talent=talent, uses=None, effective_from=TODAY - timedelta(days=1), ctx=ctx()
        )
    assert not TermVersion.objects.filter(status="signed").exists()


def test_expected_digest_guards_against_changes_after_review(talent, talent_user):
    d = draft(talent, {"advertising": ADVERTISING_ALLOW})
    preview = drafts.preview(d)
    drafts.update_draft(d, effective_from=TODAY, uses={"advertising": {"decision": "deny"}})
    with pytest.raises(ValidationError):
        signing.sign_online(d, ctx(user=talent_user, expected_sha256=preview.sha256))
    fresh = drafts.preview(d)
    v = signing.sign_online(d, ctx(user=talent_user, expected_sha256=fresh.sha256, text_shown=fresh.text))
    assert v.sha256 == fresh.sha256 and v.canonical_json == fresh.document and v.number == fresh.number


def test_drafts_are_editable_and_discardable_until_signed(talent):
    d = draft(talent, {"advertising": ADVERTISING_ALLOW})
    drafts.update_draft(d, effective_from=TODAY + timedelta(days=3), uses={"editorial": {"decision": "deny"}})
    assert [t.use for t in d.terms.all()] == ["editorial"]
    drafts.discard_draft(d)
    assert not TermVersion.objects.filter(pk=d.pk).exists()
    signed = sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    with pytest.raises(FrozenRecordError):
        drafts.update_draft(signed, effective_from=TODAY, uses={})
    with pytest.raises(FrozenRecordError):
        drafts.discard_draft(signed)
    assert Term.objects.filter(version=signed).count() == 1


def test_diff_lists_changed_fields_per_use(talent):
    v1 = sign_terms(talent, {"advertising": ADVERTISING_ALLOW, "editorial": {"decision": "allow"}})
    v2 = sign_terms(
        talent,
        {
            "advertising": {**ADVERTISING_ALLOW, "territories": ["worldwide"], "attribution": False},
            "ai_training": {"decision": "deny"},
        },
    )
    changes = {d.use: d for d in selectors.diff(v1, v2)}
    assert changes["advertising"].status == "changed"
    assert {c.field for c in changes["advertising"].changes} == {"territories", "attribution"}
    assert changes["editorial"].status == "removed"
    assert changes["ai_training"].status == "added"
    assert "replica_use" not in changes


@pytest.mark.parametrize("value", ["20260101", "2026-1-5", "01/02/2026", 20260101])
def test_term_dates_are_read_one_way_only(talent, value):
    """Term dates use the shared reading (registry.core.values): YYYY-MM-DD or nothing."""
    with pytest.raises(ValidationError) as exc:
        draft(talent, {"advertising": {**ADVERTISING_ALLOW, "valid_from": value}})
    assert "YYYY-MM-DD" in " ".join(exc.value.message_dict["advertising.valid_from"])
    assert not TermVersion.objects.exists()
