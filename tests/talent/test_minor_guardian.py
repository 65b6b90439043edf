"""The minor story: a 14-year-old names a guardian; the guardian has no authority until staff verify the
guardianship from an uploaded document (staff reads audited); on her 18th birthday it ends by itself and her
dashboard asks her to confirm or re-sign her terms."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from registry.core.models import AuditEvent
from registry.talent import representatives, selectors, verification
from registry.talent.models import Representative
from tests.conftest import make_user
from tests.factories import TalentFactory
from tests.talent.conftest import png_bytes, upload

pytestmark = pytest.mark.django_db

BIRTH = date(2012, 6, 15)
AGE_14 = datetime(2026, 6, 20, 12, tzinfo=UTC)
DAY_BEFORE_18 = datetime(2030, 6, 14, 12, tzinfo=UTC)
BIRTHDAY_18 = datetime(2030, 6, 15, 12, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def at_fourteen():
    with time_machine.travel(AGE_14, tick=False) as traveller:
        yield traveller


@pytest.fixture
def emi(talent_user):
    return TalentFactory(user=talent_user, stage_name="Emi Tanaka", date_of_birth=BIRTH)


@pytest.fixture
def named_guardian(client, emi, talent_user):
    """Emi names her mother as guardian from her own dashboard."""
    parent = make_user("parent@example.org", Role.REPRESENTATIVE, name="Hana Tanaka")
    client.force_login(talent_user)
    response = client.post(reverse("talent:add-representative"), {"email": parent.email, "kind": "guardian"})
    assert response.status_code == 302
    return Representative.objects.get(talent=emi, user=parent)


def _powers(user, talent) -> dict:
    return {
        "acting_as": selectors.acting_as(user, talent),
        "manage_terms": user.has_perm("talent.manage_terms", talent),
        "answer_requests": user.has_perm("talent.answer_requests", talent),
        "view_private": user.has_perm("talent.view_private", talent),
        "acted_for": list(selectors.talent_acted_for(user, scope="manage_terms")),
    }


NO_POWER = {
    "acting_as": None,
    "manage_terms": False,
    "answer_requests": False,
    "view_private": False,
    "acted_for": [],
}


def test_a_named_guardian_cannot_act_until_staff_verify(client, emi, named_guardian, staff_user):
    parent = named_guardian.user
    assert _powers(parent, emi) == NO_POWER
    assert selectors.authority_status(named_guardian) == "awaiting_document"
    assert selectors.active_representatives(emi).count() == 0  # nobody hears about her requests yet
    client.force_login(parent)
    assert client.get(reverse("talent:manage", args=[emi.registry_id])).status_code == 404
    assert client.get(reverse("consent:history", args=[emi.registry_id])).status_code == 403
    page = client.get(reverse("talent:me")).content.decode()
    assert "No authority yet" in page and 'name="document"' in page
    assert reverse("talent:manage", args=[emi.registry_id]) not in page  # no link to act for her yet

    # The document is checked by content: a renamed text file is refused.
    doc_url = reverse("talent:authority-document", args=[named_guardian.pk])
    client.post(doc_url, {"document": upload("birth.pdf", b"just text, not a pdf")})
    named_guardian.refresh_from_db()
    assert not named_guardian.authority_document
    response = client.post(doc_url, {"document": upload("birth.pdf", PDF)})
    assert response.status_code == 302
    named_guardian.refresh_from_db()
    assert named_guardian.authority_document and selectors.authority_status(named_guardian) == (
        "awaiting_verification"
    )
    assert _powers(parent, emi) == NO_POWER  # a document alone grants nothing

    # Someone else cannot read it; staff can, and that read is audited.
    client.force_login(make_user("nosy@example.org", Role.REPRESENTATIVE))
    assert client.get(doc_url).status_code == 404
    client.force_login(staff_user)
    staff_page = client.get(reverse("talent_staff:detail", args=[emi.registry_id])).content.decode()
    assert doc_url in staff_page and "Verify authority" in staff_page
    opened = client.get(doc_url)
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == PDF
    event = AuditEvent.objects.get(action="talent.authority_document")
    assert event.actor == staff_user and emi.registry_id in event.detail
    response = client.post(
        reverse("talent_staff:verify-authority", args=[emi.registry_id, named_guardian.pk])
    )
    assert response.status_code == 302
    named_guardian.refresh_from_db()
    assert named_guardian.authority_verified_by == staff_user and named_guardian.authority_verified_at

    assert _powers(parent, emi) == {
        "acting_as": "guardian",
        "manage_terms": True,
        "answer_requests": True,
        "view_private": True,
        "acted_for": [emi],
    }
    client.force_login(parent)
    assert client.get(reverse("talent:manage", args=[emi.registry_id])).status_code == 200
    assert client.get(reverse("consent:history", args=[emi.registry_id])).status_code == 200


def test_the_minor_herself_may_upload_the_document_and_a_new_one_needs_verifying_again(
    emi, talent_user, named_guardian, staff_user
):
    representatives.upload_authority_document(
        named_guardian, upload=upload("certificate.png", png_bytes()), actor=talent_user
    )
    verification.verify_authority(named_guardian, actor=staff_user)
    assert selectors.acting_as(named_guardian.user, emi) == "guardian"
    representatives.upload_authority_document(
        named_guardian, upload=upload("court-order.pdf", PDF), actor=named_guardian.user
    )
    named_guardian.refresh_from_db()
    assert named_guardian.authority_verified_at is None
    assert selectors.acting_as(named_guardian.user, emi) is None


def test_staff_cannot_verify_without_a_document(emi, named_guardian, staff_user, talent_user):
    with pytest.raises(Exception, match="No document"):
        verification.verify_authority(named_guardian, actor=staff_user)
    representatives.upload_authority_document(named_guardian, upload=upload("b.pdf", PDF), actor=talent_user)
    with pytest.raises(Exception, match="staff"):
        verification.verify_authority(named_guardian, actor=talent_user)


def test_on_her_18th_birthday_the_guardian_stops_and_she_is_asked_to_confirm(
    client, at_fourteen, emi, talent_user, named_guardian, staff_user
):
    representatives.upload_authority_document(named_guardian, upload=upload("b.pdf", PDF), actor=talent_user)
    verification.verify_authority(named_guardian, actor=staff_user)
    parent = named_guardian.user
    banner = 'id="coming-of-age-banner"'
    at_fourteen.move_to(DAY_BEFORE_18)
    client.force_login(talent_user)
    assert selectors.acting_as(parent, emi) == "guardian"
    page = client.get(reverse("talent:me"))
    assert page.status_code == 200 and banner not in page.content.decode()

    at_fourteen.move_to(BIRTHDAY_18)
    client.force_login(talent_user)  # four years on, her old session has expired
    assert _powers(parent, emi) == NO_POWER  # no job ran: computed from her date of birth
    named_guardian.refresh_from_db()
    assert named_guardian.revoked_at is None and selectors.authority_status(named_guardian) == "ended"
    page = client.get(reverse("talent:me")).content.decode()
    assert banner in page and reverse("consent:history", args=[emi.registry_id]) in page
    assert talent_user.has_perm("talent.manage_terms", emi)

    response = client.post(reverse("talent:confirm-coming-of-age"))
    assert response.status_code == 302
    named_guardian.refresh_from_db()
    assert named_guardian.revoked_at is not None and named_guardian.revoked_by == talent_user
    assert banner not in client.get(reverse("talent:me")).content.decode()


def test_only_she_confirms_and_only_once_adult(client, emi, talent_user, named_guardian):
    with pytest.raises(Exception, match="under 18"):
        representatives.confirm_coming_of_age(emi, actor=talent_user)
    with pytest.raises(Exception, match="herself"):
        representatives.confirm_coming_of_age(emi, actor=named_guardian.user)
