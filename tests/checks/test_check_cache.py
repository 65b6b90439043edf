"""Cached check facts never outlive the facts: after each event the next answer (single and bulk) reflects it.

Each test first asks once so that the talent's facts are cached (and proves it: deciding again runs no
query), then changes the facts through the service that staff, talent or brands use, and asks again through
both API endpoints (`ask` asserts that single and bulk agree).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from registry.brands.models import Organization
from registry.checks.evaluator import evaluate_many, parse_check
from registry.consent.revocation import revoke
from registry.consent.signing import SignatureContext
from registry.licensing import licenses
from registry.licensing.models import LicenseRequest
from registry.talent import verification
from registry.talent.models import VerificationMethod
from tests.brands.helpers import key_from_command
from tests.checks.both_ways import ask, body
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db

TODAY_USE = {"use": "replica_use", "modality": "image", "territory": "US", "channel": "social"}


@pytest.fixture
def key():
    return key_from_command("Acme Apparel")


@pytest.fixture
def acme(key):
    return Organization.objects.get(name="Acme Apparel")


def assert_cached(talent, organization, django_assert_num_queries, **overrides):
    """Deciding the same check again reads every fact from the cache."""
    request = parse_check(body(talent, **overrides))
    with django_assert_num_queries(0):
        evaluate_many([request], organization_id=organization.pk)


def approved_request(talent, organization, **overrides) -> LicenseRequest:
    today = timezone.localdate()
    values = {
        "talent": talent,
        "organization": organization,
        "status": LicenseRequest.Status.APPROVED,
        **TODAY_USE,
        "modalities": ["image"],
        "territories": ["US"],
        "channels": ["social"],
        "valid_from": today - timedelta(days=10),
        "valid_until": today + timedelta(days=100),
        "fee_amount": Decimal("100.00"),
        "description": "Try-on images",
    }
    values.pop("modality"), values.pop("territory"), values.pop("channel")
    values.update(overrides)
    return LicenseRequest.objects.create(**values)


def test_signing_terms(api_client, key, acme, django_assert_num_queries):
    talent = TalentFactory()
    assert ask(api_client, key, talent)["decision"] == "license_required"
    assert_cached(talent, acme, django_assert_num_queries)
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    answer = ask(api_client, key, talent)
    assert answer["decision"] == "permitted" and answer["basis"]["version"] == 1


def test_revoking_terms(api_client, key, acme, django_assert_num_queries):
    talent = TalentFactory()
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    assert ask(api_client, key, talent)["decision"] == "permitted"
    assert_cached(talent, acme, django_assert_num_queries)
    ctx = SignatureContext(actor=None, signed_as="talent", signer_name=talent.stage_name, ip="127.0.0.1")
    revoke(talent=talent, uses=["advertising"], effective_from=date(2026, 5, 1), ctx=ctx)
    answer = ask(api_client, key, talent)
    assert answer["decision"] == "license_required" and answer["basis"]["version"] == 2
    assert ask(api_client, key, talent, date="2026-04-30")["decision"] == "permitted"  # history kept


def test_issuing_a_license(api_client, key, acme, staff_user, django_assert_num_queries):
    talent = TalentFactory()
    assert ask(api_client, key, talent, date=None, **TODAY_USE)["decision"] == "license_required"
    assert_cached(talent, acme, django_assert_num_queries, date=None, **TODAY_USE)
    lic = licenses.issue(approved_request(talent, acme), approved_by=staff_user)
    answer = ask(api_client, key, talent, date=None, **TODAY_USE)
    assert answer["decision"] == "permitted"
    assert answer["basis"] == {"kind": "license", "license_id": lic.license_id}


def test_terminating_a_license(api_client, key, acme, staff_user, django_assert_num_queries):
    talent = TalentFactory()
    lic = licenses.issue(approved_request(talent, acme), approved_by=staff_user)
    assert ask(api_client, key, talent, date=None, **TODAY_USE)["decision"] == "permitted"
    assert_cached(talent, acme, django_assert_num_queries, date=None, **TODAY_USE)
    licenses.terminate(license_id=lic.license_id, actor=staff_user, reason="The brand breached the terms.")
    assert ask(api_client, key, talent, date=None, **TODAY_USE)["decision"] == "license_required"


def test_a_license_expiring_by_date_with_everything_cached(
    api_client, key, acme, staff_user, django_assert_num_queries
):
    """No event at all: the facts are cached, the decision is made for the day asked (or today)."""
    last_day = date(2026, 12, 31)
    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 31, 23, 59, 50)), tick=False) as clock:
        talent = TalentFactory()
        request = approved_request(talent, acme, valid_from=date(2026, 12, 1), valid_until=last_day)
        licenses.issue(request, approved_by=staff_user)
        assert ask(api_client, key, talent, date=None, **TODAY_USE)["decision"] == "permitted"
        assert_cached(talent, acme, django_assert_num_queries, date=None, **TODAY_USE)
        clock.shift(timedelta(seconds=20))  # past midnight: well inside the cache's lifetime
        assert_cached(talent, acme, django_assert_num_queries, date=None, **TODAY_USE)
        assert ask(api_client, key, talent, date=None, **TODAY_USE)["decision"] == "license_required"


def test_verifying_a_profile(api_client, key, acme, staff_user, django_assert_num_queries):
    talent = TalentFactory(is_verified=False)
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    answer = ask(api_client, key, talent)
    assert answer["decision"] == "license_required" and answer["verified"] is False
    assert_cached(talent, acme, django_assert_num_queries)
    verification.verify_talent(
        talent, actor=staff_user, method=VerificationMethod.IN_PERSON, duplicates_checked=True
    )
    answer = ask(api_client, key, talent)
    assert answer["decision"] == "permitted" and answer["verified"] is True


def test_withdrawing_and_reinstating_a_profile(api_client, key, acme, staff_user, django_assert_num_queries):
    talent = TalentFactory()
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    assert ask(api_client, key, talent)["decision"] == "permitted"
    assert_cached(talent, acme, django_assert_num_queries)
    verification.withdraw_profile(talent, actor=staff_user, reason="Asked to leave the registry.")
    assert ask(api_client, key, talent)["decision"] == "not_registered"
    verification.reinstate_profile(talent, actor=staff_user)
    assert ask(api_client, key, talent)["decision"] == "permitted"


def test_editing_the_date_of_birth(api_client, key, acme, django_assert_num_queries):
    """Any save of the profile (the admin, a profile edit) replaces the facts: a minor's protection holds."""
    talent = TalentFactory()
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    assert ask(api_client, key, talent, product_category="alcohol")["decision"] == "permitted"
    assert_cached(talent, acme, django_assert_num_queries, product_category="alcohol")
    talent.date_of_birth = date(2015, 1, 1)
    talent.save()
    answer = ask(api_client, key, talent, product_category="alcohol")
    assert answer["decision"] == "denied" and answer["basis"]["reason"] == "minor_protected"


def test_a_change_rolled_back_leaves_the_cached_answer_right(api_client, key, acme):
    talent = TalentFactory()
    assert ask(api_client, key, talent)["decision"] == "license_required"
    with pytest.raises(RuntimeError), transaction.atomic():
        sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
        assert ask(api_client, key, talent)["decision"] == "permitted"  # its own change, never cached
        raise RuntimeError("rolled back")
    assert ask(api_client, key, talent)["decision"] == "license_required"
