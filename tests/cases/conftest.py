"""Cases test fixtures: private storage per test, a talent, a staff desk."""

import pytest

from registry.core.uploads import private_storage
from tests.factories import TalentFactory


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    """Evidence and notices go to a per-test directory (never the developer's ./media)."""
    settings.MEDIA_ROOT = str(tmp_path)
    old = private_storage._location
    private_storage._location = str(tmp_path / "private")
    for attr in ("base_location", "location"):
        private_storage.__dict__.pop(attr, None)
    yield tmp_path / "private"
    private_storage._location = old
    for attr in ("base_location", "location"):
        private_storage.__dict__.pop(attr, None)


@pytest.fixture
def talent(db):
    return TalentFactory(stage_name="Ana Reyes")
