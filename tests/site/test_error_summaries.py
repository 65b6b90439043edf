"""Form error summaries (issue 18): a form that comes back with errors lists them at its top, each a link to
its field (`href="#<the field's id>"`), on every form of the site: talent, terms, licensing, case desk, brand,
staff verification. One tag renders them: `{% error_summary form %}`, in core/templatetags/form_summary."""

import re
from datetime import timedelta

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from registry.brands import services as brand_services
from registry.brands.models import ApiKey, Organization
from registry.cases.models import Case, Status
from registry.consent.models import TermVersion
from registry.core.templatetags.form_summary import summary_items
from registry.licensing import requests
from tests.consent.test_pages import ADVERTISING_FORM, draft_post
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms
from tests.licensing.conftest import request_body

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def summary(response) -> str:
    """The error summary of the page (there is exactly one), as HTML."""
    html = response.content.decode()
    found = re.findall(
        r'<div class="error-summary" role="alert" tabindex="-1" id="[^"]+">.*?</div>', html, re.S
    )
    assert len(found) == 1, f"{len(found)} error summaries in\n{html[:3000]}"
    return found[0]


def links(response) -> list[str]:
    return re.findall(r'<a href="#([^"]+)">', summary(response))


def assert_targets_exist(response):
    """Every link of the summary reaches an element of the page."""
    html = response.content.decode()
    for target in links(response):
        assert f'id="{target}"' in html, target


# --- the tag ------------------------------------------------------------------------------------------------


class _Sample(forms.Form):
    name = forms.CharField(label="Your name")
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, label="Pick one")
    many = forms.MultipleChoiceField(choices=[("x", "X")], widget=forms.CheckboxSelectMultiple, label="Some")
    secret = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


def test_summary_items_link_inputs_and_first_options_and_leave_hidden_fields_unlinked():
    form = _Sample(data={})
    items = summary_items(form)
    assert items[0] == {"text": "The whole form is wrong.", "href": ""}
    by_href = {i["href"]: i["text"] for i in items[1:]}
    assert by_href["#id_name"] == "Your name: This field is required."
    assert by_href["#id_choice_0"] == "Pick one: This field is required."  # the first radio button
    assert by_href["#id_many_0"] == "Some: This field is required."
    assert by_href[""] == "This field is required."  # the hidden field: no link, no label
    assert summary_items(_Sample()) == []  # unbound: nothing


# --- talent -------------------------------------------------------------------------------------------------


@pytest.fixture
def ana(talent_user):
    return TalentFactory(user=talent_user, stage_name="Ana Reyes")


def test_profile_edit_summary_links_the_fields(client, talent_user, ana):
    client.force_login(talent_user)
    response = client.post("/talent/me/edit/", {"stage_name": "", "email": "not-an-email"})
    assert response.status_code == 200
    assert {"id_stage_name", "id_email", "id_disciplines_0"} <= set(links(response))
    assert ": This field is required.</a>" in summary(response)
    assert_targets_exist(response)


def test_reference_media_and_representative_forms_summarise_and_stay_open(client, talent_user, ana):
    client.force_login(talent_user)
    media = client.post("/talent/me/media/", {"kind": "photo"})
    assert media.status_code == 400
    assert links(media) == ["id_file"]
    assert re.search(r'<details class="card fold" id="media"[^>]* open>', media.content.decode())
    rep = client.post("/talent/me/representatives/", {"email": "nope", "kind": "agent"})
    assert rep.status_code == 400
    assert "id_email" in links(rep)
    assert re.search(r'<details class="card fold" id="representatives"[^>]* open>', rep.content.decode())


# --- terms --------------------------------------------------------------------------------------------------


def test_terms_draft_summary_names_the_use_and_links_its_field(client, talent_user, ana):
    client.force_login(talent_user)
    data = draft_post({"advertising": {**ADVERTISING_FORM, "territories": "us, zz", "channels": []}})
    response = client.post(reverse("consent:draft", args=[ana.registry_id]), data)
    assert response.status_code in (200, 400)
    targets = links(response)
    assert "id_advertising-territories" in targets and "id_advertising-channels_0" in targets
    assert "Advertising — " in summary(response)
    assert_targets_exist(response)
    assert not TermVersion.objects.exists()


def test_sign_and_revoke_summaries(client, talent_user, ana):
    client.force_login(talent_user)
    created = client.post(reverse("consent:draft", args=[ana.registry_id]), draft_post({}))
    review_url = created["Location"]
    digest = re.search(
        r'name="expected_sha256" value="([0-9a-f]{64})"', client.get(review_url).content.decode()
    )
    unsigned = client.post(review_url, {"expected_sha256": digest.group(1), "signer_name": ""})
    assert {"id_signer_name", "id_agree"} <= set(links(unsigned))
    assert_targets_exist(unsigned)

    sign_terms(
        ana, {"advertising": ADVERTISING_ALLOW}, effective_from=TODAY - timedelta(days=3), user=talent_user
    )
    revoke = client.post(
        reverse("consent:revoke", args=[ana.registry_id]),
        {
            "scope": "some",
            "decision": "license",
            "effective_from": TODAY.isoformat(),
            "signer_name": "",
            "agree": "",
        },
    )
    assert links(revoke) == ["id_uses_0"]  # the first box of the uses to choose from
    assert "Choose at least one use" in summary(revoke)
    assert_targets_exist(revoke)


