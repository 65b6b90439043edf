"""The staff import page: preview, confirm, every error shown, staff only."""

import base64
import copy

import pytest

from registry.consent.models import RegistryImport
from registry.talent.models import TalentProfile
from tests.importer.example import EXAMPLE, counts, upload


@pytest.mark.django_db
def test_staff_page_previews_then_imports(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/staff/terms/import/").status_code == 200
    preview = client.post("/staff/terms/import/", {"file": upload("roster.json", EXAMPLE)})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Talent created: 1" in page and "TR-7KQ3-M9XD Ana Reyes" in page and "Licenses added: 1" in page
    assert counts() == (0, 0, 0, 0, 0, 0)  # a preview changes nothing
    content = preview.context["confirm_form"].initial["content"]
    sha = preview.context["confirm_form"].initial["sha256"]
    done = client.post(
        "/staff/terms/import/",
        {"confirm": "1", "content": content, "sha256": sha, "file_name": "roster.json"},
    )
    assert done.status_code == 200 and "Imported" in done.content.decode()
    assert TalentProfile.objects.filter(registry_id="TR-7KQ3-M9XD").exists()
    record = RegistryImport.objects.get()
    assert (record.imported_by, record.source, record.file_name) == (staff_user, "staff_page", "roster.json")
    again = client.post("/staff/terms/import/", {"file": upload("roster.json", EXAMPLE)})
    assert "already imported: there is nothing to change" in again.content.decode()
    assert base64.b64decode(content).endswith(b"}\n")  # the exact bytes, newline included
    other = base64.b64encode(base64.b64decode(content) + b" ").decode()
    tampered = client.post("/staff/terms/import/", {"confirm": "1", "content": other, "sha256": sha})
    assert tampered.status_code == 302
    garbage = client.post("/staff/terms/import/", {"confirm": "1", "content": "%%%", "sha256": sha})
    assert garbage.status_code == 302


@pytest.mark.django_db
def test_staff_page_shows_every_error_and_changes_nothing(client, staff_user):
    client.force_login(staff_user)
    bad = copy.deepcopy(EXAMPLE)
    bad["talent"][0]["terms"][0]["uses"]["advertising"]["territories"] = ["XX"]
    response = client.post("/staff/terms/import/", {"file": upload("bad.json", bad)})
    assert response.status_code == 400
    assert (
        "talent[0].terms[0].uses.advertising.territories: Unknown territory &#x27;XX&#x27;"
        in response.content.decode()
    )
    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["talent_user", "brand_user", "representative_user"])
def test_staff_import_is_staff_only(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/staff/terms/import/").status_code == 403
    assert client.post("/staff/terms/import/", {"file": upload("x.json", EXAMPLE)}).status_code == 403
    assert not TalentProfile.objects.exists()


@pytest.mark.django_db
def test_staff_import_needs_login(client):
    assert client.get("/staff/terms/import/").status_code == 302
