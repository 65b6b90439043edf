"""The revocation story (issue 13): the revoke page shows the resulting terms, the version records exactly
that text, and every version a revocation writes gets its own receipt (email and PDF)."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.consent import revocation
from registry.consent.models import TermVersion
from tests.consent.conftest import ctx
from tests.factories import ADVERTISING_ALLOW, sign_terms

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _shown(page: str) -> list[str]:
    return [
        html.unescape(t)
        for t in re.findall(r'<pre class="signed-text" id="revocation-text-\d+"[^>]*>(.*?)</pre>', page, re.S)
    ]


def test_revocation_records_the_text_the_page_showed_and_sends_a_receipt(
    client, talent, talent_user, mailoutbox, django_capture_on_commit_callbacks
):
    sign_terms(
        talent,
        {"advertising": ADVERTISING_ALLOW, "editorial": {"decision": "allow"}},
        effective_from=TODAY - timedelta(days=30),
        user=talent_user,
    )
    later = sign_terms(
        talent,
        {"advertising": ADVERTISING_ALLOW},
        effective_from=TODAY + timedelta(days=10),
        user=talent_user,
    )
    client.force_login(talent_user)
    url = reverse("consent:revoke", args=[talent.registry_id])
    chosen = {
        "scope": "some",
        "uses": ["advertising"],
        "decision": "deny",
        "effective_from": TODAY.isoformat(),
    }
    page = client.post(url, chosen).content.decode()
    shown = _shown(page)
    assert len(shown) == 2  # today, and the version already signed for a later date
    assert "I revoke advertising" in shown[0] and "Advertising: Not allowed." in shown[0]
    assert "Editorial" in shown[0] and TermVersion.objects.count() == 2
    digest = re.search(r'name="expected_sha256" value="([0-9a-f]{64})"', page).group(1)
    unsigned = client.post(url, {**chosen, "expected_sha256": digest})
    assert "Type your full legal name to sign" in unsigned.content.decode()
    assert TermVersion.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url, {**chosen, "expected_sha256": digest, "signer_name": "Ana María Reyes", "agree": "on"}
        )
    assert done.status_code == 302
    written = list(TermVersion.objects.filter(is_revocation=True).order_by("effective_from"))
    assert [v.text_shown for v in written] == shown
    assert written[1].effective_from == later.effective_from
    assert len(mailoutbox) == 2  # one receipt per version written
    for mail, version in zip(mailoutbox, sorted(written, key=lambda v: v.pk)):
        assert version.sha256 in mail.body
        ((name, content, mimetype),) = mail.attachments
        assert name.endswith(f"-v{version.number}.pdf") and content.startswith(b"%PDF")


def test_a_revocation_whose_terms_changed_since_shown_is_refused(client, talent, talent_user):
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW}, effective_from=TODAY - timedelta(days=5))
    client.force_login(talent_user)
    url = reverse("consent:revoke", args=[talent.registry_id])
    chosen = {
        "scope": "some",
        "uses": ["advertising"],
        "decision": "license",
        "effective_from": TODAY.isoformat(),
    }
    page = client.post(url, chosen).content.decode()
    digest = re.search(r'name="expected_sha256" value="([0-9a-f]{64})"', page).group(1)
    sign_terms(talent, {"editorial": {"decision": "allow"}}, effective_from=TODAY)  # signed meanwhile
    refused = client.post(
        url, {**chosen, "expected_sha256": digest, "signer_name": "Ana María Reyes", "agree": "on"}
    )
    assert refused.status_code == 200 and "read them again" in refused.content.decode()
    assert not TermVersion.objects.filter(is_revocation=True).exists()


def test_service_preview_is_what_revoke_records(talent):
    sign_terms(talent, {"advertising": ADVERTISING_ALLOW}, effective_from=TODAY - timedelta(days=5))
    steps = revocation.preview(talent=talent, uses=None, effective_from=TODAY, preamble="I revoke all uses.")
    version = revocation.revoke(
        talent=talent,
        uses=None,
        effective_from=TODAY,
        ctx=ctx(text_shown="I revoke all uses.", expected_sha256=revocation.digest(steps)),
    )
    assert version.text_shown == steps[0].text
