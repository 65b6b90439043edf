"""/.well-known/tdmrep.json is built in the background, stored and served with ETag (issue 16, defect 7), and
no public URL does work that grows with the number of talent: fixed query counts and bounded memory with
2,000 talent."""

import json
import re
import tracemalloc
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.consent import published, tasks
from registry.consent.models import PublishedDocument, Term, TermVersion
from registry.core.models import OutboxMessage
from registry.talent.models import TalentProfile
from tests.consent.test_exports import OPEN, PERSONAL_OPEN
from tests.factories import TalentFactory, sign_terms

pytestmark = pytest.mark.django_db
WELL_KNOWN = "/.well-known/tdmrep.json"
OPEN_TERM = {**PERSONAL_OPEN, "separate_consent": True}


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://registry.example.org"


def tdmrep_match(rules: list[dict], path: str) -> dict | None:
    """A TDM agent's reading (TDMRep §3.1, robots.txt patterns): `*` any characters, `$` the end; the first
    matching rule in sequence wins. Written from the spec, independent of our builder."""
    for rule in rules:
        pattern = rule["location"]
        anchored = pattern.endswith("$")
        regex = "".join(".*" if c == "*" else re.escape(c) for c in pattern.rstrip("$"))
        if re.match(regex + ("$" if anchored else ""), path):
            return rule
    return None


def everything_open(talent):
    return sign_terms(
        talent,
        dict.fromkeys(("ai_training", "replica_creation", "replica_use"), PERSONAL_OPEN)
        | {"digital_alteration": OPEN},
    )


