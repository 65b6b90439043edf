"""A person turns case emails off and on; the desk asks the setting when it sends."""

import pytest

from registry.cases.models import Case, PendingNotification
from registry.cases.notify import Recipient, may_receive
from tests.cases.helpers import file_report
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


def test_opting_out_stops_case_mail_and_opting_in_brings_it_back(
    client, talent_user, django_capture_on_commit_callbacks
):
    talent = TalentFactory(user=talent_user, stage_name="Ana Reyes")
    client.force_login(talent_user)
    page = client.get("/accounts/notifications/")
    assert (
        page.status_code == 200
        and b'name="notify_case_updates"' in page.content
        and b"checked" in page.content
    )

    response = client.post("/accounts/notifications/", {})
    assert response.status_code == 302, response.content.decode()[:3000]
    talent_user.refresh_from_db()
    assert talent_user.notify_case_updates is False
    report, _ = file_report(
        django_capture_on_commit_callbacks, urls=["https://e.com/1"], talent=talent.registry_id
    )
    case = Case.objects.get(pk=report.case_id)
    recipient = Recipient(talent_user.email, PendingNotification.Audience.TALENT, talent_user)
    assert not may_receive(case, recipient)

    client.post("/accounts/notifications/", {"notify_case_updates": "on"})
    talent_user.refresh_from_db()
    assert talent_user.notify_case_updates is True and may_receive(case, recipient)


def test_settings_page_needs_a_sign_in(client):
    response = client.get("/accounts/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
