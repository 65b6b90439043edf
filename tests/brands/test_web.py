"""The brand workspace on the web: organization set-up, invitations, API keys shown once and revoked, the
check form in plain language, check history (filters, pagination, isolation, a CSV safe against formula
injection), staff verification, and the talent's "who checked me" section."""

import csv
import io
import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from registry.brands import services
from registry.brands.models import ApiKey, Invitation, Membership, Organization, PermissionCheck
from registry.checks import services as check_services
from registry.core.csvexport import csv_safe
from tests.brands.helpers import bearer
from tests.conftest import make_user
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(brand_user):
    return services.create_organization(name="Acme Apparel", actor=brand_user)


@pytest.fixture
def owner_client(client, brand_user, acme):
    client.force_login(brand_user)
    return client


def test_brand_member_without_organization_creates_one(client, brand_user):
    client.force_login(brand_user)
    page = client.get("/brands/")
    assert page.status_code == 200 and b"Set up your organization" in page.content
    response = client.post("/brands/", {"name": "Acme Apparel", "kind": "brand", "website": ""})
    assert response.status_code == 302
    membership = Membership.objects.get(user=brand_user)
    assert membership.organization.name == "Acme Apparel" and membership.is_owner
    assert b"Acme Apparel" in client.get("/brands/").content
    # Pages needing an organization send others to set one up.
    other = make_user("new@brand.example", Role.BRAND_MEMBER)
    client.force_login(other)
    assert client.get("/brands/check/")["Location"] == "/brands/"
    assert client.post("/brands/", {"name": "acme apparel", "kind": "brand"}).status_code == 200
    assert Organization.objects.count() == 1


def test_workspace_is_for_brand_members(client, talent_user):
    client.force_login(talent_user)
    assert client.get("/brands/").status_code == 403
    client.logout()
    assert client.get("/brands/").status_code == 302


