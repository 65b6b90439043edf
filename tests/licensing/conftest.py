"""Fixtures for licensing tests: two organizations with owners and keys, a talent with a user, an agent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from registry.brands import services as brand_services
from registry.talent.models import Representative
from tests.brands.helpers import key_from_command
from tests.conftest import make_user
from tests.factories import TalentFactory


@pytest.fixture
def acme_owner(brand_user):
    brand_services.create_organization(name="Acme Apparel", actor=brand_user)
    return brand_user


@pytest.fixture
def acme_key(acme_owner):
    return key_from_command("Acme Apparel", scopes="check,licenses")


@pytest.fixture
def nimbus_owner(db):
    user = make_user("owner@nimbus.example", Role.BRAND_MEMBER, name="Nimbus owner")
    brand_services.create_organization(name="Nimbus Media", actor=user)
    return user


@pytest.fixture
def nimbus_key(nimbus_owner):
    return key_from_command("Nimbus Media", scopes="check,licenses")


@pytest.fixture
def talent(talent_user):
    return TalentFactory(user=talent_user, stage_name="Ana Reyes", email="ana-private@example.org")


@pytest.fixture
def agent(talent, representative_user):
    Representative.objects.create(
        talent=talent, user=representative_user, kind=Representative.Kind.AGENT, can_answer_requests=True
    )
    return representative_user


def request_body(talent_profile, **overrides):
    today = timezone.localdate()
    body = {
        "talent": talent_profile.registry_id,
        "use": "advertising",
        "modalities": ["image", "video"],
        "territories": ["US", "CA"],
        "channels": ["online", "social"],
        "valid_from": (today + timedelta(days=7)).isoformat(),
        "valid_until": (today + timedelta(days=120)).isoformat(),
        "fee": {"amount": "4000.00", "currency": "USD"},
        "product_category": "apparel",
        "description": "Spring denim campaign: studio photos and a 15-second video for our online shop "
        "and social channels in the US and Canada.",
    }
    body.update(overrides)
    return body
