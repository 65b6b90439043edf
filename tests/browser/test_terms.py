"""A talent drafts, reviews and signs their terms in a real browser, with a separate replica consent;
the pages pass an axe accessibility check."""

import pytest

from registry.consent.models import TermVersion
from tests.conftest import axe_violations, browser_login
from tests.factories import TalentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_talent_drafts_reviews_and_signs_terms(page, talent_user):
    talent = TalentFactory(user=talent_user, stage_name="Ana Reyes", legal_name="Ana María Reyes")
    browser_login(page, talent_user.email)
    page.goto(f"/terms/{talent.registry_id}/draft/")
    assert axe_violations(page) == []

    advertising = page.locator("#use-advertising")
    # Conditions appear only once "allow" is chosen (progressive enhancement).
    assert not advertising.locator("[data-show-when='allow']").is_visible()
    advertising.get_by_label("Allowed under its conditions").check()
    assert advertising.locator("[data-show-when='allow']").is_visible()
    advertising.get_by_label("Image", exact=True).check()
    advertising.get_by_label("Video", exact=True).check()
    advertising.get_by_label("Countries", exact=True).fill("us, ca")
    advertising.get_by_label("Online", exact=True).check()
    advertising.get_by_label("Minimum fee", exact=True).fill("500")
    advertising.get_by_label("I must be credited by name").check()

    replica = page.locator("#use-replica_creation")
    replica.get_by_label("Allowed under its conditions").check()
    replica.get_by_label("Image", exact=True).check()
    replica.get_by_label("Worldwide", exact=True).check()
    replica.get_by_label("Social media", exact=True).check()
    replica.get_by_label("For any brand").check()  # replicas name their brands unless she chooses any
    replica.get_by_label("What exactly may be done (intended use)").fill(
        "A digital double for one Acme Apparel spring campaign, online and social only."
    )
    replica.get_by_label("For how long").fill("6 months")
    replica.get_by_label("What you are paid").fill("USD 4,000")
    replica.get_by_label("Yes", exact=True).check()
    replica.get_by_label("Who advised you (lawyer or union)").fill("SAG-AFTRA")
    page.click("#to-review")

    page.wait_for_selector("#signed-text")
    assert "Review and sign" in page.locator("h1").inner_text()
    digest = page.locator("#digest").inner_text().strip()
    text = page.locator("#signed-text").inner_text()
    assert "Advertising: Allowed under its conditions." in text and "Countries: CA and US." in text
    assert digest in text
    assert axe_violations(page) == []

    page.get_by_label("Type your full legal name to sign").fill("Ana María Reyes")
    page.get_by_label("I have read the changes and the full text above, and I sign these terms.").check()
    page.click("#sign-button")
    assert "needs its own tick" in page.locator("#sign-form").inner_text()  # the separate consent
    page.get_by_label("Type your full legal name to sign").fill("Ana María Reyes")
    page.get_by_label("I have read the changes and the full text above, and I sign these terms.").check()
    page.locator("input[name=consent_replica_creation]").check()
    page.click("#sign-button")

    page.wait_for_selector("#history")
    assert "Signed: version 1" in page.locator(".messages").inner_text()
    assert page.locator("#history").get_by_role("link", name="Version 1", exact=True).is_visible()
    assert axe_violations(page) == []
    version = TermVersion.objects.get(talent=talent)
    assert version.sha256 == digest and version.signer_ip == "127.0.0.1"
    assert "Chrom" in version.signer_user_agent or "Mozilla" in version.signer_user_agent
    assert version.terms.get(use="replica_creation").separate_consent
