"""The privacy tests' world: the talent (with an agent) and another talent, both with every kind of record."""

from __future__ import annotations

from datetime import date

import pytest

from registry.brands import services as brand_services
from registry.talent.models import Representative
from tests.factories import TalentFactory
from tests.privacy.helpers import OTHER_SECRET, PRIVATE, populate


@pytest.fixture
def org(brand_user):
    return brand_services.create_organization(name="Acme Apparel", actor=brand_user)


@pytest.fixture
def world(talent_user, other_talent_user, representative_user, brand_user, staff_user, org,
          django_capture_on_commit_callbacks):  # fmt: skip
    talent = TalentFactory(
        user=talent_user, stage_name="Marisol Vance", date_of_birth=date(1994, 3, 8), **PRIVATE
    )
    Representative.objects.create(talent=talent, user=representative_user, agency="Northlight")
    other = TalentFactory(user=other_talent_user, stage_name="Other Person", legal_name=OTHER_SECRET)
    data = populate(
        talent,
        user=talent_user,
        org=org,
        brand_user=brand_user,
        staff_user=staff_user,
        capture=django_capture_on_commit_callbacks,
        seed=1,
    )
    populate(
        other,
        user=other_talent_user,
        org=org,
        brand_user=brand_user,
        staff_user=staff_user,
        capture=django_capture_on_commit_callbacks,
        seed=2,
    )
    return {"talent": talent, "other": other, **data}
