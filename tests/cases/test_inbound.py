"""Acceptance 3: a reply to a notice's own address (a real RFC 822 file) is recorded on that notice; one
with a wrong or missing token opens nothing and is logged."""

import logging
import mailbox
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from registry.cases import inbound, workflow
from registry.cases.models import Case, Notice, NoticeTemplate, TimelineEvent
from tests.cases.helpers import file_report
from tests.cases.notice_helpers import send_confirmed_notice
from tests.factories import sign_terms

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
TOKEN = "Xk3v9QpLm2Rt7YwZ8aB4cD6eF1gH5jK0"  # the token in platform_reply.eml


def _notice(talent, staff_user, capture, url):
    report, _ = file_report(capture, urls=[url], talent=talent.registry_id, seen_on=date(2026, 11, 1))
    case = Case.objects.get(pk=report.case_id)
    for to in ("triage", "investigating"):
        case = workflow.transition(case.pk, to=to, actor=staff_user, version=case.version)
    return send_confirmed_notice(
        case.pk,
        actor=staff_user,
        version=case.version,
        template_id=NoticeTemplate.objects.get(kind="takedown").pk,
        recipient_name="Instagram IP team",
        recipient_email="ip@instagram.example",
    )


@pytest.fixture
def notices_sent(talent, staff_user, django_capture_on_commit_callbacks, settings):
    settings.CASES_REPLY_DOMAIN = "replies.registry.example.org"
    sign_terms(talent, {"advertising": {"decision": "deny"}})
    target = _notice(talent, staff_user, django_capture_on_commit_callbacks, "https://instagram.com/p/AD1")
    other = _notice(talent, staff_user, django_capture_on_commit_callbacks, "https://tiktok.com/@x/video/1")
    Notice.objects.filter(pk=target.pk).update(reply_token=TOKEN)
    return Notice.objects.get(pk=target.pk), other


def test_reply_file_recorded_on_the_right_notice(notices_sent, capsys):
    target, other = notices_sent
    call_command("receive_case_mail", str(DATA / "platform_reply.eml"))
    assert "1 reply(ies) recorded, 0 refused" in capsys.readouterr().out
    target.refresh_from_db()
    other.refresh_from_db()
    assert target.response_received_at.isoformat() == "2026-12-01T09:13:58+00:00"
    assert "We removed the content you reported" in target.response_text
    assert "Instagram IP Team" in target.response_text and "\u2014 ref 88213344" in target.response_text
    assert target.response_recorded_by is None and target.response_outcome == ""
    assert not other.response_received_at and not other.response_text
    event = TimelineEvent.objects.filter(case=target.case, data__via="by email").get()
    assert event.data["notice"] == target.pk
    assert not TimelineEvent.objects.filter(case=other.case, data__via="by email").exists()


@pytest.mark.parametrize("missing", [False, True])
def test_wrong_or_missing_token_opens_nothing_and_is_logged(notices_sent, caplog, tmp_path, missing):
    raw = (DATA / "wrong_token_reply.eml").read_bytes()
    if missing:  # addressed to the desk, no token at all
        raw = raw.replace(b"case+WRONGtokenWRONGtokenWRONGtoken00@replies", b"desk@replies")
    cases_before, events_before = Case.objects.count(), TimelineEvent.objects.count()
    with caplog.at_level(logging.WARNING, logger="registry.cases.inbound"):
        assert inbound.receive_message(raw) is None
    assert Case.objects.count() == cases_before and TimelineEvent.objects.count() == events_before
    assert not Notice.objects.filter(response_received_at__isnull=False).exists()
    (record,) = [r for r in caplog.records if r.name == "registry.cases.inbound"]
    assert record.levelno == logging.WARNING
    assert ("no reply token" if missing else "unknown reply token") in record.getMessage()


def test_maildir_mixed_batch(notices_sent, tmp_path):
    box = mailbox.Maildir(tmp_path / "Maildir")
    for name in ("platform_reply.eml", "wrong_token_reply.eml"):
        box.add((DATA / name).read_bytes())
    result = inbound.receive_path(tmp_path / "Maildir", delete=True)
    assert result.recorded == [notices_sent[0].pk] and result.refused == 1
    assert len(box) == 0


def test_token_on_another_domain_is_not_accepted(notices_sent):
    raw = (
        (DATA / "platform_reply.eml").read_bytes().replace(b"@replies.registry.example.org", b"@evil.example")
    )
    assert inbound.receive_message(raw) is None
