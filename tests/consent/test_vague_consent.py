"""The vague-consent story (issue 13): "any and all uses in perpetuity", pay "none", no representation is
refused with the license requests' own code, and a consent signed without representation shows the AB 2602
warning, offers the union's help and needs its own "without representation" tick."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.consent import drafts, signing, specificity
from registry.consent.models import TermVersion
from registry.core.errors import DomainError
from registry.licensing import requests as license_requests
from tests.consent.conftest import REPLICA_ALLOW, ctx
from tests.consent.test_pages import REPLICA_FORM, draft_post

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
VAGUE = {
    **REPLICA_ALLOW,
    "consent_description": "Any and all uses in perpetuity",
    "consent_duration": "in perpetuity",
    "consent_pay": "none",
    "represented_by": "",
}


def test_license_requests_and_consents_share_one_specificity_test():
    assert license_requests.check_description is specificity.check_description
    with pytest.raises(DomainError) as exc:
        specificity.check_description("Any and all uses in perpetuity", "replica_use.consent_description")
    assert (exc.value.code, exc.value.field) == ("description_too_vague", "replica_use.consent_description")


def test_a_vague_personal_consent_is_refused_by_the_service(talent, talent_user):
    draft = drafts.create_draft(talent=talent, effective_from=TODAY, uses={"replica_use": VAGUE})
    with pytest.raises(DomainError) as exc:
        signing.sign_online(draft, ctx(user=talent_user, confirmed_uses=frozenset({"replica_use"})))
    assert exc.value.code == "description_too_vague"
    assert not TermVersion.objects.filter(status="signed").exists()


@pytest.mark.parametrize(
    "change, code",
    [
        ({"consent_duration": "forever"}, "duration_too_vague"),
        ({"consent_duration": ""}, "duration_required"),
        ({"consent_pay": "TBD"}, "pay_too_vague"),
        ({"consent_pay": "none", "represented_by": ""}, "unpaid_without_representation"),
        ({"consent_pay": "USD 0", "represented_by": ""}, "unpaid_without_representation"),
    ],
)
def test_duration_and_pay_must_be_given_and_definite(talent, talent_user, change, code):
    draft = drafts.create_draft(
        talent=talent, effective_from=TODAY, uses={"replica_use": {**REPLICA_ALLOW, **change}}
    )
    with pytest.raises(DomainError) as exc:
        signing.sign_version(draft, ctx(user=talent_user))
    assert exc.value.code == code


def test_unpaid_consent_is_accepted_when_the_union_represented_her(talent, talent_user):
    draft = drafts.create_draft(
        talent=talent,
        effective_from=TODAY,
        uses={"replica_use": {**REPLICA_ALLOW, "consent_pay": "unpaid", "represented_by": "SAG-AFTRA"}},
    )
    assert signing.sign_version(draft, ctx(user=talent_user)).is_signed


def test_vague_consent_story_on_the_pages(client, talent, talent_user):
    client.force_login(talent_user)
    vague = {
        **REPLICA_FORM,
        "consent_description": "Any and all uses in perpetuity",
        "consent_duration": "in perpetuity",
        "consent_pay": "none",
        "represented": "no",
        "represented_by": "",
    }
    page = client.post(
        reverse("consent:draft", args=[talent.registry_id]), draft_post({"replica_use": vague})
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Describe the intended use reasonably specifically" in text and "blanket phrase" in text
    assert "A consent needs an end" in text
    assert "accepted only when a lawyer or the union represented you" in text
    assert not TermVersion.objects.exists()


def test_ab_2602_warning_and_union_help_before_signing_without_representation(
    client, talent, talent_user, settings
):
    settings.CASES_CONTACT_EMAIL = "help@union.example.org"
    client.force_login(talent_user)
    alone = {**REPLICA_FORM, "represented": "no", "represented_by": ""}
    response = client.post(
        reverse("consent:draft", args=[talent.registry_id]), draft_post({"replica_use": alone})
    )
    assert response.status_code == 302
    review_url = response["Location"]
    review = client.get(review_url).content.decode()
    assert 'id="ab2602-warning"' in review and "AB 2602" in review
    assert "mailto:help@union.example.org" in review
    assert "I want to sign without representation" in review
    digest = re.search(r'name="expected_sha256" value="([0-9a-f]{64})"', review).group(1)
    post = {
        "expected_sha256": digest,
        "signer_name": "Ana María Reyes",
        "agree": "on",
        "consent_replica_use": "on",
    }
    refused = client.post(review_url, post)
    assert refused.status_code == 200 and "Ask the union for help first" in refused.content.decode()
    assert not TermVersion.objects.filter(status="signed").exists()
    assert client.post(review_url, {**post, "unrepresented_replica_use": "on"}).status_code == 302
    version = TermVersion.objects.get(status="signed")
    term = version.terms.get(use="replica_use")
    assert term.represented_by == "" and term.separate_consent
    assert "Warning (California AB 2602)" in version.text_shown  # what she read is what is recorded


def test_web_signature_without_the_tick_is_refused_by_the_service(talent, talent_user):
    draft = drafts.create_draft(
        talent=talent, effective_from=TODAY, uses={"replica_use": {**REPLICA_ALLOW, "represented_by": ""}}
    )
    with pytest.raises(Exception) as exc:
        signing.sign_online(draft, ctx(user=talent_user, confirmed_uses=frozenset({"replica_use"})))
    assert "without representation" in str(exc.value)
    signed = signing.sign_online(
        draft,
        ctx(
            user=talent_user,
            confirmed_uses=frozenset({"replica_use"}),
            unrepresented_uses=frozenset({"replica_use"}),
        ),
    )
    assert signed.is_signed
