"""License requests through the API: creation rules, answers, the counter/accept journey to a verified
license, personal consent for replica and AI-training uses, isolation between organizations, notifications."""

import threading

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from accounts.roles import Role
from registry.brands.models import Organization
from registry.core.errors import DomainError
from registry.licensing import licenses, requests
from registry.licensing.models import License, LicenseOffer, LicenseRequest
from registry.talent.models import Representative
from tests.brands.helpers import bearer, key_from_command
from tests.conftest import make_user
from tests.licensing.conftest import request_body

pytestmark = pytest.mark.django_db

LIST = "/api/v1/license-requests/"


def create(client, key, talent_profile, **overrides):
    return client.post(LIST, request_body(talent_profile, **overrides), format="json", **bearer(key))


def test_brand_creates_a_request_and_the_talent_side_is_told(
    api_client, acme_key, talent, agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = create(api_client, acme_key, talent)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "pending" and data["organization"] == "Acme Apparel"
    assert data["talent"] == {"registry_id": talent.registry_id, "stage_name": "Ana Reyes"}
    assert data["fee"] == {"amount": "4000.00", "currency": "USD"}
    assert [o["kind"] for o in data["offers"]] == ["request"]
    assert data["license_id"] is None
    # one message per recipient, never others' addresses
    assert sorted(m.to[0] for m in mailoutbox if len(m.to) == 1) == sorted([talent.user.email, agent.email])
    assert "Acme Apparel" in mailoutbox[0].subject


@pytest.mark.parametrize(
    "overrides,code,field",
    [
        ({"description": "Ads."}, "description_too_vague", "description"),
        (
            {"description": "For marketing purposes in any and all media, worldwide, forever and ever."},
            "description_too_vague",
            "description",
        ),
        ({"description": "x" * 60}, "description_too_vague", "description"),
        ({"talent": "TR-0000-0000"}, "unknown_talent", "talent"),
        ({"use": "hologram"}, "unknown_use", "use"),
        ({"modalities": ["image", "smell"]}, "unknown_modality", "modalities"),
        ({"modalities": []}, "required", "modalities"),
        ({"territories": ["us"]}, "unknown_territory", "territories"),
        ({"channels": ["radio"]}, "unknown_channel", "channels"),
        ({"valid_from": "2027-05-01", "valid_until": "2027-04-01"}, "invalid_period", "valid_until"),
        ({"valid_from": "2020-01-01", "valid_until": "2020-02-01"}, "invalid_period", "valid_until"),
        ({"valid_from": "tomorrow"}, "invalid_date", "valid_from"),
        # One reading of a date everywhere (registry.core.values): the compact form is refused.
        ({"valid_from": "20260101"}, "invalid_date", "valid_from"),
        ({"valid_until": "2027-1-5"}, "invalid_date", "valid_until"),
        ({"valid_until": ""}, "required", "valid_until"),
        ({"fee": {"amount": "-5", "currency": "USD"}}, "invalid_fee", "fee"),
        ({"fee": {"amount": "10.001", "currency": "USD"}}, "invalid_fee", "fee"),
        ({"fee": {"amount": "100", "currency": "XXX"}}, "invalid_fee", "fee"),
        ({"fee": "100"}, "invalid_fee", "fee"),
        ({"product_category": "Not a slug"}, "invalid_product_category", "product_category"),
    ],
)
def test_bad_requests_are_400_with_a_code(api_client, acme_key, talent, overrides, code, field):
    response = create(api_client, acme_key, talent, **overrides)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code and field in response.json()["fields"]
    assert LicenseRequest.objects.count() == 0


def test_worldwide_territory_is_accepted_in_requests(api_client, acme_key, talent):
    response = create(api_client, acme_key, talent, territories=["worldwide"])
    assert response.status_code == 201 and response.json()["territories"] == ["worldwide"]


def test_key_needs_the_licenses_scope(api_client, acme_owner, talent):
    key = key_from_command("Acme Apparel", scopes="check")
    response = create(api_client, key, talent)
    assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"
    assert api_client.get(LIST).status_code == 401


def test_full_journey_counter_accept_verify_terminate(
    api_client, acme_key, talent, talent_user, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    pk = create(api_client, acme_key, talent).json()["id"]
    talent_client = type(api_client)()
    talent_client.force_login(talent_user)
    # The talent sees it in their list and counters with a higher fee and a shorter period.
    assert [r["id"] for r in talent_client.get(LIST).json()["results"]] == [pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = talent_client.post(
            f"{LIST}{pk}/counter/",
            {
                "fee": {"amount": "5500.00", "currency": "USD"},
                "channels": ["online"],
                "message": "Online only.",
            },
            format="json",
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "countered"
    assert "Counter-offer" in mailoutbox[-1].subject and mailoutbox[-1].to == ["brand@example.org"]
    # It is the brand's turn: the talent cannot approve their own counter.
    assert talent_client.post(f"{LIST}{pk}/approve/").status_code == 409
    # The brand accepts: the license is issued on the countered terms.
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"{LIST}{pk}/accept/", **bearer(acme_key))
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "approved" and data["license_id"].startswith("LIC-")
    assert [o["kind"] for o in data["offers"]] == ["request", "counter", "accept"]
    assert data["offers"][1]["message"] == "Online only."
    assert talent_user.email in mailoutbox[-1].to
    license = License.objects.get(license_id=data["license_id"])
    assert license.channels == ["online"] and str(license.fee_amount) == "5500.00"
    assert license.approved_by == talent_user and license.request_id == pk
    # Public verification: valid (or not yet valid: the period starts in a week).
    public = type(api_client)()
    verify = public.get(f"/api/v1/licenses/{license.license_id}/verify/")
    assert verify.status_code == 200
    body = verify.json()
    assert body["status"] == "not_yet_valid"
    assert set(body) == {
        "license_id",
        "status",
        "talent",
        "organization",
        "use",
        "modalities",
        "territories",
        "channels",
        "product_category",
        "valid_from",
        "valid_until",
        "conditions",
        "terminated_at",
    }
    assert body["conditions"] == {"attribution": False, "ai_disclosure": False}
    assert body["talent"] == {"registry_id": talent.registry_id, "stage_name": "Ana Reyes"}
    text = verify.content.decode()
    assert "5500" not in text and "ana-private@example.org" not in text and talent.legal_name not in text
    # The check now answers permitted from the license (rule 2) on a day inside its period.
    check = {
        "talent": talent.registry_id,
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "online",
        "product_category": "apparel",
        "date": license.valid_from.isoformat(),
    }
    result = api_client.post("/api/v1/permissions/check/", check, format="json", **bearer(acme_key)).json()
    assert result["decision"] == "permitted" and result["basis"]["license_id"] == license.license_id
    # Staff terminate it: verification says terminated, the check no longer permits.
    with django_capture_on_commit_callbacks(execute=True):
        licenses.terminate(
            license_id=license.license_id, actor=staff_user, reason="Breach of the channel terms"
        )
    body = public.get(f"/api/v1/licenses/{license.license_id}/verify/").json()
    assert body["status"] == "terminated" and body["terminated_at"]
    assert "terminated" in mailoutbox[-1].subject
    result = api_client.post("/api/v1/permissions/check/", check, format="json", **bearer(acme_key)).json()
    assert result["decision"] == "license_required"


def test_approve_decline_withdraw_and_brand_counter_back(api_client, acme_key, talent, talent_user):
    talent_client = type(api_client)()
    talent_client.force_login(talent_user)
    pk = create(api_client, acme_key, talent).json()["id"]
    response = talent_client.post(f"{LIST}{pk}/approve/", {"message": "Yes"}, format="json")
    assert response.status_code == 200 and response.json()["license_id"]
    assert talent_client.post(f"{LIST}{pk}/approve/").json()["code"] == "invalid_state"
    assert License.objects.filter(request_id=pk).count() == 1

    pk = create(api_client, acme_key, talent).json()["id"]
    assert talent_client.post(f"{LIST}{pk}/decline/").json()["status"] == "declined"
    assert api_client.post(f"{LIST}{pk}/withdraw/", **bearer(acme_key)).status_code == 409

    pk = create(api_client, acme_key, talent).json()["id"]
    talent_client.post(
        f"{LIST}{pk}/counter/", {"fee": {"amount": "9000.00", "currency": "USD"}}, format="json"
    )
    back = api_client.post(
        f"{LIST}{pk}/counter/",
        {"fee": {"amount": "7000.00", "currency": "USD"}},
        format="json",
        **bearer(acme_key),
    )
    assert back.status_code == 200 and back.json()["status"] == "pending"
    assert back.json()["fee"]["amount"] == "7000.00"
    unchanged = talent_client.post(f"{LIST}{pk}/counter/", {"fee": {"amount": "7000.00", "currency": "USD"}})
    assert unchanged.status_code == 400 and unchanged.json()["code"] == "counter_unchanged"
    withdrawn = api_client.post(
        f"{LIST}{pk}/withdraw/", {"message": "Budget cut"}, format="json", **bearer(acme_key)
    )
    assert withdrawn.json()["status"] == "withdrawn"
    assert talent_client.post(f"{LIST}{pk}/approve/").status_code == 409
    # The brand cannot answer for the talent.
    pk = create(api_client, acme_key, talent).json()["id"]
    assert api_client.post(f"{LIST}{pk}/approve/", **bearer(acme_key)).json()["code"] == "not_authorised"
    assert api_client.post(f"{LIST}{pk}/accept/", **bearer(acme_key)).status_code == 409


@pytest.mark.parametrize("use", ["replica_creation", "replica_use", "ai_training"])
def test_representative_cannot_approve_or_counter_personal_consent_uses(
    api_client, acme_key, talent, talent_user, agent, use
):
    pk = create(api_client, acme_key, talent, use=use).json()["id"]
    agent_client = type(api_client)()
    agent_client.force_login(agent)
    response = agent_client.post(f"{LIST}{pk}/approve/")
    assert response.status_code == 403 and response.json()["code"] == "personal_consent_required"
    response = agent_client.post(f"{LIST}{pk}/counter/", {"fee": {"amount": "1.00", "currency": "USD"}})
    assert response.status_code == 403 and response.json()["code"] == "personal_consent_required"
    assert License.objects.count() == 0 and LicenseRequest.objects.get(pk=pk).status == "pending"
    # The talent in person may.
    talent_client = type(api_client)()
    talent_client.force_login(talent_user)
    assert talent_client.post(f"{LIST}{pk}/approve/").status_code == 200
    assert License.objects.get().use == use


def test_representative_may_answer_ordinary_uses_within_their_grant(api_client, acme_key, talent, agent):
    agent_client = type(api_client)()
    agent_client.force_login(agent)
    pk = create(api_client, acme_key, talent).json()["id"]
    assert agent_client.post(f"{LIST}{pk}/approve/").status_code == 200
    Representative.objects.filter(user=agent).update(can_answer_requests=False)
    pk = create(api_client, acme_key, talent).json()["id"]
    response = agent_client.post(f"{LIST}{pk}/approve/")
    assert response.status_code == 403 and response.json()["code"] == "not_authorised"


def test_guardian_answers_for_a_minor_and_the_minor_cannot(api_client, acme_key, talent, talent_user):
    from datetime import date

    talent.date_of_birth = date(2012, 1, 1)
    talent.save()
    guardian = make_user("parent@example.org", Role.REPRESENTATIVE)
    Representative.objects.create(
        talent=talent, user=guardian, kind=Representative.Kind.GUARDIAN, authority_verified_at=timezone.now()
    )
    pk = create(api_client, acme_key, talent, use="replica_use").json()["id"]
    minor = type(api_client)()
    minor.force_login(talent_user)
    assert minor.post(f"{LIST}{pk}/approve/").json()["code"] == "guardian_required"
    parent = type(api_client)()
    parent.force_login(guardian)
    assert parent.post(f"{LIST}{pk}/approve/").status_code == 200


def test_one_organization_never_sees_another_s_requests_licenses_or_checks(
    api_client, acme_key, nimbus_key, talent, talent_user
):
    pk = create(api_client, acme_key, talent).json()["id"]
    talent_client = type(api_client)()
    talent_client.force_login(talent_user)
    license_id = talent_client.post(f"{LIST}{pk}/approve/").json()["license_id"]
    api_client.post(
        "/api/v1/permissions/check/",
        {
            "talent": talent.registry_id,
            "use": "advertising",
            "modality": "image",
            "territory": "US",
            "channel": "online",
        },
        format="json",
        **bearer(acme_key),
    )
    nimbus = bearer(nimbus_key)
    assert api_client.get(LIST, **nimbus).json()["results"] == []
    for suffix in ("", "approve/", "decline/", "counter/", "accept/", "withdraw/"):
        method = api_client.get if not suffix else api_client.post
        response = method(f"{LIST}{pk}/{suffix}", **nimbus)
        assert response.status_code == 404, suffix
        assert response.json()["code"] == "not_found"
    assert api_client.get("/api/v1/licenses/", **nimbus).json()["results"] == []
    assert api_client.get(f"/api/v1/licenses/{license_id}/", **nimbus).status_code == 404
    assert api_client.get(f"/api/v1/licenses/{license_id}/certificate/", **nimbus).status_code == 404
    assert api_client.get("/api/v1/permissions/checks/", **nimbus).json()["results"] == []
    # Acme sees its own.
    acme = bearer(acme_key)
    assert [r["id"] for r in api_client.get(LIST, **acme).json()["results"]] == [pk]
    assert api_client.get(f"/api/v1/licenses/{license_id}/", **acme).json()["status"] in (
        "valid",
        "not_yet_valid",
    )
    assert len(api_client.get("/api/v1/permissions/checks/", **acme).json()["results"]) == 1
    # Another talent does not see Ana's requests either.
    other = type(api_client)()
    other.force_login(make_user("someone@example.org", "talent"))
    assert other.get(LIST).json()["results"] == []
    assert other.get(f"{LIST}{pk}/").status_code == 404


def test_unknown_license_verify_is_json_404(api_client):
    response = api_client.get("/api/v1/licenses/LIC-000000000000/verify/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_second_approval_cannot_create_a_second_license(api_client, acme_key, talent, talent_user, agent):
    pk = create(api_client, acme_key, talent).json()["id"]
    stale = LicenseRequest.objects.get(pk=pk)
    requests.approve(request_id=pk, actor=talent_user)
    # A writer holding the old state fails the optimistic lock, and the one-to-one keeps one license.
    with pytest.raises(DomainError) as exc:
        requests.save_transition(stale, status=LicenseRequest.Status.APPROVED)
    assert exc.value.code == "conflict"
    with pytest.raises(DomainError) as exc:
        licenses.issue(stale, approved_by=agent)
    assert exc.value.code == "conflict"
    assert License.objects.filter(request_id=pk).count() == 1
    assert LicenseOffer.objects.filter(request_id=pk, kind="approve").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_create_one_license(acme_owner, talent, talent_user, agent):
    request = requests.request_license(
        organization=Organization.objects.get(name="Acme Apparel"),
        actor=acme_owner,
        talent_registry_id=talent.registry_id,
        data=request_body(talent),
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait(timeout=10)
            outcomes.append(requests.approve(request_id=request.pk, actor=user).license_id)
        except DomainError as exc:
            outcomes.append(exc.code)
        except OperationalError:  # SQLite's shared-cache test database refuses the concurrent writer
            outcomes.append("locked")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (talent_user, agent)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert License.objects.filter(request=request).count() == 1
    assert sum(1 for o in outcomes if str(o).startswith("LIC-")) == 1
    assert len(outcomes) == 2
