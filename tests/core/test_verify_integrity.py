"""`manage.py verify_integrity`: 0 on a clean registry; 1, naming the record, when one byte of a file on disk
or one field of a signed record in the database changed."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from registry.consent import dbguard
from registry.licensing.models import License
from tests.core.integrity_world import build
from tests.licensing.conftest import acme_owner, talent  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(talent, talent_user, acme_owner, staff_user, django_capture_on_commit_callbacks):  # noqa: F811
    return build(
        django_capture_on_commit_callbacks,
        talent=talent,
        talent_user=talent_user,
        brand_owner=acme_owner,
        staff=staff_user,
    )


def run(capsys) -> tuple[int, str]:
    try:
        call_command("verify_integrity", "--batch", "1")
    except CommandError as exc:
        return exc.returncode, capsys.readouterr().out
    return 0, capsys.readouterr().out


def test_a_clean_registry_verifies(world, capsys):
    code, out = run(capsys)
    assert code == 0, out
    assert "1 terms_version, 1 evidence, 1 notice, 1 certificate" in out and "MISMATCH" not in out


def test_one_byte_changed_in_an_evidence_file_is_found(world, capsys):
    path = world.evidence.original.path
    with open(path, "r+b") as f:
        first = f.read(1)
        f.seek(0)
        f.write(bytes([first[0] ^ 0x01]))
    code, out = run(capsys)
    assert code == 1
    assert f"MISMATCH evidence {world.evidence.pk}: file {world.evidence.original.name} hashes to" in out
    assert out.count("MISMATCH") == 1


def test_a_missing_notice_pdf_is_found(world, capsys):
    world.notice.pdf.storage.delete(world.notice.pdf.name)
    code, out = run(capsys)
    assert code == 1 and f"MISMATCH notice {world.notice.pk}: file" in out and "is missing" in out


def _without_consent_triggers(sql, params):
    """Change a signed version behind the triggers' back (as an attacker with database access could)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in dbguard.SQLITE_DROP:
                cursor.execute(statement)
        else:
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers do not fire
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "sqlite":
                for statement in dbguard.SQLITE_CREATE:
                    cursor.execute(statement)
            else:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def test_one_field_of_a_signed_version_changed_in_the_database_is_found(world, capsys):
    _without_consent_triggers(
        "UPDATE consent_termversion SET effective_from = '2020-01-01' WHERE id = %s", [world.version.pk]
    )
    code, out = run(capsys)
    assert code == 1
    assert f"MISMATCH terms_version {world.version.pk}: the term rows no longer render" in out


def test_a_changed_term_row_of_a_signed_version_is_found(world, capsys):
    _without_consent_triggers(
        "UPDATE consent_term SET territories = %s WHERE version_id = %s", ['["US"]', world.version.pk]
    )
    code, out = run(capsys)
    assert code == 1 and f"MISMATCH terms_version {world.version.pk}" in out


def test_a_rewritten_digest_is_found(world, capsys):
    _without_consent_triggers(
        "UPDATE consent_termversion SET sha256 = %s WHERE id = %s", ["0" * 64, world.version.pk]
    )
    code, out = run(capsys)
    assert code == 1 and "does not hash to the stored SHA-256" in out


def test_a_changed_certificate_payload_is_found(world, capsys):
    document = json.loads(world.license.certificate)
    document["payload"]["fee"] = {"amount": "1.00", "currency": "USD"}
    License.objects.filter(pk=world.license.pk).update(certificate=json.dumps(document))
    code, out = run(capsys)
    assert code == 1
    assert (
        f"MISMATCH certificate {world.license.license_id} (#{world.license.pk}): the certificate's signature"
        in out
    )
