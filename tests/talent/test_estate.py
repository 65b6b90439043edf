"""The estate story: staff record a date of death and verify the estate's authority; the performer's own login
can no longer sign or answer; the public page and the API say she has died and who manages her likeness."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from registry.talent import representatives, selectors, verification
from registry.talent.models import Representative
from tests.factories import TalentFactory
from tests.talent.conftest import upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% letters testamentary\n%%EOF\n"
DIED = date(2026, 3, 4)


@pytest.fixture
def ana(talent_user):
    return TalentFactory(user=talent_user, stage_name="Ana Reyes", date_of_birth=date(1950, 1, 1))


def test_estate_story(client, api_client, ana, talent_user, staff_user):
    client.force_login(staff_user)
    detail = reverse("talent_staff:detail", args=[ana.registry_id])
    # An estate recorded before the death is on file cannot be verified.
    client.post(
        reverse("talent_staff:add-representative", args=[ana.registry_id]),
        {"email": "executor@example.org", "kind": "estate", "agency": "Reyes Family Estate"},
    )
    estate = Representative.objects.get(talent=ana, kind="estate")
    client.post(reverse("talent:authority-document", args=[estate.pk]), {"document": upload("l.pdf", PDF)})
    client.post(reverse("talent_staff:verify-authority", args=[ana.registry_id, estate.pk]))
    estate.refresh_from_db()
    assert estate.authority_document and estate.authority_verified_at is None

    response = client.post(
        reverse("talent_staff:record-death", args=[ana.registry_id]), {"date_of_death": DIED.isoformat()}
    )
    assert response.status_code == 302 and response["Location"] == detail
    ana.refresh_from_db()
    assert ana.is_deceased and ana.date_of_death == DIED and ana.history.first().history_user == staff_user
    executor = User.objects.get(email="executor@example.org")
    assert selectors.acting_as(executor, ana) is None  # not verified yet
    assert (
        client.post(reverse("talent_staff:verify-authority", args=[ana.registry_id, estate.pk])).status_code
        == 302
    )
    estate.refresh_from_db()
    assert estate.authority_verified_by == staff_user
    assert "Deceased on 2026-03-04" in client.get(detail).content.decode()

    # The estate acts with her full authority; her own login can only read.
    assert selectors.acting_as(executor, ana) == "estate"
    assert executor.has_perm("talent.manage_terms", ana) and executor.has_perm("talent.answer_requests", ana)
    assert not talent_user.has_perm("talent.manage_terms", ana)
    assert not talent_user.has_perm("talent.answer_requests", ana)
    assert not talent_user.has_perm("talent.manage_profile", ana)
    assert selectors.can_act_for(talent_user, ana, scope="view")
    assert list(selectors.talent_acted_for(talent_user, scope="manage_terms")) == []
    assert list(selectors.talent_acted_for(executor, scope="manage_terms")) == [ana]
    client.force_login(talent_user)
    assert client.get(reverse("consent:draft", args=[ana.registry_id])).status_code == 403
    assert client.get(reverse("talent:me")).status_code == 200  # she (or her family) can still read it
    client.force_login(executor)
    assert client.get(reverse("consent:history", args=[ana.registry_id])).status_code == 200

    # The public page and the API say she has died and who manages her likeness.
    client.logout()
    page = client.get(reverse("talent:profile", args=[ana.registry_id])).content.decode()
    assert 'id="deceased-notice"' in page and "2026-03-04" in page and "Reyes Family Estate" in page
    body = api_client.get(f"/api/v1/talent/{ana.registry_id.lower()}/").json()
    assert (body["deceased"], body["date_of_death"], body["managed_by"]) == (
        True,
        "2026-03-04",
        "Reyes Family Estate",
    )


def test_without_a_verified_estate_no_one_manages_and_the_page_says_so(client, api_client, ana, staff_user):
    ana = verification.record_death(ana, actor=staff_user, date_of_death=DIED)
    assert selectors.managed_by(ana) is None
    page = client.get(reverse("talent:profile", args=[ana.registry_id])).content.decode()
    assert "No estate has been verified" in page
    assert api_client.get(f"/api/v1/talent/{ana.registry_id}/").json()["managed_by"] is None


def test_managed_by_falls_back_to_the_estate_name(ana, staff_user):
    ana = verification.record_death(ana, actor=staff_user, date_of_death=DIED)
    rep = representatives.authorise_representative(
        ana, email="kin@example.org", kind="estate", actor=staff_user
    )
    User.objects.filter(pk=rep.user_id).update(display_name="María Reyes (executor)")
    representatives.upload_authority_document(rep, upload=upload("l.pdf", PDF), actor=staff_user)
    verification.verify_authority(rep, actor=staff_user)
    assert selectors.managed_by(ana) == "María Reyes (executor)"


def test_date_of_death_is_checked(client, ana, staff_user, talent_user):
    client.force_login(staff_user)
    url = reverse("talent_staff:record-death", args=[ana.registry_id])
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    for bad in (future, "1949-12-31", "04/03/2026", ""):
        assert client.post(url, {"date_of_death": bad}).status_code == 400, bad
    ana.refresh_from_db()
    assert not ana.is_deceased
    with pytest.raises(Exception, match="staff"):
        verification.record_death(ana, actor=talent_user, date_of_death=DIED)
