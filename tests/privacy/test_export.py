"""Download my data: one JSON document with every category the registry holds, nothing of anyone else,
audited, in a bounded number of queries."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.core.models import AuditEvent
from registry.privacy.export import export_data
from registry.talent.models import ReferenceMedia
from tests.privacy.helpers import INTERNAL_NOTE, OTHER_REPORTER, OTHER_SECRET, PRIVATE, populate

pytestmark = pytest.mark.django_db

# The document's top-level keys, in order: the header, then each app's part (talent, consent, likeness,
# licensing, brands, cases, core), as composed by registry.privacy from the apps' privacy.py hooks.
DOCUMENT_KEYS = [
    "format",
    "version",
    "generated_at",
    "requested_by",
    "notes",
    "profile",
    "account",
    "profile_history",
    "representatives",
    "reference_media",
    "term_versions",
    "biometric_consent",
    "license_requests",
    "licenses",
    "permission_checks",
    "permission_check_days",
    "cases",
    "reports_filed",
    "audit_events",
]


def _download(client, user, url=None):
    client.force_login(user)
    return client.get(url or reverse("privacy:data-export"))


def test_export_holds_every_category_and_nothing_of_another_talent(client, world, talent_user, staff_user):
    talent = world["talent"]
    response = _download(client, talent_user)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="likeness-registry-{talent.registry_id}'
    )
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    data = json.loads(text)

    assert data["profile"]["registry_id"] == talent.registry_id
    private = data["profile"]["private"]
    for name in ("legal_name", "email", "phone", "address", "membership_number"):
        assert private[name] == PRIVATE[name]
    assert private["date_of_birth"] == "1994-03-08"
    assert data["profile"]["public"]["bio"] == PRIVATE["bio"]
    assert data["account"]["email"] == talent_user.email
    assert [e["email"] for e in data["account"]["email_addresses"]] == [talent_user.email]
    # Edit history: creation plus the two edits, each with the values it recorded.
    history = data["profile_history"]
    assert [h["change"] for h in history] == ["created", "changed", "changed"]
    assert history[-1]["by"] == "you" and history[0]["values"]["legal_name"] == PRIVATE["legal_name"]
    assert [(r["email"], r["kind"], r["agency"]) for r in data["representatives"]] == [
        ("agent@example.org", "agent", "Northlight")
    ]
    media = data["reference_media"]
    assert len(media) == 2 and {m["sha256"] for m in media} == set(
        ReferenceMedia.objects.filter(talent=talent).values_list("sha256", flat=True)
    )
    assert all(len(m["phash"]) == 16 and m["kind"] == "photo" for m in media)
    assert "original" not in media[0] and "/private/" not in text  # metadata only, no file bytes or paths

    versions = data["term_versions"]
    assert [v["number"] for v in versions] == [1, 2]
    signed = versions[1]["signature"]
    v2 = world["versions"][1]
    assert signed["sha256"] == v2.sha256 and signed["canonical_json"] == v2.canonical_json
    assert signed["signed_as"] == "talent" and signed["signer_ip"] == "127.0.0.1"
    assert signed["signed_by"] == str(talent_user) and "signer_user_agent" in signed
    assert {t["use"] for t in versions[1]["terms"]} == {"advertising", "ai_training"}

    requests = {r["id"]: r for r in data["license_requests"]}
    assert set(requests) == {r.pk for r in world["requests"]}
    approved = requests[world["requests"][0].pk]
    assert approved["status"] == "approved" and [o["kind"] for o in approved["offers"]] == [
        "request",
        "approve",
    ]
    assert approved["offers"][1]["by"] == "you" and approved["offers"][1]["message"] == "Happy to."
    assert requests[world["requests"][1].pk]["offers"][-1]["kind"] == "counter"
    assert [lic["license_id"] for lic in data["licenses"]] == [world["license"].license_id]
    assert data["licenses"][0]["certificate"]["payload"]["license_id"] == world["license"].license_id

    checks = data["permission_checks"]
    assert sorted(c["use"] for c in checks) == ["advertising", "ai_training", "editorial"]
    assert {c["organization"] for c in checks} == {"Acme Apparel"}
    assert all(c["decision"] for c in checks)

    cases = {c["reference"]: c for c in data["cases"]}
    assert world["case"].reference in cases
    about = cases[world["case"].reference]
    assert about["messages"][0]["body"] == "Public update 1: notice drafted."
    assert about["urls"][0]["url"] == "https://ads.example.com/fake-1"
    assert [r["description"] for r in data["reports_filed"]] == ["A voice clone of me sells supplements."]
    assert data["reports_filed"][0]["case"] == world["own_case"].reference

    audit = data["audit_events"]
    actions = [(e["action"], e["who"]) for e in audit]
    assert ("talent.view_private", str(staff_user)) in actions
    assert ("talent.media.display", str(staff_user)) in actions
    assert ("talent.data_export", "you") in actions  # this very download

    # Never: internal notes, other reporters' identity, anything of the other talent.
    for secret in (INTERNAL_NOTE, *OTHER_REPORTER, OTHER_SECRET, world["other"].registry_id, "fake-2"):
        assert secret not in text, secret


def test_export_is_audited(client, world, talent_user):
    _download(client, talent_user)
    event = AuditEvent.objects.get(action="talent.data_export")
    assert event.actor == talent_user and event.object_id == str(world["talent"].pk)
    assert event.ip_address == "127.0.0.1"


def test_export_runs_a_bounded_number_of_queries(client, world, talent_user, django_assert_max_num_queries):
    client.force_login(talent_user)
    client.get(reverse("talent:me"))  # warm the session and role caches
    with django_assert_max_num_queries(30):
        response = client.get(reverse("privacy:data-export"))
    assert response.status_code == 200
    data = response.json()
    assert len(data["license_requests"]) == 3 and len(data["term_versions"]) == 2


def test_export_query_count_does_not_grow_with_the_data(
    world,
    talent_user,
    org,
    brand_user,
    staff_user,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    talent = world["talent"]
    with CaptureQueriesContext(connection) as before:
        export_data(talent, actor=talent_user)
    populate(
        talent,
        user=talent_user,
        org=org,
        brand_user=brand_user,
        staff_user=staff_user,
        capture=django_capture_on_commit_callbacks,
        seed=3,
    )
    with django_assert_num_queries(len(before.captured_queries)):
        data = export_data(talent, actor=talent_user)
    assert len(data["license_requests"]) == 6 and len(data["reference_media"]) == 4


def test_document_keeps_its_shape_and_order(world, talent_user):
    data = export_data(world["talent"], actor=talent_user)
    assert list(data) == DOCUMENT_KEYS
    assert data["format"] == "likeness-registry.talent-data-export" and data["version"] == 1
    assert data["requested_by"] == "talent"
