"""Terms pages: who may see and do what, drafting in plain language, review, signing (IP, user agent, text,
digest), separate personal consent, revocation history, receipts by email and PDF, diffs."""

import base64
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.consent import drafts, revocation, signing
from registry.consent.models import TermVersion
from registry.core.models import AuditEvent, OutboxMessage
from registry.talent.models import Representative
from tests.consent.conftest import REPLICA_ALLOW
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def draft_post(use_values: dict, effective_from=None, note="") -> dict:
    """Form data for the draft page: every use 'license' unless given."""
    data = {"effective_from": (effective_from or TODAY).isoformat(), "note": note}
    for use in (
        "advertising",
        "editorial",
        "digital_alteration",
        "replica_creation",
        "replica_use",
        "ai_training",
    ):
        values = use_values.get(use, {"decision": "deny" if use == "ai_training" else "license"})
        for key, value in values.items():
            data[f"{use}-{key}"] = value
    return data


ADVERTISING_FORM = {
    "decision": "allow",
    "modalities": ["image", "video"],
    "territories": "us, ca",
    "channels": ["online", "print"],
    "valid_until": "2027-12-31",
    "min_fee_amount": "500",
    "min_fee_currency": "USD",
    "attribution": "on",
    "excluded_categories": ["political", "tobacco"],
}
REPLICA_FORM = {
    "decision": "allow",
    "modalities": ["image"],
    "worldwide": "on",
    "channels": ["social"],
    "consent_description": REPLICA_ALLOW["consent_description"],
    "scope": "any",
    "consent_duration": "12 months",
    "consent_pay": "USD 5,000",
    "represented": "yes",
    "represented_by": "SAG-AFTRA",
}


# --- who may see and do what ----------------------------------------------------------------------------


@pytest.fixture
def history_url(talent):
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    return reverse("consent:history", args=[talent.registry_id])


