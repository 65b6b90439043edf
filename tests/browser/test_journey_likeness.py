"""Issue 19 in Chromium: a talent gives her biometric consent (typed legal name), her reference photo is
described, she checks a suspicious image herself, staff see the face match on a public report's case (both
faces side by side), and she withdraws; every page is audited (390 and 1280 px, no horizontal scroll on a
phone, no raw stored value, axe, console)."""

import re

import pytest

from registry.cases.models import Case, FaceMatch
from registry.likeness.models import Descriptor
from registry.talent.reference_media import add_reference_media
from tests.browser.audit import Auditor
from tests.browser.test_cases import login_as, private_media  # noqa: F401 (fixture)
from tests.conftest import browser_login
from tests.factories import TalentFactory
from tests.likeness.biometric_helpers import astronaut, astronaut_copy, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_biometric_consent_self_check_face_match_and_withdrawal(
    page,
    live_server,
    talent_user,
    staff_user,
    tmp_path,
    private_media,  # noqa: F811
):
    talent = TalentFactory(user=talent_user, stage_name="Eileen Orbit", legal_name="Eileen Marie Orbit")
    add_reference_media(talent, upload=upload(astronaut(), "portrait.jpg"), kind="photo", actor=talent_user)
    assert not Descriptor.objects.exists()  # no consent yet: nothing computed
    audit = Auditor(page, "likeness")
    browser_login(page, talent_user.email)

    page.goto(f"/likeness/{talent.registry_id}/consent/")
    audit("consent")
    page.get_by_label("Type your full legal name to sign").fill("Eileen Orbit")  # her stage name: refused
    page.get_by_label("I have read the biometric consent above and I consent to it.").check()
    page.click("#sign-button")
    page.locator(".error-summary").wait_for()
    audit("consent-errors")
    page.get_by_label("Type your full legal name to sign").fill("Eileen Marie Orbit")
    box = page.get_by_label("I have read the biometric consent above and I consent to it.")
    if not box.is_checked():
        box.check()
    page.click("#sign-button")
    page.wait_for_load_state()
    audit("consent-signed")
    assert Descriptor.objects.filter(talent=talent).count() == 1  # her photo, described after consent

    suspicious = tmp_path / "ad.jpg"
    suspicious.write_bytes(astronaut_copy())
    page.goto(f"/likeness/{talent.registry_id}/self-check/")
    audit("self-check")
    page.set_input_files("#self-check-form input[type=file]", str(suspicious))
    page.click("#self-check-form button[type=submit]")
    page.wait_for_load_state()
    assert "Likely you" in page.content()
    audit("self-check-result")

    page.goto("/cases/report/")
    page.fill("#id_urls", "https://www.instagram.com/p/FACE1/")
    page.fill("#id_seen_on", "2026-11-20")
    page.fill("#id_description", "An AI-generated ad with a face I think I know.")
    page.select_option("#id_relationship", "fan")
    page.set_input_files("#id_evidence", str(suspicious))
    page.click("#report-form button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/report/filed/$"))
    case = Case.objects.get()
    match = FaceMatch.objects.get(evidence__case=case)
    assert match.talent_id == talent.pk and match.distance < 0.5

    page.context.clear_cookies()
    login_as(page, live_server, staff_user)
    page.goto(f"/staff/cases/{case.pk}/")
    page.locator("#face-matches [data-face-match]").wait_for()
    assert "Eileen Orbit" in page.locator("#face-matches").inner_text()
    audit("case-face-match")

    page.context.clear_cookies()
    browser_login(page, talent_user.email)
    page.goto(f"/likeness/{talent.registry_id}/consent/withdraw/")
    audit("withdraw")
    page.get_by_label("Withdraw my biometric consent and delete every face descriptor now.").check()
    page.click("#withdraw-button")
    page.wait_for_load_state()
    audit("withdrawn")
    assert not Descriptor.objects.filter(talent=talent).exists()
    audit.assert_clean()
