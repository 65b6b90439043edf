"""The permission-check API with a key from create_api_key: every rule of product.md §3, as-of dates,
vocabulary errors and the exact response shape."""

from datetime import date

import pytest

from registry.brands.models import PermissionCheck
from registry.licensing.models import License
from registry.talent import facts as talent_facts
from registry.talent.models import TalentProfile
from tests.brands.helpers import bearer, key_from_command, org
from tests.conftest import make_user
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db

URL = "/api/v1/permissions/check/"
SHAPE = {
    "check_id",
    "talent",
    "verified",
    "decision",
    "basis",
    "conditions",
    "valid_until",
    "evaluated_as_of",
}


@pytest.fixture
def key():
    return key_from_command("Acme Apparel")


@pytest.fixture
def talent():
    talent = TalentFactory(stage_name="Ana Reyes")
    sign_terms(
        talent,
        {
            "advertising": ADVERTISING_ALLOW,
            "editorial": {"decision": "license"},
            "digital_alteration": {"decision": "deny"},
            "ai_training": {"decision": "deny"},
        },
    )
    return talent


def check(client, key, **overrides):
    body = {
        "talent": overrides.pop("talent"),
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "online",
        "date": "2026-06-01",
        **overrides,
    }
    body = {k: v for k, v in body.items() if v is not None}
    return client.post(URL, body, format="json", **bearer(key))


def decision(client, key, **kw):
    response = check(client, key, **kw)
    assert response.status_code == 200, response.content
    return response.json()


def test_response_shape_and_log(api_client, key, talent):
    data = decision(api_client, key, talent=talent.registry_id)
    assert set(data) == SHAPE
    assert data["check_id"].startswith("chk_")
    assert data["talent"] == talent.registry_id
    assert data["decision"] == "permitted"
    assert (
        data["basis"]["kind"] == "terms"
        and data["basis"]["version"] == 1
        and len(data["basis"]["sha256"]) == 64
    )
    assert data["conditions"] == {
        "attribution": True,
        "ai_disclosure": False,
        "min_fee": {"amount": "500.00", "currency": "USD"},
        "excluded_categories": ["political", "tobacco"],
    }
    assert data["valid_until"] == "2027-12-31"
    assert data["evaluated_as_of"] == "2026-06-01"
    logged = PermissionCheck.objects.get(check_id=data["check_id"])
    assert logged.organization == org("Acme Apparel")
    assert logged.api_key is not None and logged.talent == talent and logged.decision == "permitted"
    assert logged.source == "api"


def test_rule1_not_registered(api_client, key, talent):
    assert decision(api_client, key, talent="TR-0000-0000")["decision"] == "not_registered"
    TalentProfile.objects.filter(pk=talent.pk).update(status=TalentProfile.Status.WITHDRAWN)
    talent_facts.changed(talent.pk)  # an update() bypasses save(): its caller says the facts changed
    data = decision(api_client, key, talent=talent.registry_id)
    assert data["decision"] == "not_registered" and data["basis"] is None


def test_rule2_license_of_the_calling_organization(api_client, key, talent):
    acme = org("Acme Apparel")
    other_key = key_from_command("Nimbus Media")
    License.objects.create(
        talent=talent,
        organization=acme,
        use="editorial",
        modalities=["image"],
        territories=["US"],
        channels=["online"],
        product_category="apparel",
        valid_from=date(2026, 3, 1),
        valid_until=date(2027, 9, 30),
        description="Editorial lookbook feature for the spring apparel line in our online magazine",
    )
    covered = {"talent": talent.registry_id, "use": "editorial", "product_category": "apparel"}
    data = decision(api_client, key, **covered)
    lic = License.objects.get()
    assert data["decision"] == "permitted"
    assert data["basis"] == {"kind": "license", "license_id": lic.license_id}
    assert data["valid_until"] == "2027-09-30"
    # Another organization does not benefit from Acme's license.
    assert decision(api_client, other_key, **covered)["decision"] == "license_required"
    # Outside the license: other category, channel, territory, date → back to the terms (license).
    assert (
        decision(api_client, key, **{**covered, "product_category": "alcohol"})["decision"]
        == "license_required"
    )
    assert decision(api_client, key, **covered, channel="print")["decision"] == "license_required"
    assert decision(api_client, key, **covered, territory="CA")["decision"] == "license_required"
    assert decision(api_client, key, **covered, date="2027-10-01")["decision"] == "license_required"
    # Terminated (today): no longer covers from today on; earlier dates stay as they were.
    from registry.licensing import licenses

    staff = make_user("staff-term@example.org", "staff")
    licenses.terminate(
        license_id=lic.license_id, actor=staff, reason="Brand breached the attribution condition"
    )
    assert decision(api_client, key, **covered, date=None)["decision"] == "license_required"
    assert decision(api_client, key, **covered)["decision"] == "permitted"