def test_anonymous_is_sent_to_login(client, talent, history_url):
    for url in (
        history_url,
        reverse("consent:draft", args=[talent.registry_id]),
        reverse("consent:receipt", args=[talent.registry_id, 1]),
        reverse("consent:revoke", args=[talent.registry_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("who", ["other_talent_user", "brand_user"])
def test_users_who_do_not_act_for_the_talent_get_403(client, request, talent, history_url, who):
    client.force_login(request.getfixturevalue(who))
    urls = [
        history_url,
        reverse("consent:version", args=[talent.registry_id, 1]),
        reverse("consent:receipt", args=[talent.registry_id, 1]),
        reverse("consent:diff", args=[talent.registry_id]),
        reverse("consent:draft", args=[talent.registry_id]),
        reverse("consent:revoke", args=[talent.registry_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("consent:draft", args=[talent.registry_id]), draft_post({})).status_code == 403
    assert not TermVersion.objects.filter(status="draft").exists()


def test_staff_read_signed_terms_audited_but_cannot_change_them(client, talent, history_url, staff_user):
    client.force_login(staff_user)
    page = client.get(history_url)
    assert page.status_code == 200 and b"Union staff view" in page.content
    assert client.get(reverse("consent:version", args=[talent.registry_id, 1])).status_code == 200
    audited = AuditEvent.objects.filter(actor=staff_user, action="view_terms", object_id=str(talent.pk))
    assert audited.count() == 2
    for name in ("consent:draft", "consent:revoke"):
        assert client.get(reverse(name, args=[talent.registry_id])).status_code == 403
    assert client.post(reverse("consent:draft", args=[talent.registry_id]), draft_post({})).status_code == 403
    assert not TermVersion.objects.filter(status="draft").exists()


def test_representative_without_terms_authority_may_look_but_not_change(
    client, talent, history_url, viewing_agent
):
    client.force_login(viewing_agent)
    page = client.get(history_url)
    assert page.status_code == 200
    assert b"Change my terms" not in page.content
    assert client.get(reverse("consent:draft", args=[talent.registry_id])).status_code == 403
    assert client.post(reverse("consent:revoke", args=[talent.registry_id]), {}).status_code == 403


@pytest.mark.parametrize("who", ["talent_user", "agent"])
def test_talent_and_authorised_representative_can_open_every_page(client, request, talent, history_url, who):
    client.force_login(request.getfixturevalue(who))
    for url in (
        history_url,
        reverse("consent:version", args=[talent.registry_id, 1]),
        reverse("consent:diff", args=[talent.registry_id]),
        reverse("consent:draft", args=[talent.registry_id]),
        reverse("consent:revoke", args=[talent.registry_id]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("consent:index")).status_code == 302


def test_history_shows_private_consent_only_to_those_acting_for_the_talent(client, talent, talent_user):
    signing.sign_version(
        drafts.create_draft(talent=talent, effective_from=TODAY, uses={"replica_use": REPLICA_ALLOW}),
        signing.SignatureContext(actor=talent_user, signed_as="talent", signer_name="Ana María Reyes"),
    )
    client.force_login(talent_user)
    page = client.get(reverse("consent:history", args=[talent.registry_id])).content.decode()
    assert "USD 5,000 flat fee" in page and "SAG-AFTRA Local 1" in page
    public = client.get(f"/api/v1/talent/{talent.registry_id}/terms/").content.decode()
    assert "5,000" not in public and "SAG-AFTRA" not in public and "digital double" not in public


def test_history_page_query_count_is_fixed(client, talent, talent_user, django_assert_max_num_queries):
    for i in range(8):
        sign_terms(
            talent,
            {"advertising": ADVERTISING_ALLOW, "editorial": {"decision": "deny"}},
            effective_from=TODAY - timedelta(days=100 - i),
        )
    client.force_login(talent_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("consent:history", args=[talent.registry_id]))
    assert response.status_code == 200
    assert response.content.count(b"receipt.pdf") == 8


# --- drafting, review, signing --------------------------------------------------------------------------


def test_draft_form_explains_each_choice_in_plain_language(client, talent, talent_user):
    client.force_login(talent_user)
    page = client.get(reverse("consent:draft", args=[talent.registry_id])).content.decode()
    assert "Allowed within my conditions" in page and "Only with a license I approve" in page
    assert "brands cannot even ask" in page
    assert "voice clone" in page  # replica creation explained
    assert "only you can give" in page  # separate personal consent explained
    for use in (
        "advertising",
        "editorial",
        "digital_alteration",
        "replica_creation",
        "replica_use",
        "ai_training",
    ):
        assert f'id="use-{use}"' in page
    assert "Cosmetic surgery" in page  # excluded categories from DESIGN's defaults


def test_draft_form_reports_bad_input_per_use(client, talent, talent_user):
    client.force_login(talent_user)
    data = draft_post(
        {
            "advertising": {**ADVERTISING_FORM, "territories": "us, zz", "channels": []},
            "replica_use": {
                "decision": "allow",
                "modalities": ["image"],
                "worldwide": "on",
                "channels": ["social"],
            },
        },
        effective_from=TODAY - timedelta(days=1),
    )
    page = client.post(reverse("consent:draft", args=[talent.registry_id]), data).content.decode()
    assert "Unknown country code(s): ZZ" in page
    assert "Choose at least one channel" in page
    assert "Describe the intended use reasonably specifically" in page
    assert "cannot take effect in the past" in page
    assert not TermVersion.objects.exists()


def sign_via_pages(client, talent, data, *, agent="Mozilla/5.0 TestBrowser", ip="198.51.100.7", ticks=()):
    response = client.post(reverse("consent:draft", args=[talent.registry_id]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    review_url = response["Location"]
    review = client.get(review_url)
    digest = re.search(r'name="expected_sha256" value="([0-9a-f]{64})"', review.content.decode()).group(1)
    post = {"expected_sha256": digest, "signer_name": "Ana María Reyes", "agree": "on"}
    post.update({f"consent_{use}": "on" for use in ticks})
    signed = client.post(review_url, post, HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    return review, signed


def test_talent_drafts_reviews_and_signs_with_ip_and_user_agent(
    client, talent, talent_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(talent_user)
    with django_capture_on_commit_callbacks(execute=True):
        review, signed = sign_via_pages(client, talent, draft_post({"advertising": ADVERTISING_FORM}))
    assert signed.status_code == 302
    v = TermVersion.objects.get(talent=talent, status="signed")
    page = review.content.decode()
    assert v.sha256 in page  # the digest shown is the digest signed
    assert (v.signed_by, v.signed_as, v.signer_name) == (talent_user, "talent", "Ana María Reyes")
    assert (v.signer_ip, v.signer_user_agent) == ("198.51.100.7", "Mozilla/5.0 TestBrowser")
    assert v.canonical_json in v.text_shown and "Advertising: Allowed under its conditions" in v.text_shown
    assert "Countries: CA and US." in v.text_shown
    terms = {t.use: t for t in v.terms.all()}
    assert terms["advertising"].territories == ["CA", "US"] and terms["ai_training"].decision == "deny"
    # The receipt went out through the outbox, with the PDF attached.
    assert OutboxMessage.objects.filter(handler="registry.consent.receipts.send_receipt").exists()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [talent_user.email]
    assert v.sha256 in mail.body
    ((name, content, mimetype),) = mail.attachments
    assert name == f"consent-receipt-{talent.registry_id}-v1.pdf" and mimetype == "application/pdf"
    assert content.startswith(b"%PDF")


def test_personal_consent_needs_its_own_tick(client, talent, talent_user):
    client.force_login(talent_user)
    review, signed = sign_via_pages(client, talent, draft_post({"replica_creation": REPLICA_FORM}))
    assert signed.status_code == 200
    assert "This consent needs its own tick." in signed.content.decode()
    assert "Separate consents" in review.content.decode()
    assert not TermVersion.objects.filter(status="signed").exists()
    review_url = review.request["PATH_INFO"]
    digest = re.search(r'name="expected_sha256" value="([0-9a-f]{64})"', review.content.decode()).group(1)
    ok = client.post(
        review_url,
        {
            "expected_sha256": digest,
            "signer_name": "Ana María Reyes",
            "agree": "on",
            "consent_replica_creation": "on",
        },
    )
    assert ok.status_code == 302
    term = TermVersion.objects.get(status="signed").terms.get(use="replica_creation")
    assert term.separate_consent and term.represented_by == "SAG-AFTRA" and term.consent_pay == "USD 5,000"


def test_representative_cannot_grant_replica_or_ai_consent_on_the_pages(client, talent, talent_user, agent):
    # The talent's draft with a replica grant: the representative sees why they cannot sign it.
    d = drafts.create_draft(
        talent=talent, effective_from=TODAY, uses={"replica_use": REPLICA_ALLOW}, actor=talent_user
    )
    client.force_login(agent)
    review_url = reverse("consent:review", args=[talent.registry_id, d.pk])
    page = client.get(review_url).content.decode()
    assert "a representative cannot sign it" in page and 'id="sign-form"' not in page
    response = client.post(
        review_url,
        {"expected_sha256": "0" * 64, "signer_name": "Agent", "agree": "on", "consent_replica_use": "on"},
    )
    assert response.status_code == 200
    assert not TermVersion.objects.filter(status="signed").exists()
    # Their own form locks the personal uses: they can keep or withdraw them, nothing else.
    form = client.get(reverse("consent:draft", args=[talent.registry_id])).content.decode()
    assert "Keep as the talent signed it" in form and 'name="replica_use-consent_pay"' not in form
    data = draft_post({"advertising": ADVERTISING_FORM})
    for use in ("replica_creation", "replica_use", "ai_training"):
        data[f"{use}-decision"] = "keep"
    data["replica_use-decision"] = "allow"  # not an offered choice
    assert client.post(reverse("consent:draft", args=[talent.registry_id]), data).status_code == 200
    data["replica_use-decision"] = "keep"
    _, signed = sign_via_pages(client, talent, data)
    assert signed.status_code == 302
    v = TermVersion.objects.get(status="signed")
    assert (v.signed_as, v.signed_by) == ("representative", agent)
    assert {t.use for t in v.terms.all()} == {"advertising", "editorial", "digital_alteration"}


def test_minor_drafts_but_guardian_signs(client, minor):
    kid, kid_user, parent = minor
    client.force_login(kid_user)
    response = client.post(reverse("consent:draft", args=[kid.registry_id]), draft_post({}))
    review_url = response["Location"]
    assert "a parent or guardian signs" in client.get(review_url).content.decode()
    client.force_login(parent)
    page = client.get(review_url).content.decode()
    digest = re.search(r'name="expected_sha256" value="([0-9a-f]{64})"', page).group(1)
    assert (
        client.post(
            review_url, {"expected_sha256": digest, "signer_name": "Pat Parent", "agree": "on"}
        ).status_code
        == 302
    )
    assert TermVersion.objects.get(talent=kid).signed_as == "guardian"


def test_signing_a_stale_review_is_refused(client, talent, talent_user):
    client.force_login(talent_user)
    response = client.post(reverse("consent:draft", args=[talent.registry_id]), draft_post({}))
    review_url = response["Location"]
    digest = re.search(
        r'name="expected_sha256" value="([0-9a-f]{64})"', client.get(review_url).content.decode()
    ).group(1)
    sign_terms(
        talent, {"editorial": {"decision": "allow"}}, effective_from=TODAY
    )  # another version meanwhile
    page = client.post(
        review_url, {"expected_sha256": digest, "signer_name": "Ana María Reyes", "agree": "on"}
    )
    assert page.status_code == 200 and "review them again" in page.content.decode()
    assert TermVersion.objects.filter(status="signed").count() == 1


def test_edit_and_discard_a_draft(client, talent, talent_user):
    client.force_login(talent_user)
    response = client.post(reverse("consent:draft", args=[talent.registry_id]), draft_post({}))
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    edit = reverse("consent:draft_edit", args=[talent.registry_id, pk])
    assert 'value="license"' in client.get(edit).content.decode()
    client.post(edit, draft_post({"editorial": {"decision": "deny"}}))
    assert TermVersion.objects.get(pk=pk).terms.get(use="editorial").decision == "deny"
    client.post(reverse("consent:draft_discard", args=[talent.registry_id, pk]))
    assert not TermVersion.objects.filter(pk=pk).exists()


# --- revocation, history, receipts, diffs ----------------------------------------------------------------


def test_revocation_creates_a_new_version_and_keeps_history(
    client, talent, talent_user, mailoutbox, django_capture_on_commit_callbacks
):
    v1 = sign_terms(
        talent,
        {"advertising": ADVERTISING_ALLOW, "editorial": {"decision": "allow"}},
        effective_from=TODAY - timedelta(days=30),
        user=talent_user,
    )
    client.force_login(talent_user)
    url = reverse("consent:revoke", args=[talent.registry_id])
    bad = client.post(
        url,
        {
            "scope": "some",
            "decision": "license",
            "effective_from": TODAY.isoformat(),
            "signer_name": "Ana María Reyes",
            "agree": "on",
        },
    )
    assert "Choose at least one use" in bad.content.decode()
    past = client.post(
        url,
        {
            "scope": "all",
            "decision": "license",
            "signer_name": "Ana María Reyes",
            "agree": "on",
            "effective_from": (TODAY - timedelta(days=1)).isoformat(),
        },
    )
    assert "cannot take effect in the past" in past.content.decode()
    chosen = {
        "scope": "some",
        "uses": ["advertising"],
        "decision": "deny",
        "effective_from": TODAY.isoformat(),
        "signer_name": "Ana María Reyes",
        "agree": "on",
    }
    shown = client.post(url, chosen)  # first the resulting terms are shown, nothing is signed yet
    assert shown.status_code == 200 and TermVersion.objects.count() == 1
    digest = re.search(r'name="expected_sha256" value="([0-9a-f]{64})"', shown.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {**chosen, "expected_sha256": digest}, REMOTE_ADDR="192.0.2.1", HTTP_USER_AGENT="UA/1"
        )
    assert done.status_code == 302
    v2 = TermVersion.objects.get(talent=talent, number=2)
    assert v2.is_revocation and v2.effective_from == TODAY and v2.signer_ip == "192.0.2.1"
    assert {t.use: t.decision for t in v2.terms.all()} == {"advertising": "deny", "editorial": "allow"}
    assert "I revoke advertising" in v2.text_shown
    v1.refresh_from_db()
    assert v1.terms.get(use="advertising").decision == "allow"  # history untouched
    page = client.get(reverse("consent:history", args=[talent.registry_id])).content.decode()
    assert "Version 1" in page and "Version 2" in page and "revocation" in page
    assert len(mailoutbox) == 1 and mailoutbox[0].attachments[0][2] == "application/pdf"


def test_receipt_download(client, talent, talent_user):
    v = sign_terms(talent, {"advertising": ADVERTISING_ALLOW}, user=talent_user)
    client.force_login(talent_user)
    response = client.get(reverse("consent:receipt", args=[talent.registry_id, v.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("consent:receipt", args=[talent.registry_id, 9])).status_code == 404


def test_receipt_is_sent_to_the_signer_and_the_talent(
    talent, agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        revocation.revoke_online(
            talent=talent,
            uses=None,
            effective_from=TODAY,
            ctx=signing.SignatureContext(actor=agent, signed_as="representative", signer_name="Agent"),
        )
    assert [m.to for m in mailoutbox] == [[agent.email], [talent.user.email]]  # one message each
    pdf = mailoutbox[0].attachments[0][1]
    assert pdf.startswith(b"%PDF")
    message = OutboxMessage.objects.filter(handler="registry.core.mail.deliver").first()
    assert base64.b64decode(message.payload["attachments"][0][1]).startswith(b"%PDF")


def test_diff_page_shows_which_fields_changed(client, talent, talent_user):
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW})
    sign_terms(
        talent, {"advertising": {**ADVERTISING_ALLOW, "min_fee": {"amount": "800", "currency": "USD"}}}
    )
    client.force_login(talent_user)
    page = client.get(reverse("consent:diff", args=[talent.registry_id]) + "?from=1&to=2").content.decode()
    assert 'data-use="advertising" data-field="min_fee_amount"' in page
    assert "800.00" in page and "500.00" in page
    assert "Advertising</strong>: minimum fee now 800.00 USD (was 500.00 USD)." in page  # and in words
    assert 'data-field="territories"' not in page
    assert client.get(reverse("consent:diff", args=[talent.registry_id]) + "?from=1&to=7").status_code == 404


def test_index_lists_represented_talent(client, talent, agent):
    other = TalentFactory(stage_name="Kofi Mensah")
    Representative.objects.create(talent=other, user=agent)
    client.force_login(agent)
    page = client.get(reverse("consent:index")).content.decode()
    assert "Ana Reyes" in page and "Kofi Mensah" in page
    redirect = client.get(reverse("consent:index") + f"?talent={other.registry_id}")
    assert redirect["Location"] == reverse("consent:history", args=[other.registry_id])
