"""The talent sees cases about her (issue 14, defect 6 and issue 18): her dashboard listed them but none could
be opened. Now each opens a read-only page (public status and messages, never notes) for her and for
representatives who may act for her; nobody else can open it."""

import pytest

from registry.cases import merge, messaging
from registry.cases.models import Case
from registry.talent.models import Representative
from tests.cases.helpers import file_report
from tests.conftest import make_user
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def about_her(talent_user, staff_user, django_capture_on_commit_callbacks):
    talent = TalentFactory(stage_name="Ana Reyes", user=talent_user)
    report, _ = file_report(django_capture_on_commit_callbacks, urls=["https://ad.example/1"])
    Case.objects.filter(pk=report.case_id).update(talent=talent)
    case = Case.objects.get(pk=report.case_id)
    messaging.add_note(case.pk, actor=staff_user, body="Internal: the brand's lawyer is difficult.")
    messaging.message_reporter(case.pk, actor=staff_user, body="We are looking into it.")
    return case


def test_talent_opens_her_case_read_only(client, talent_user, about_her):
    """Before: the dashboard row had no link and no page existed."""
    client.force_login(talent_user)
    dashboard = client.get("/talent/me/").content.decode()
    assert f'href="/cases/about-me/{about_her.pk}/"' in dashboard
    response = client.get(f"/cases/about-me/{about_her.pk}/")
    page = response.content.decode()
    assert response.status_code == 200 and about_her.reference in page
    assert "We are looking into it." in page
    assert "Internal" not in page and "<form" not in page.split("<main", 1)[-1].split("</main>")[0]


def test_representative_may_open_it(client, representative_user, about_her):
    Representative.objects.create(talent=about_her.talent, user=representative_user)
    client.force_login(representative_user)
    assert client.get(f"/cases/about-me/{about_her.pk}/").status_code == 200


def test_others_cannot_open_it(client, other_talent_user, representative_user, about_her):
    rep = Representative.objects.create(talent=about_her.talent, user=representative_user)
    rep.revoked_at = about_her.created_at
    rep.save()
    for user in (other_talent_user, representative_user, make_user("brand@example.org", "brand")):
        client.force_login(user)
        assert client.get(f"/cases/about-me/{about_her.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/cases/about-me/{about_her.pk}/").status_code == 302


def test_merged_duplicate_is_not_shown(
    client, talent_user, staff_user, about_her, django_capture_on_commit_callbacks
):
    report, _ = file_report(django_capture_on_commit_callbacks, urls=["https://ad.example/2"])
    Case.objects.filter(pk=report.case_id).update(talent=about_her.talent)
    duplicate = Case.objects.get(pk=report.case_id)
    merge.merge_cases(duplicate.pk, about_her.pk, actor=staff_user, version=duplicate.version)
    client.force_login(talent_user)
    assert client.get(f"/cases/about-me/{duplicate.pk}/").status_code == 404