def test_sign_rebuilds_the_stored_file_and_it_is_served_with_etag(client, django_capture_on_commit_callbacks):
    ana, gone = TalentFactory(), TalentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        sign_terms(ana, {"ai_training": {"decision": "deny"}})
        everything_open(gone)
        opened = TalentFactory()
        everything_open(opened)
    TalentProfile.objects.filter(pk=gone.pk).update(status="withdrawn")
    published.rebuild_tdmrep()
    response = client.get(WELL_KNOWN)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=300" and response["ETag"].startswith('"')
    rules = json.loads(response.content)
    for path in (f"/talent/{opened.registry_id}/", f"/api/v1/talent/{opened.registry_id}/terms/"):
        assert tdmrep_match(rules, path)["tdm-reservation"] == 0
    for talent in (ana, gone, TalentFactory()):  # reserved, withdrawn, new without terms
        for path in (f"/talent/{talent.registry_id}/", f"/terms/policy/{talent.registry_id}/"):
            assert tdmrep_match(rules, path)["tdm-reservation"] == 1
    assert len(rules) == 3 + 3  # the defaults and one exception per path of the open talent
    # The file agrees with each talent's own headers (which TDMRep says supersede it).
    for talent in (ana, opened):
        page = client.get(f"/talent/{talent.registry_id}/")
        assert int(page["tdm-reservation"]) == tdmrep_match(rules, page.wsgi_request.path)["tdm-reservation"]

    again = client.get(WELL_KNOWN, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert client.head(WELL_KNOWN).status_code == 200


def test_rebuilds_are_coalesced_and_go_through_the_outbox(django_capture_on_commit_callbacks):
    talent = TalentFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        for day in (1, 2, 3):
            sign_terms(talent, {"ai_training": {"decision": "deny"}}, effective_from=date(2026, 1, day))
    messages = OutboxMessage.objects.filter(handler=published.REBUILD_HANDLER)
    assert messages.count() == 1 and messages.get().status == "pending"
    assert not PublishedDocument.objects.exists()
    for callback in callbacks:
        callback()
    assert messages.get().status in ("done", "sent")
    assert PublishedDocument.objects.get(name="tdmrep.json").built_for == timezone.localdate()


def test_before_the_first_build_the_defaults_are_served(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(WELL_KNOWN)
    assert json.loads(response.content) == published.DEFAULT_RULES


# --- many talent ------------------------------------------------------------------------------------------


def add_talent(n: int, *, terms: dict | None = None) -> None:
    """n public talent, each with one signed version (built set-based: drafts, terms, then signed)."""
    start = TalentProfile.objects.count()
    TalentProfile.objects.bulk_create(
        TalentProfile(
            stage_name=f"Bulk {start + i}",
            legal_name=f"Bulk Legal {start + i}",
            email=f"bulk{start + i}@example.org",
            date_of_birth=date(1990, 1, 1),
            is_verified=True,
        )
        for i in range(n)
    )
    new = TalentProfile.objects.filter(stage_name__startswith="Bulk ").exclude(term_versions__isnull=False)
    versions = TermVersion.objects.bulk_create(
        TermVersion(talent_id=pk, effective_from=date(2026, 1, 1)) for pk in new.values_list("pk", flat=True)
    )
    terms = terms or {"ai_training": {"decision": "deny"}}
    Term.objects.bulk_create(Term(version=v, use=use, **t) for v in versions for use, t in terms.items())
    TermVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
        status="signed", number=1, signed_at=timezone.now(), sha256="0" * 64, signed_as="paper"
    )


def public_urls(talent) -> list[tuple[str, dict]]:
    rid = talent.registry_id
    return [
        (WELL_KNOWN, {}),
        ("/talent/", {}),
        ("/talent/?q=Bulk", {}),
        ("/api/v1/talent/", {}),
        (f"/talent/{rid}/", {}),
        (f"/terms/policy/{rid}/", {}),
        (f"/terms/policy/{rid}/", {"HTTP_ACCEPT": "application/ld+json"}),
        (f"/api/v1/talent/{rid}/", {}),
        *[(f"/api/v1/talent/{rid}/terms/?format={f}", {}) for f in ("registry", "tdmrep", "iptc", "c2pa")],
    ]


def measure(client, urls) -> dict[str, tuple[int, int]]:
    """Per URL: (queries, peak bytes allocated while answering)."""
    out = {}
    for url, headers in urls:
        with CaptureQueriesContext(connection) as queries:
            tracemalloc.start()
            response = client.get(url, **headers)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        assert response.status_code == 200, (url, response.status_code)
        out[f"{url} {headers}"] = (len(queries), peak)
    return out


def test_public_urls_cost_the_same_with_2000_talent(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    ana = TalentFactory()
    sign_terms(ana, {"ai_training": {"decision": "license"}})
    add_talent(20)
    published.rebuild_tdmrep()
    measure(client, public_urls(ana))  # warm caches (templates, URL resolver, schema of each serializer)
    small = measure(client, public_urls(ana))

    add_talent(2000)
    add_talent(30, terms=dict.fromkeys(("ai_training", "replica_creation"), OPEN_TERM))
    published.rebuild_tdmrep()
    large = measure(client, public_urls(ana))

    for url, (queries, peak) in large.items():
        assert queries == small[url][0], f"{url}: {small[url][0]} queries for 21 talent, {queries} for 2,051"
        assert queries <= 12, url
        assert peak < 4 * 1024 * 1024, f"{url}: peak {peak} bytes"
    # The file grew by its exceptions only (the open talent), never one rule per talent.
    rules = json.loads(client.get(WELL_KNOWN).content)
    assert len(rules) == 3 + 3 * 30


def test_the_background_build_is_bounded_in_memory(settings):
    add_talent(2000, terms={"ai_training": {**OPEN_TERM, "territories": ["US"]}})
    tracemalloc.start()
    document = published.rebuild_tdmrep()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert json.loads(document.body) == published.DEFAULT_RULES  # conditions: no exception needed
    assert peak < 16 * 1024 * 1024, peak


def test_beat_rebuilds_hourly_through_the_outbox(settings, client, django_capture_on_commit_callbacks):
    entry = settings.CELERY_BEAT_SCHEDULE["consent-rebuild-published-documents"]
    assert entry["task"] == tasks.rebuild_published_documents.name and entry["schedule"] == 3600
    with django_capture_on_commit_callbacks(execute=True):
        tasks.rebuild_published_documents()
    first = client.get(WELL_KNOWN)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        everything_open(TalentFactory())  # a signature queues its own rebuild
    assert client.get(WELL_KNOWN)["ETag"] != first
