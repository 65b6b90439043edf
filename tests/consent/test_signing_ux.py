"""Signing like a signing product (issue 18): the review page states in words what changes from the version
in effect and highlights it; the signature is the signer's full legal name, typed (never pre-filled with her
stage name) and checked against her profile; signing and revoking need an explicit confirmation."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.consent import drafts
from registry.consent.models import TermVersion
from tests.factories import ADVERTISING_ALLOW, sign_terms

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DIGEST = re.compile(r'name="expected_sha256" value="([0-9a-f]{64})"')


@pytest.fixture
def in_effect(talent, talent_user):
    return sign_terms(
        talent,
        {
            "advertising": {**ADVERTISING_ALLOW, "excluded_categories": ["tobacco"]},
            "editorial": {"decision": "allow"},
        },
        effective_from=TODAY - timedelta(days=30),
        user=talent_user,
    )


@pytest.fixture
def review_url(talent, talent_user, in_effect):
    advertising = {**ADVERTISING_ALLOW, "excluded_categories": ["tobacco", "adult", "political"]}
    draft = drafts.create_draft(
        talent=talent,
        effective_from=TODAY,
        uses={"advertising": advertising, "editorial": {"decision": "deny"}},
        actor=talent_user,
    )
    return reverse("consent:review", args=[talent.registry_id, draft.pk])


def test_review_states_the_changes_in_words_and_highlights_them(client, talent_user, review_url):
    client.force_login(talent_user)
    page = client.get(review_url).content.decode()
    changes = page.split('id="change-list"', 1)[1].split("</ul>", 1)[0]
    assert "Compared with version 1" in page
    assert "now also never for adult and political products" in changes
    assert "now not allowed (was allowed within your conditions)" in changes
    assert "Digital alteration" not in changes  # unchanged uses are not listed
    assert re.search(r'<tr id="use-advertising" class="changed">', page)
    assert re.search(r'<tr id="use-digital_alteration">', page)
    assert "['" not in changes and "_" not in changes.replace("change-list", "")


def test_first_version_is_compared_with_the_registry_defaults(client, talent, talent_user):
    draft = drafts.create_draft(
        talent=talent, effective_from=TODAY, uses={"advertising": ADVERTISING_ALLOW}, actor=talent_user
    )
    client.force_login(talent_user)
    page = client.get(reverse("consent:review", args=[talent.registry_id, draft.pk])).content.decode()
    assert "Compared with the registry defaults" in page
    assert (
        "Advertising</strong></a>: now allowed within your conditions (was only with a license you approve)"
        in page
    )


def test_signature_is_the_typed_legal_name(client, talent, talent_user, review_url):
    client.force_login(talent_user)
    page = client.get(review_url).content.decode()
    field = re.search(r'<input[^>]*name="signer_name"[^>]*>', page).group(0)
    assert "value=" not in field  # never pre-filled (it used to carry her stage name)
    assert "Type your full legal name to sign" in page
    digest = DIGEST.search(page).group(1)
    stage = client.post(review_url, {"expected_sha256": digest, "signer_name": "Ana Reyes", "agree": "on"})
    assert stage.status_code == 200 and "This is not the legal name on your profile" in stage.content.decode()
    assert TermVersion.objects.filter(status="signed").count() == 1
    signed = client.post(
        review_url, {"expected_sha256": digest, "signer_name": "  ana   MARÍA reyes ", "agree": "on"}
    )
    assert signed.status_code == 302
    version = TermVersion.objects.get(talent=talent, number=2)
    assert version.signer_name == "ana MARÍA reyes"


def test_signing_needs_the_confirmation_tick(client, talent_user, review_url):
    client.force_login(talent_user)
    digest = DIGEST.search(client.get(review_url).content.decode()).group(1)
    page = client.post(review_url, {"expected_sha256": digest, "signer_name": "Ana María Reyes"})
    assert page.status_code == 200 and "Tick this box to sign." in page.content.decode()
    assert TermVersion.objects.filter(status="signed").count() == 1


def test_no_legal_name_on_file_blocks_signing_with_a_way_out(client, talent, talent_user, review_url):
    type(talent).objects.filter(pk=talent.pk).update(legal_name="")
    client.force_login(talent_user)
    page = client.get(review_url).content.decode()
    assert 'id="sign-form"' not in page and "your profile has none yet" in page
    post = client.post(review_url, {"expected_sha256": "0" * 64, "signer_name": "Anyone", "agree": "on"})
    assert post.status_code == 200 and TermVersion.objects.filter(status="signed").count() == 1


def test_revocation_needs_the_preview_the_tick_and_the_legal_name(client, talent, talent_user, in_effect):
    client.force_login(talent_user)
    url = reverse("consent:revoke", args=[talent.registry_id])
    chosen = {"scope": "all", "decision": "license", "effective_from": TODAY.isoformat()}
    form = client.get(url).content.decode()
    assert 'value="Talent A"' not in form and "Type your full legal name to sign" in form
    # Without the resulting terms shown first, nothing is signed (even with a name and the tick).
    shown = client.post(url, {**chosen, "signer_name": "Ana María Reyes", "agree": "on"})
    assert shown.status_code == 200 and TermVersion.objects.filter(status="signed").count() == 1
    preview = shown.content.decode()
    assert "What changes on" in preview  # in words, before she signs
    assert (
        "Advertising</strong>: now only with a license you approve (was allowed within your conditions)"
        in preview
    )
    digest = DIGEST.search(preview).group(1)
    no_tick = client.post(url, {**chosen, "expected_sha256": digest, "signer_name": "Ana María Reyes"})
    assert "Tick this box to revoke." in no_tick.content.decode()
    wrong = client.post(url, {**chosen, "expected_sha256": digest, "signer_name": "Ana Reyes", "agree": "on"})
    assert "This is not the legal name on your profile" in wrong.content.decode()
    assert TermVersion.objects.filter(status="signed").count() == 1
    done = client.post(
        url, {**chosen, "expected_sha256": digest, "signer_name": "ana maría reyes", "agree": "on"}
    )
    assert done.status_code == 302 and TermVersion.objects.get(number=2).is_revocation
