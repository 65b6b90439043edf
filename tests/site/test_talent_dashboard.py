"""The talent's dashboard answers "what do I do next" (issue 18): the license requests waiting for her answer,
the cases about her (each opens), what ends soon and who checked her — each item a link, an empty state
otherwise — and nothing about anyone else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from registry.brands import services as brand_services
from registry.brands.models import Organization, PermissionCheck
from registry.cases.models import Case
from registry.checks.services import run_check
from registry.licensing import requests
from tests.cases.helpers import file_report
from tests.conftest import make_user
from tests.factories import TalentFactory, sign_terms
from tests.licensing.conftest import request_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(brand_user):
    brand_services.create_organization(name="Acme Apparel", actor=brand_user)
    return Organization.objects.get(name="Acme Apparel")


@pytest.fixture
def ana(talent_user):
    return TalentFactory(user=talent_user, stage_name="Ana Reyes")


@pytest.fixture
def bea(other_talent_user):
    return TalentFactory(user=other_talent_user, stage_name="Bea Other")


def _ask(org, brand_user, talent, **overrides):
    return requests.request_license(
        organization=org,
        actor=brand_user,
        talent_registry_id=talent.registry_id,
        data=request_body(talent, **overrides),
    )


def _case_about(talent, capture, url):
    report, _ = file_report(capture, urls=[url])
    Case.objects.filter(pk=report.case_id).update(talent=talent)
    return Case.objects.get(pk=report.case_id)


def test_empty_states(client, talent_user, ana):
    client.force_login(talent_user)
    page = client.get("/dashboard/").content.decode()
    assert 'id="talent-home"' in page
    assert "Nothing is waiting for your answer" in page
    assert "No cases about you" in page
    assert "No license or permission ends in the next 60 days" in page
    assert "No brand has checked your permissions yet" in page
    assert 'href="/talent/me/"' in page  # her registry page stays one click away


def test_pending_requests_and_cases_are_links_and_others_stay_out(
    client, talent_user, brand_user, acme, ana, bea, django_capture_on_commit_callbacks
):
    mine = _ask(acme, brand_user, ana)
    answered = _ask(acme, brand_user, ana, use="editorial")
    requests.decline(request_id=answered.pk, actor=talent_user, message="Not this year.")
    theirs = _ask(acme, brand_user, bea)
    my_case = _case_about(ana, django_capture_on_commit_callbacks, "https://ad.example/mine")
    their_case = _case_about(bea, django_capture_on_commit_callbacks, "https://ad.example/theirs")

    client.force_login(talent_user)
    page = client.get("/dashboard/").content.decode()
    assert f'href="/licenses/requests/{mine.pk}/"' in page
    assert "Acme Apparel asks for a license: advertising" in page
    assert f'href="/licenses/requests/{answered.pk}/"' not in page  # answered: nothing to do
    assert f'href="/licenses/requests/{theirs.pk}/"' not in page
    assert f'href="/cases/about-me/{my_case.pk}/"' in page and my_case.reference in page
    assert f'href="/cases/about-me/{their_case.pk}/"' not in page and their_case.reference not in page
    assert "Bea Other" not in page


def test_expiring_license_and_terms_and_recent_checks(client, talent_user, brand_user, acme, ana):
    today = timezone.localdate()
    request = _ask(
        acme,
        brand_user,
        ana,
        valid_from=today.isoformat(),
        valid_until=(today + timedelta(days=20)).isoformat(),
    )
    license = requests.approve(request_id=request.pk, actor=talent_user)
    sign_terms(
        ana,
        {
            "advertising": {
                "decision": "allow",
                "modalities": ["image"],
                "territories": ["US"],
                "channels": ["online"],
                "valid_until": (today + timedelta(days=10)).isoformat(),
            }
        },
        effective_from=today,
        user=talent_user,
    )
    check = {
        "talent": ana.registry_id,
        "use": "replica_use",
        "modality": "image",
        "territory": "US",
        "channel": "online",
    }
    run_check(check, organization=acme, actor=brand_user, source=PermissionCheck.Source.WEB)
    client.force_login(talent_user)
    page = client.get("/dashboard/").content.decode()
    assert f'href="/licenses/{license.license_id}/"' in page and "in 20 days" in page
    assert "Your permission for advertising" in page and "in 10 days" in page
    assert f'href="/terms/{ana.registry_id}/draft/"' in page
    assert "Acme Apparel: using a digital replica" in page and "License required" in page
    assert "replica_use" not in page and "license_required" not in page


def test_representative_sees_requests_of_talent_she_acts_for(client, brand_user, acme, ana, bea):
    from registry.talent.models import Representative

    agent = make_user("agent2@example.org", Role.REPRESENTATIVE, name="Agent")
    Representative.objects.create(
        talent=ana, user=agent, kind=Representative.Kind.AGENT, can_answer_requests=True
    )
    mine = _ask(acme, brand_user, ana)
    theirs = _ask(acme, brand_user, bea)
    client.force_login(agent)
    page = client.get("/dashboard/").content.decode()
    assert f'href="/licenses/requests/{mine.pk}/"' in page and "for Ana Reyes" in page
    assert f'href="/licenses/requests/{theirs.pk}/"' not in page
    assert f'href="/talent/manage/{ana.registry_id}/"' in page


def test_brand_member_gets_no_talent_section(client, brand_user, acme):
    client.force_login(brand_user)
    page = client.get("/dashboard/").content.decode()
    assert 'id="talent-home"' not in page and 'id="dash-brand"' in page


def test_dashboard_runs_a_fixed_number_of_queries(
    client,
    talent_user,
    brand_user,
    acme,
    ana,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    for use in ("advertising", "editorial", "digital_alteration"):
        _ask(acme, brand_user, ana, use=use)
    for n in range(3):
        _case_about(ana, django_capture_on_commit_callbacks, f"https://ad.example/{n}")
    client.force_login(talent_user)
    client.get("/dashboard/")  # warm the session and per-process caches
    with django_assert_max_num_queries(25):
        assert client.get("/dashboard/").status_code == 200
