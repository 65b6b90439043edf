"""Who may act for a talent: talent_for_user, acting_as, can_act_for, can_view_private and the rules perms."""

from datetime import date, timedelta

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.roles import Role
from registry.talent import selectors
from registry.talent.models import Representative
from tests.conftest import make_user
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def talent(talent_user):
    return TalentFactory(user=talent_user, stage_name="Ana Reyes")


def _rep(talent, user, kind=Representative.Kind.AGENT, **flags):
    return Representative.objects.create(talent=talent, user=user, kind=kind, **flags)


def test_talent_for_user(talent, talent_user, other_talent_user):
    assert selectors.talent_for_user(talent_user) == talent
    assert selectors.talent_for_user(other_talent_user) is None
    assert selectors.talent_for_user(AnonymousUser()) is None


def test_acting_as_each_capacity(talent, talent_user, representative_user, other_talent_user):
    guardian = make_user("parent@example.org", Role.REPRESENTATIVE)
    estate = make_user("estate@example.org", Role.REPRESENTATIVE)
    minor = TalentFactory(date_of_birth=date.today() - timedelta(days=14 * 365))
    deceased = TalentFactory(is_deceased=True, date_of_death=date(2026, 1, 2))
    _rep(talent, representative_user)
    _rep(minor, guardian, Representative.Kind.GUARDIAN, authority_verified_at=timezone.now())
    _rep(deceased, estate, Representative.Kind.ESTATE, authority_verified_at=timezone.now())
    assert selectors.acting_as(talent_user, talent) == "talent"
    assert selectors.acting_as(representative_user, talent) == "representative"
    assert selectors.acting_as(guardian, minor) == "guardian"
    assert selectors.acting_as(estate, deceased) == "estate"
    assert selectors.acting_as(other_talent_user, talent) is None
    assert selectors.acting_as(AnonymousUser(), talent) is None


def test_agent_scopes_follow_the_grant(talent, representative_user):
    rep = _rep(talent, representative_user, can_manage_terms=False, can_answer_requests=True)
    assert selectors.can_act_for(representative_user, talent, scope="view")
    assert selectors.can_act_for(representative_user, talent, scope="answer_requests")
    assert not selectors.can_act_for(representative_user, talent, scope="manage_terms")
    assert not selectors.can_manage_profile(representative_user, talent)
    rep.can_manage_terms, rep.can_answer_requests = True, False
    rep.save()
    assert selectors.can_act_for(representative_user, talent, scope="manage_terms")
    assert not selectors.can_act_for(representative_user, talent, scope="answer_requests")
    assert list(selectors.talent_acted_for(representative_user, scope="manage_terms")) == [talent]
    assert list(selectors.talent_acted_for(representative_user, scope="answer_requests")) == []


def test_verified_guardian_has_full_authority_regardless_of_flags():
    minor = TalentFactory(date_of_birth=date.today() - timedelta(days=14 * 365))
    guardian = make_user("parent@example.org", Role.REPRESENTATIVE)
    _rep(
        minor,
        guardian,
        Representative.Kind.GUARDIAN,
        can_manage_terms=False,
        can_answer_requests=False,
        authority_verified_at=timezone.now(),
    )
    for scope in selectors.SCOPES:
        assert selectors.can_act_for(guardian, minor, scope=scope)
    assert selectors.can_manage_profile(guardian, minor)
    assert list(selectors.talent_acted_for(guardian, scope="manage_terms")) == [minor]


def test_revoked_authority_ends_everything(talent, representative_user):
    rep = _rep(talent, representative_user)
    assert selectors.can_view_private(representative_user, talent)
    rep.revoked_at = timezone.now()
    rep.save()
    assert selectors.acting_as(representative_user, talent) is None
    for scope in selectors.SCOPES:
        assert not selectors.can_act_for(representative_user, talent, scope=scope)
    assert not selectors.can_view_private(representative_user, talent)
    assert list(selectors.represented_talent(representative_user)) == []


def test_inactive_user_has_no_authority(talent, talent_user):
    talent_user.is_active = False
    talent_user.save()
    assert selectors.acting_as(talent_user, talent) is None
    assert not selectors.can_act_for(talent_user, talent, scope="view")


def test_unknown_scope_is_an_error(talent, talent_user):
    with pytest.raises(ValueError):
        selectors.can_act_for(talent_user, talent, scope="sign_replica")


def test_rules_permissions_matrix(
    talent, talent_user, other_talent_user, representative_user, brand_user, staff_user, supervisor_user
):
    _rep(talent, representative_user, can_manage_terms=True, can_answer_requests=False)
    matrix = {
        "talent.view_private": {talent_user, representative_user, staff_user, supervisor_user},
        "talent.manage_profile": {talent_user},
        "talent.manage_terms": {talent_user, representative_user},
        "talent.answer_requests": {talent_user},
    }
    everyone = [
        AnonymousUser(),
        talent_user,
        other_talent_user,
        representative_user,
        brand_user,
        staff_user,
        supervisor_user,
    ]
    for perm, allowed in matrix.items():
        for user in everyone:
            assert rules.has_perm(perm, user, talent) is (user in allowed), (perm, user)
