"""Storage writes follow the transaction: the files of an upload whose transaction fails are removed; the
files of a committed one stay; a rolled-back savepoint takes only its own files."""

import os

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from registry.cases import evidence as case_evidence
from registry.cases.models import Case, Evidence
from registry.core import storage
from registry.core.uploads import private_storage
from tests.cases.helpers import photo, upload


class RequestFailed(Exception):
    """What goes wrong after the files were written (a later step of the same request)."""


@pytest.fixture
def case(db):
    return Case.objects.create(summary="A fake advert")


def _paths(item: Evidence) -> list[str]:
    return [item.original.path, item.display.path, item.thumbnail.path]


@pytest.mark.django_db
def test_an_upload_whose_transaction_fails_leaves_no_file(case, staff_user):
    with pytest.raises(RequestFailed), transaction.atomic():
        [item] = case_evidence.add_evidence(case.pk, actor=staff_user, files=[upload(photo(5))])
        paths = _paths(item)
        assert all(os.path.exists(p) for p in paths)
        raise RequestFailed
    assert not any(os.path.exists(p) for p in paths)
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_rolled_back_savepoint_removes_only_its_own_files():
    with transaction.atomic():
        kept = private_storage.save("drill/kept.txt", ContentFile(b"kept"))
        with pytest.raises(RequestFailed), transaction.atomic():
            lost = private_storage.save("drill/lost.txt", ContentFile(b"lost"))
            raise RequestFailed
        assert not private_storage.exists(lost)
        assert private_storage.exists(kept)
        assert storage.pending_files() == [private_storage.path(kept)]


@pytest.mark.django_db(transaction=True)
def test_outermost_rollback_removes_and_commit_keeps(case, staff_user):
    with pytest.raises(RequestFailed), transaction.atomic():
        [failed] = case_evidence.add_evidence(case.pk, actor=staff_user, files=[upload(photo(6))])
        raise RequestFailed
    assert not any(os.path.exists(p) for p in _paths(failed))
    [item] = case_evidence.add_evidence(case.pk, actor=staff_user, files=[upload(photo(7))])
    assert all(os.path.exists(p) for p in _paths(item))
    assert storage.pending_files() == []  # committed: forgotten, never removed later
    with pytest.raises(RequestFailed), transaction.atomic():
        raise RequestFailed  # a later, unrelated rollback
    assert all(os.path.exists(p) for p in _paths(item))


def test_files_saved_outside_a_transaction_are_not_tracked(tmp_path, settings):
    name = private_storage.save("drill/plain.txt", ContentFile(b"plain"))
    assert private_storage.exists(name) and storage.pending_files() == []
