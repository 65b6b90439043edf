"""Notices are documents that last: PDF/A-3b, tagged, with the subject as Title, the union as Author, the
sending time as CreationDate and English as language (pdfinfo), and each evidence SHA-256 whole in the
extracted text (pdftotext), even for a talent whose name is not ASCII."""

from datetime import UTC, date, datetime

import pytest

from registry.brands.models import Organization
from registry.cases import notices, workflow
from registry.cases.models import Case, NoticeTemplate
from tests.cases.helpers import file_report, photo, upload
from tests.cases.notice_helpers import send_confirmed_notice
from tests.factories import TalentFactory, sign_terms
from tests.pdf_tools import assert_archival, has_whole_hash, pdftext

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(staff_user, django_capture_on_commit_callbacks):
    talent = TalentFactory(stage_name="Mai Nguyễn")
    sign_terms(talent, {"advertising": {"decision": "deny"}})
    Organization.objects.create(name="Shady Skincare", contact_email="legal@shady.example")
    report, _ = file_report(
        django_capture_on_commit_callbacks,
        files=[upload(photo(1), "ad-1.jpg"), upload(photo(2), "ad-2.jpg")],
        urls=["https://www.instagram.com/p/AD1/?igshid=1"],
        talent=talent.registry_id,
        organization="Shady Skincare",
        seen_on=date(2026, 11, 1),
    )
    case = Case.objects.get(pk=report.case_id)
    for to in ("triage", "investigating"):
        case = workflow.transition(case.pk, to=to, actor=staff_user, version=case.version)
    return case


def test_sent_notice_is_pdfa_with_metadata_and_whole_evidence_hashes(
    case, staff_user, tmp_path, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime(2026, 11, 20, 10, 15, 30, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        notice = send_confirmed_notice(
            case.pk,
            actor=staff_user,
            version=case.version,
            template_id=NoticeTemplate.objects.get(kind="takedown").pk,
            recipient_name="Instagram IP team",
            recipient_email="ip@instagram.example",
        )
    with notice.pdf.open("rb") as f:
        pdf = f.read()
    info = assert_archival(pdf, tmp_path, title=notice.subject, author=notices.union_name())
    assert info["CreationDate"] == "2026-11-20T10:15:30Z"
    evidence = notices.evidence_copies(case)
    assert len(evidence) == 2
    text = pdftext(pdf, tmp_path)
    assert "Mai Nguyễn" in text
    for copy in evidence:
        assert copy.sha256 in notice.body
        assert has_whole_hash(text, copy.sha256), text
