"""Licence termination mail (issue 14, defect 4): one message per recipient, never others' addresses.
Red before: one email to the brand, the talent and her agent together."""

from datetime import date

import pytest

from registry.brands.models import Organization
from registry.licensing import licenses
from registry.licensing.models import License

pytestmark = pytest.mark.django_db


def test_termination_is_sent_to_each_recipient_alone(
    acme_owner, talent, agent, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    license = License.objects.create(
        talent=talent,
        organization=Organization.objects.get(name="Acme Apparel"),
        use="advertising",
        modalities=["image"],
        territories=["US"],
        channels=["online"],
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 3, 31),
        description="Spring campaign photos",
    )
    with django_capture_on_commit_callbacks(execute=True):
        licenses.terminate(license_id=license.license_id, actor=staff_user, reason="Breach of terms")
    assert len(mailoutbox) == 3
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([acme_owner.email, talent.user.email, agent.email])
    brand_mail = next(m for m in mailoutbox if m.to == [acme_owner.email])
    assert talent.user.email not in str(brand_mail.message()) and agent.email not in str(brand_mail.message())
