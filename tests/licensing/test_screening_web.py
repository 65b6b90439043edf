"""The request form says why before the brand sends (htmx pre-check) and on submit; the talent's request page
compares every offer with her terms in effect."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registry.licensing.models import LicenseRequest
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms
from tests.licensing.test_web import form_data

pytestmark = pytest.mark.django_db

NEW = "/licenses/requests/new/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ana_terms(talent):
    return sign_terms(talent, {"advertising": ADVERTISING_ALLOW, "ai_training": {"decision": "deny"}})


def precheck(client, **params):
    response = client.get(NEW, {"precheck": "1", **params}, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_precheck_explains_before_sending(client, acme_owner, talent, ana_terms):
    client.force_login(acme_owner)
    common = {"talent": talent.registry_id.lower(), "fee_currency": "USD"}
    html = precheck(client, use="ai_training", **common)
    assert 'data-code="use_denied"' in html and "Ana Reyes does not allow AI training." in html
    html = precheck(client, use="advertising", product_category="Tobacco", fee_amount="900", **common)
    assert "Tobacco is excluded" in html and "below_min_fee" not in html
    assert "minimum fee for advertising is USD 500.00" in html and "must be credited" in html
    html = precheck(client, use="advertising", fee_amount="100", **common)
    assert 'data-code="below_min_fee"' in html and "This request would be refused" in html
    assert "No registered talent" in precheck(client, talent="TR-0000-0000", use="advertising")
    # A partial swap, not a page.
    assert "<html" not in html and 'id="precheck"' in html


def test_precheck_for_a_minor_and_a_protected_category(client, acme_owner):
    today = timezone.localdate()
    minor = TalentFactory(stage_name="Mia", date_of_birth=today.replace(year=today.year - 14))
    client.force_login(acme_owner)
    html = precheck(client, talent=minor.registry_id, use="advertising", product_category="alcohol")
    assert 'data-code="minor_protected"' in html and "never allowed for a minor" in html


def test_submitting_a_refused_request_shows_the_reason_on_the_form(client, acme_owner, talent, ana_terms):
    client.force_login(acme_owner)
    cases = [
        ({"use": "ai_training"}, "does not allow AI training"),
        ({"product_category": "tobacco"}, "Tobacco is excluded"),
        ({"fee_amount": "100.00"}, "minimum fee for advertising is USD 500.00"),
    ]
    for overrides, words in cases:
        page = client.post(NEW, form_data(talent, **overrides))
        assert page.status_code == 200 and words in page.content.decode()
    assert LicenseRequest.objects.count() == 0
    # The page shown again keeps the pre-check, so the reason stays in view.
    page = client.post(NEW, form_data(talent, use="ai_training")).content.decode()
    assert 'id="precheck"' in page and 'data-code="use_denied"' in page


def test_form_sets_the_conditions(client, acme_owner, talent, ana_terms):
    client.force_login(acme_owner)
    response = client.post(NEW, form_data(talent))
    assert response.status_code == 302
    req = LicenseRequest.objects.get()
    # Her advertising term requires attribution: the request carries it although the form left it unticked.
    assert (req.attribution, req.ai_disclosure) == (True, False)
    page = client.get(f"/licenses/requests/{req.pk}/").content.decode()
    assert 'data-condition="attribution"' in page


def test_prefilled_form_shows_the_precheck_without_javascript(client, acme_owner, talent, ana_terms):
    client.force_login(acme_owner)
    page = client.get(NEW, {"talent": talent.registry_id, "use": "ai_training"}).content.decode()
    assert 'data-code="use_denied"' in page and "hx-get" in page


def test_talent_request_page_compares_every_offer_with_her_terms(
    client, acme_owner, talent, talent_user, ana_terms
):
    client.force_login(acme_owner)
    client.post(NEW, form_data(talent, fee_amount="3000.00"))
    req = LicenseRequest.objects.get()
    # She raises her minimum after the request was sent: her page warns her about the offer on the table.
    sign_terms(
        talent,
        {"advertising": {**ADVERTISING_ALLOW, "min_fee": {"amount": "5000.00", "currency": "USD"}}},
        effective_from=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(talent_user)
    page = client.get(f"/licenses/requests/{req.pk}/").content.decode()
    assert 'id="terms-comparison"' in page
    assert "USD 3000.00" in page and "USD 5000.00" in page
    assert "minimum fee for advertising is USD 5000.00" in page
    # The brand does not see her comparison table.
    client.force_login(acme_owner)
    assert 'id="terms-comparison"' not in client.get(f"/licenses/requests/{req.pk}/").content.decode()
