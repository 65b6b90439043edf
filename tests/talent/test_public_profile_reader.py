"""The public profile speaks to its reader (issue 18): third-person wording ("Needs a license from Ana
Reyes", no "(a revocation)"), and a signed-in brand member gets "Check this use" and "Request a license",
prefilled with the talent; nobody else sees them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.brands import services as brand_services
from registry.consent import revocation, signing
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def ana(talent_user):
    talent = TalentFactory(user=talent_user, stage_name="Ana Reyes")
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW}, effective_from=TODAY - timedelta(days=10))
    return talent


def _page(client, talent) -> str:
    return client.get(reverse("talent:profile", args=[talent.registry_id])).content.decode()


def test_terms_are_worded_for_the_reader(client, ana):
    page = _page(client, ana)
    assert "Needs a license from Ana Reyes" in page
    assert "Allowed within Ana Reyes’s conditions" in page
    assert "ask Ana Reyes for a license" in page
    assert "license I approve" not in page and "you approve" not in page
    assert "registry default" not in page and "nothing signed for this use" in page


def test_a_revocation_is_said_in_words(client, ana, talent_user):
    ctx = signing.SignatureContext(actor=talent_user, signed_as="talent", signer_name="Legal")
    revocation.revoke(talent=ana, uses=None, effective_from=TODAY, ctx=ctx)
    page = _page(client, ana)
    assert "(a revocation)" not in page
    assert "on that date Ana Reyes withdrew some earlier permissions" in page


def test_brand_member_gets_check_and_request_buttons_prefilled(client, brand_user, ana):
    brand_services.create_organization(name="Acme Apparel", actor=brand_user)
    client.force_login(brand_user)
    page = _page(client, ana)
    assert f'href="/brands/check/?talent={ana.registry_id}"' in page and "Check this use" in page
    assert f'href="/licenses/requests/new/?talent={ana.registry_id}"' in page and "Request a license" in page
    # The links land on prefilled forms.
    check = client.get(f"/brands/check/?talent={ana.registry_id}").content.decode()
    assert f'value="{ana.registry_id}"' in check
    request = client.get(f"/licenses/requests/new/?talent={ana.registry_id}").content.decode()
    assert f'value="{ana.registry_id}"' in request


def test_others_do_not_see_brand_buttons(client, talent_user, other_talent_user, ana):
    assert 'id="brand-actions"' not in _page(client, ana)  # anonymous
    for user in (talent_user, other_talent_user):
        client.force_login(user)
        page = _page(client, ana)
        assert 'id="brand-actions"' not in page and "Check this use" not in page


def test_her_own_dashboard_keeps_her_own_words(client, talent_user, ana):
    client.force_login(talent_user)
    page = client.get("/talent/me/").content.decode()
    assert "Only with a license I approve" in page or "Allowed under its conditions" in page
    assert "Needs a license from" not in page