# --- licensing ----------------------------------------------------------------------------------------------


def test_counter_offer_with_errors_comes_back_as_typed_with_its_summary(client, talent_user, brand_user, ana):
    brand_services.create_organization(name="Acme Apparel", actor=brand_user)
    org = Organization.objects.get(name="Acme Apparel")
    req = requests.request_license(
        organization=org, actor=brand_user, talent_registry_id=ana.registry_id, data=request_body(ana)
    )
    client.force_login(talent_user)
    response = client.post(
        reverse("licensing:request-action", args=[req.pk, "counter"]),
        {"counter-territories": "US", "counter-fee_amount": "-5", "counter-message": "Less reach, please"},
    )
    assert response.status_code == 400
    targets = links(response)
    assert {"id_counter-modalities_0", "id_counter-channels_0", "id_counter-fee_amount"} <= set(targets)
    assert_targets_exist(response)
    assert "Less reach, please" in response.content.decode()  # nothing typed is lost
    req.refresh_from_db()
    assert req.status == "pending"


# --- brand --------------------------------------------------------------------------------------------------


def test_api_key_form_summary(client, brand_user):
    brand_services.create_organization(name="Acme Apparel", actor=brand_user)
    client.force_login(brand_user)
    response = client.post("/brands/keys/", {"name": "", "scopes": []})
    assert response.status_code == 400
    assert set(links(response)) == {"id_name", "id_scopes_0"}
    assert_targets_exist(response)
    assert not ApiKey.objects.exists()


# --- staff --------------------------------------------------------------------------------------------------


def test_staff_verification_summary(client, staff_user, ana):
    client.force_login(staff_user)
    response = client.post(reverse("talent_staff:verify", args=[ana.registry_id]), {"method": "bogus"})
    assert response.status_code == 400
    assert {"id_method", "id_membership_status"} <= set(links(response))
    assert_targets_exist(response)


@pytest.fixture
def case(db):
    return Case.objects.create(summary="Ad with Ana", triage_due_at=timezone.now() + timedelta(hours=4))


def test_case_page_forms_come_back_with_their_summaries(client, staff_user, case):
    client.force_login(staff_user)
    base = f"/staff/cases/{case.pk}/"
    note = client.post(f"{base}note/", {"body": ""})
    assert note.status_code == 400
    assert links(note) == ["note-body"] and "Internal note: Write the note first." in summary(note)
    message = client.post(f"{base}message/", {"body": ""})
    assert links(message) == ["message-body"]
    link = client.post(f"{base}link/", {"other": "nonsense", "kind": "related", "version": case.version})
    assert links(link) == ["link_other"] and "Give a case reference such as C-00012." in summary(link)
    evidence = client.post(f"{base}evidence/", {})
    assert links(evidence) == ["ev_evidence"]
    update = client.post(f"{base}update/", {"version": case.version, "priority": "sky-high"})
    assert "upd_priority" in links(update)
    assert re.search(r'<details class="edit-case" id="edit-case" open>', update.content.decode())
    for response in (note, message, link, evidence, update):
        assert_targets_exist(response)
    # htmx answers with 200 (htmx swaps only successful answers); the summary is inside the swapped #notes
    htmx = client.post(f"{base}note/", {"body": ""}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and links(htmx) == ["note-body"]


def test_transition_needing_a_reason_summarises_it_in_its_own_open_form(client, supervisor_user, case):
    client.force_login(supervisor_user)
    Case.objects.filter(pk=case.pk).update(status=Status.TRIAGE)
    case.refresh_from_db()
    response = client.post(
        f"/staff/cases/{case.pk}/transition/", {"to": Status.DISMISSED, "version": case.version, "reason": ""}
    )
    assert response.status_code == 400, response.status_code
    target = links(response)
    assert len(target) == 1 and target[0].endswith("-reason")
    assert "Reason: To dismiss a case, give a reason." in summary(response)
    html = response.content.decode()
    assert re.search(r'<details class="transition-more" open><summary>[^<]*Dismiss', html), html[:200]
    assert_targets_exist(response)
    case.refresh_from_db()
    assert case.status == Status.TRIAGE


def test_an_incomplete_transition_form_says_so_above_the_page(client, staff_user, case):
    client.force_login(staff_user)
    response = client.post(f"/staff/cases/{case.pk}/transition/", {})
    assert response.status_code == 400
    assert "The form was incomplete; reload the case and try again." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.NEW