def test_rule3_no_terms_and_no_term_for_use(api_client, key, talent):
    bare = TalentFactory()
    data = decision(api_client, key, talent=bare.registry_id)
    assert data["decision"] == "license_required" and data["basis"]["kind"] == "default"
    assert decision(api_client, key, talent=bare.registry_id, use="ai_training")["decision"] == "denied"
    data = decision(api_client, key, talent=talent.registry_id, use="replica_use")
    assert data["decision"] == "license_required" and data["basis"]["reason"] == "no_term_for_use"
    # Before the first version took effect there are no terms.
    assert decision(api_client, key, talent=talent.registry_id, date="2025-12-31")["decision"] == (
        "license_required"
    )


def test_rule4_deny(api_client, key, talent):
    assert (
        decision(api_client, key, talent=talent.registry_id, use="digital_alteration")["decision"] == "denied"
    )
    assert decision(api_client, key, talent=talent.registry_id, use="ai_training")["decision"] == "denied"


def test_rule5_excluded_category(api_client, key, talent):
    data = decision(api_client, key, talent=talent.registry_id, product_category="tobacco")
    assert data["decision"] == "denied" and data["basis"]["reason"] == "excluded_category"
    data = decision(api_client, key, talent=talent.registry_id, product_category="apparel")
    assert data["decision"] == "permitted" and "excluded_categories" not in data["conditions"]


def test_rule6_and_7_inside_and_outside_conditions(api_client, key, talent):
    rid = talent.registry_id
    assert decision(api_client, key, talent=rid, modality="video", channel="print")["decision"] == "permitted"
    assert decision(api_client, key, talent=rid, territory="DE")["decision"] == "license_required"
    assert decision(api_client, key, talent=rid, modality="voice")["decision"] == "license_required"
    assert decision(api_client, key, talent=rid, channel="broadcast")["decision"] == "license_required"
    assert decision(api_client, key, talent=rid, date="2028-01-01")["decision"] == "license_required"
    data = decision(api_client, key, talent=rid, use="editorial")
    assert data["decision"] == "license_required" and data["basis"]["kind"] == "terms"


def test_as_of_dates_follow_term_versions(api_client, key, talent):
    sign_terms(talent, {"advertising": {"decision": "deny"}}, effective_from=date(2026, 7, 1))
    rid = talent.registry_id
    assert decision(api_client, key, talent=rid, date="2026-06-30")["decision"] == "permitted"
    later = decision(api_client, key, talent=rid, date="2026-07-01")
    assert later["decision"] == "denied" and later["basis"]["version"] == 2


@pytest.mark.parametrize(
    "override,code,field",
    [
        ({"use": "hologram"}, "unknown_use", "use"),
        ({"modality": "smell"}, "unknown_modality", "modality"),
        ({"channel": "radio"}, "unknown_channel", "channel"),
        ({"territory": "us"}, "unknown_territory", "territory"),
        ({"territory": "worldwide"}, "unknown_territory", "territory"),
        ({"date": "2026-13-01"}, "invalid_date", "date"),
        ({"product_category": "Not A Slug!"}, "invalid_product_category", "product_category"),
        ({"channel": None}, "required", "channel"),
        ({"use": 7}, "invalid", "use"),
    ],
)
def test_vocabulary_errors_are_400_with_their_code(api_client, key, talent, override, code, field):
    response = check(api_client, key, talent=talent.registry_id, **override)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and field in body["fields"] and body["detail"]
    assert PermissionCheck.objects.count() == 0


def test_body_must_be_an_object(api_client, key):
    response = api_client.post(URL, [1, 2], format="json", **bearer(key))
    assert response.status_code == 400 and response.json()["code"] == "invalid"
