"""Fixtures for the terms tests: a talent with an account, their representatives, signing helpers."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.roles import Role
from registry.consent import signing
from registry.talent.models import Representative
from tests.conftest import make_user
from tests.factories import TalentFactory

REPLICA_ALLOW = {
    "decision": "allow",
    "modalities": ["image", "video"],
    "territories": ["worldwide"],
    "channels": ["online", "social"],
    "consent_description": "A digital double for the Acme 2027 spring campaign, online and social only.",
    "consent_duration": "12 months from signing",
    "consent_pay": "USD 5,000 flat fee",
    "represented_by": "SAG-AFTRA Local 1",
}


@pytest.fixture
def talent(talent_user):
    return TalentFactory(user=talent_user, stage_name="Ana Reyes", legal_name="Ana María Reyes")


@pytest.fixture
def agent(talent, representative_user):
    Representative.objects.create(talent=talent, user=representative_user, can_manage_terms=True)
    return representative_user


@pytest.fixture
def viewing_agent(talent):
    user = make_user("viewer-agent@example.org", Role.REPRESENTATIVE, name="Viewing Agent")
    Representative.objects.create(talent=talent, user=user, can_manage_terms=False, can_answer_requests=True)
    return user


@pytest.fixture
def minor(db):
    parent = make_user("parent@example.org", Role.REPRESENTATIVE, name="Pat Parent")
    kid_user = make_user("kid@example.org", Role.TALENT, name="Kid")
    kid = TalentFactory(user=kid_user, stage_name="Kid Model", date_of_birth=date(2014, 3, 1))
    Representative.objects.create(
        talent=kid, user=parent, kind=Representative.Kind.GUARDIAN, authority_verified_at=timezone.now()
    )
    return kid, kid_user, parent


def ctx(signed_as="talent", user=None, **kw):
    return signing.SignatureContext(
        actor=user, signed_as=signed_as, signer_name=kw.pop("name", "Signer"), **kw
    )