def test_owner_invites_and_the_invitee_joins(
    owner_client, acme, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post("/brands/members/invite/", {"email": "Colleague@Example.org", "role": "member"})
    assert mailoutbox[0].to == ["colleague@example.org"]
    link = re.search(r"https?://\S+/brands/invitations/(\S+)/", mailoutbox[0].body)
    token = link.group(1)
    assert Invitation.objects.get().token_hash != token  # only a hash is stored
    stranger = make_user("stranger@example.org")
    client.force_login(stranger)
    assert b"another email address" in client.get(f"/brands/invitations/{token}/").content
    client.post(f"/brands/invitations/{token}/")
    assert not Membership.objects.filter(user=stranger).exists()
    colleague = make_user("colleague@example.org")
    client.force_login(colleague)
    assert client.post(f"/brands/invitations/{token}/").status_code == 302
    membership = Membership.objects.get(user=colleague)
    assert membership.organization == acme and not membership.is_owner
    assert colleague.groups.filter(name=Role.BRAND_MEMBER).exists()
    assert client.get(f"/brands/invitations/{token}/").status_code == 404  # used up
    # Members cannot manage keys or invite.
    page = client.get("/brands/")
    assert b"Create an API key" not in page.content
    assert client.post("/brands/keys/", {"name": "x", "scopes": ["check"]}).status_code == 403
    assert client.post("/brands/members/invite/", {"email": "a@b.org", "role": "owner"}).status_code == 403


def test_api_key_is_shown_once_works_and_can_be_revoked(owner_client, acme, api_client):
    response = owner_client.post("/brands/keys/", {"name": "Ad server", "scopes": ["check"]})
    assert response["Location"] == "/brands/keys/created/"
    page = owner_client.get("/brands/keys/created/")
    assert page["Cache-Control"] == "no-store"
    plaintext = re.search(rb'id="new-api-key"[^>]*>(lr_[^<]+)<', page.content).group(1).decode()
    assert b'data-copy="new-api-key"' in page.content
    # Shown once: a reload does not show it again; the workspace lists only the prefix.
    again = owner_client.get("/brands/keys/created/", follow=True)
    assert plaintext.encode() not in again.content
    api_key = ApiKey.objects.get()
    assert api_key.scopes == ["check"] and api_key.created_by.email == "brand@example.org"
    assert plaintext.encode() not in owner_client.get("/brands/").content
    body = {
        "talent": "TR-0000-0000",
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "online",
    }
    assert (
        api_client.post("/api/v1/permissions/check/", body, format="json", **bearer(plaintext)).status_code
        == 200
    )
    assert b"never" not in owner_client.get("/brands/").content  # last used is shown
    owner_client.post(f"/brands/keys/{api_key.pk}/revoke/")
    assert (
        api_client.post("/api/v1/permissions/check/", body, format="json", **bearer(plaintext)).status_code
        == 401
    )


def test_other_organizations_keys_cannot_be_revoked(owner_client, acme):
    nimbus, _ = services.ensure_organization("Nimbus Media")
    key, _ = services.create_api_key(organization=nimbus, scopes=["check"])
    assert owner_client.post(f"/brands/keys/{key.pk}/revoke/").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


def test_check_form_explains_the_decision_in_plain_language(owner_client, acme):
    talent = TalentFactory()
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    form = {
        "talent": talent.registry_id.lower(),
        "use": "advertising",
        "modality": "image",
        "territory": "us",
        "channel": "online",
        "date": "2026-06-01",
    }
    page = owner_client.post("/brands/check/", form)
    text = page.content.decode()
    assert "Permitted" in text and "allow this advertising" in text
    assert "Credit the talent by name" in text and "Pay at least 500.00 USD" in text
    assert (
        "Signed terms, version 1" in text and "Not for these product categories: political, tobacco" in text
    )
    check = PermissionCheck.objects.get()
    assert check.source == "web" and check.organization == acme and check.decision == "permitted"
    page = owner_client.post("/brands/check/", {**form, "territory": "DE"})
    text = page.content.decode()
    assert "License required" in text and 'id="request-license"' in text
    link = re.search(r'href="(/licenses/requests/new/\?[^"]+)"', text).group(1).replace("&amp;", "&")
    assert f"talent={talent.registry_id}" in link and "territory=DE" in link
    prefilled = owner_client.get(link).content.decode()
    assert f'value="{talent.registry_id}"' in prefilled and 'value="DE"' in prefilled
    # Vocabulary errors come back on the form, and nothing is logged.
    page = owner_client.post("/brands/check/", {**form, "territory": "XX"})
    assert b"Unknown territory" in page.content and PermissionCheck.objects.count() == 2
    # htmx swaps the form and result area out of the same page (errors included).
    page = owner_client.get("/brands/check/").content.decode()
    assert 'hx-select="#check-area"' in page and 'id="check-area"' in page


def test_check_history_filters_paginates_with_fixed_queries_and_is_isolated(
    owner_client, acme, django_assert_max_num_queries
):
    nimbus, _ = services.ensure_organization("Nimbus Media")
    talent = TalentFactory()
    items = [
        {
            "talent": talent.registry_id,
            "use": use,
            "modality": "image",
            "territory": "US",
            "channel": "online",
        }
        for use in ["advertising", "editorial"] * 40
    ]
    check_services.run_bulk_checks(items, organization=acme)
    check_services.run_bulk_checks(items[:3], organization=nimbus)
    page = owner_client.get("/brands/checks/")
    assert page.context["page"].paginator.count == 80
    with django_assert_max_num_queries(8):
        page = owner_client.get("/brands/checks/?use=editorial&page=1")
    assert page.context["page"].paginator.count == 40
    assert all(c.organization_id == acme.pk for c in page.context["checks"])
    assert len(owner_client.get("/brands/checks/?page=2").context["checks"]) == 30
    assert owner_client.get("/brands/checks/?decision=denied").context["page"].paginator.count == 0


def test_csv_export_is_safe_against_formula_injection(owner_client, acme):
    for value in ['=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]:
        assert csv_safe(value) == "'" + value
    assert csv_safe("TR-7KQ3-M9XD") == "TR-7KQ3-M9XD" and csv_safe(None) == ""
    check_services.run_check(
        {
            "talent": "=cmd|' /C calc'!A0",
            "use": "advertising",
            "modality": "image",
            "territory": "US",
            "channel": "online",
        },
        organization=acme,
    )
    nimbus, _ = services.ensure_organization("Nimbus Media")
    check_services.run_check(
        {
            "talent": "TR-NIMB-US00",
            "use": "advertising",
            "modality": "image",
            "territory": "US",
            "channel": "online",
        },
        organization=nimbus,
    )
    response = owner_client.get("/brands/checks/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["check_id", "checked_at", "talent"]
    assert len(rows) == 2  # only Acme's own check
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_staff_verify_organizations(client, staff_user, acme, brand_user):
    client.force_login(brand_user)
    assert client.get("/staff/brands/").status_code == 403
    client.force_login(staff_user)
    page = client.get("/staff/brands/?verified=no")
    assert b"Acme Apparel" in page.content
    client.post(f"/staff/brands/{acme.pk}/verify/", {"verified": "1"})
    acme.refresh_from_db()
    assert acme.is_verified and acme.verified_by == staff_user and acme.verified_at
    client.post(f"/staff/brands/{acme.pk}/verify/", {"verified": "0"})
    acme.refresh_from_db()
    assert not acme.is_verified


def test_talent_sees_who_checked_them(client, talent_user, acme, django_assert_max_num_queries):
    talent = TalentFactory(user=talent_user)
    for territory in ["US", "DE", "FR"]:
        check_services.run_check(
            {
                "talent": talent.registry_id,
                "use": "advertising",
                "modality": "video",
                "territory": territory,
                "channel": "social",
            },
            organization=acme,
        )
    client.force_login(talent_user)
    page = client.get("/talent/me/")
    text = page.content.decode()
    assert 'id="talent-checks"' in text and "Acme Apparel" in text and "DE, Social media" in text
    from registry.brands.selectors import checks_about

    with django_assert_max_num_queries(1):
        checks = checks_about(talent, limit=2)
        assert [c.organization.name for c in checks] == ["Acme Apparel", "Acme Apparel"]


def test_dashboard_links_to_the_workspace(owner_client):
    assert b'href="/brands/"' in owner_client.get(reverse("site:dashboard")).content
