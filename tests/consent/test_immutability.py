"""Signed term versions cannot change through any path: services/models, the admin, the API, the database."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from accounts.models import User
from registry.api import consent as consent_api
from registry.consent import drafts
from registry.consent.models import FrozenRecordError, Term, TermVersion
from tests.factories import ADVERTISING_ALLOW, TalentFactory, sign_terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(talent_user):
    talent = TalentFactory(user=talent_user)
    return sign_terms(talent, {"advertising": ADVERTISING_ALLOW}, user=talent_user)


# --- models and services ----------------------------------------------------------------------------------


def test_model_save_and_delete_refuse_signed_versions_and_terms(signed):
    signed.effective_from = date(2020, 1, 1)
    with pytest.raises(FrozenRecordError):
        signed.save()
    with pytest.raises(FrozenRecordError):
        signed.delete()
    term = signed.terms.get()
    term.decision = "deny"
    with pytest.raises(FrozenRecordError):
        term.save()
    with pytest.raises(FrozenRecordError):
        term.delete()
    with pytest.raises(FrozenRecordError):
        Term(version=signed, use="editorial", decision="allow").save()
    with pytest.raises(FrozenRecordError):
        drafts.update_draft(signed, effective_from=date(2027, 1, 1), uses={})


# --- the database itself (triggers on SQLite and PostgreSQL) ----------------------------------------------


def _refused(fn):
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        fn()
    assert "immutable" in str(exc.value)


def test_database_refuses_updates_and_deletes_of_signed_versions(signed):
    qs = TermVersion.objects.filter(pk=signed.pk)
    _refused(lambda: qs.update(effective_from=date(2020, 1, 1)))
    _refused(lambda: qs.update(sha256="0" * 64))
    _refused(lambda: qs.update(status="draft"))
    _refused(lambda: qs.update(text_shown="something else"))
    _refused(lambda: qs.update(signed_by=User.objects.create_user(email="x@example.org", password="x" * 12)))
    _refused(lambda: qs.delete())
    with connection.cursor() as cursor:
        _refused(
            lambda: cursor.execute("UPDATE consent_termversion SET number = 99 WHERE id = %s", [signed.pk])
        )
        _refused(lambda: cursor.execute("DELETE FROM consent_termversion WHERE id = %s", [signed.pk]))
    signed.refresh_from_db()
    assert signed.is_signed and signed.number == 1


def test_database_refuses_changes_to_terms_of_a_signed_version(signed):
    qs = Term.objects.filter(version=signed)
    _refused(lambda: qs.update(decision="deny"))
    _refused(lambda: qs.delete())
    _refused(lambda: Term.objects.bulk_create([Term(version=signed, use="editorial", decision="allow")]))
    with connection.cursor() as cursor:
        _refused(
            lambda: cursor.execute(
                "UPDATE consent_term SET territories = '[]' WHERE version_id = %s", [signed.pk]
            )
        )
    draft = drafts.create_draft(talent=signed.talent, effective_from=date(2027, 1, 1), uses={})
    # Moving a draft's term into a signed version is refused as well.
    term = Term.objects.create(version=draft, use="editorial", decision="allow")
    _refused(lambda: Term.objects.filter(pk=term.pk).update(version=signed))
    assert qs.get().decision == "allow"


def test_database_allows_drafts_and_clearing_a_deleted_signers_link(signed, talent_user):
    draft = drafts.create_draft(
        talent=signed.talent, effective_from=date(2027, 1, 1), uses={"editorial": {"decision": "deny"}}
    )
    TermVersion.objects.filter(pk=draft.pk).update(note="still a draft")
    Term.objects.filter(version=draft).update(decision="allow")
    draft.delete()
    # Deleting the signer's account clears the link (SET_NULL); the typed name, IP and digest stay.
    talent_user.delete()
    signed.refresh_from_db()
    assert signed.signed_by is None and signed.is_signed and signed.sha256


def test_deleting_a_talent_with_signed_terms_is_refused(signed):
    with pytest.raises(IntegrityError), transaction.atomic():
        signed.talent.delete()
    assert TermVersion.objects.filter(pk=signed.pk).exists()


# --- the admin ------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, supervisor_user):
    supervisor_user.is_superuser = True
    supervisor_user.save()
    client.force_login(supervisor_user)
    return client


def test_admin_shows_signed_versions_read_only_and_cannot_delete_them(admin_client, signed):
    url = reverse("admin:consent_termversion_change", args=[signed.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b'name="effective_from"' not in page.content  # read-only, no inputs
    assert b"Save" not in page.content or b'name="_save"' not in page.content
    response = admin_client.post(url, {"effective_from": "2020-01-01", "note": "changed"})
    assert response.status_code == 403
    delete = admin_client.post(reverse("admin:consent_termversion_delete", args=[signed.pk]), {"post": "yes"})
    assert delete.status_code == 403
    changelist = admin_client.get(reverse("admin:consent_termversion_changelist"))
    assert b"delete_selected" not in changelist.content
    bulk = admin_client.post(
        reverse("admin:consent_termversion_changelist"),
        {"action": "delete_selected", "_selected_action": [signed.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert admin_client.get(reverse("admin:consent_termversion_add")).status_code == 403
    signed.refresh_from_db()
    assert signed.effective_from == date(2026, 1, 1) and signed.note == ""
    assert TermVersion.objects.filter(pk=signed.pk).exists()


def test_admin_can_delete_only_drafts(admin_client, signed):
    draft = drafts.create_draft(talent=signed.talent, effective_from=date(2027, 1, 1), uses={})
    response = admin_client.post(
        reverse("admin:consent_termversion_delete", args=[draft.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not TermVersion.objects.filter(pk=draft.pk).exists()


# --- the API --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_terms_api_has_no_write_methods(api_client, signed, talent_user, method):
    api_client.force_authenticate(talent_user)
    url = f"/api/v1/talent/{signed.talent.registry_id}/terms/"
    response = getattr(api_client, method)(
        url, {"uses": {"advertising": {"decision": "deny"}}}, format="json"
    )
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    signed.refresh_from_db()
    assert signed.terms.get().decision == "allow"


def test_no_consent_api_route_accepts_writes():
    assert consent_api.urlpatterns
    for pattern in consent_api.urlpatterns:
        assert set(pattern.callback.view_class.http_method_names) <= {"get", "head", "options"}


@pytest.mark.django_db(transaction=True)
def test_flush_empties_signed_terms_and_keeps_the_triggers():
    from django.core.management import call_command

    sign_terms(TalentFactory(), {"advertising": ADVERTISING_ALLOW})
    call_command("flush", interactive=False, verbosity=0)
    assert not TermVersion.objects.exists()
    again = sign_terms(TalentFactory(), {"advertising": ADVERTISING_ALLOW})
    _refused(lambda: TermVersion.objects.filter(pk=again.pk).update(note="edited"))
