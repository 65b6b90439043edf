"""Case search (`q=` of the staff queue and of GET /api/v1/cases/): indexed lookups, never a scan of talent.

- a case reference (`C-00042`, `c42`, `42`) finds that case;
- a registry ID (any Crockford form) finds the talent by its unique index, then its cases by `talent_id`;
- a URL (with a scheme, `www.…`, a host name, or `host/path`) is normalised as reported URLs are and matched
  on the `normalized_url` index: that address, or everything under it (`…/` or `…?` prefix), so a path or a
  site finds its pages;
- other text of 3 or more characters matches the case's own summary, reported talent name, suspected user and
  description (GIN trigram indexes on PostgreSQL, migration cases 0007), the cases of talent whose stage name
  contains it (the talent trigram index; only talent that have a case, at most TALENT_CANDIDATES) and of
  organizations whose name contains it (at most ORGANIZATION_CANDIDATES).

Candidate ids are read first with small indexed queries and go into the case query as literal lists, so the
planner ORs index scans (BitmapOr) instead of testing every case against a subquery.
"""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q

from registry.brands.models import Organization
from registry.cases.models import Case, ReportedURL
from registry.cases.urlnorm import normalize_url
from registry.talent.models import TalentProfile
from registry.talent.registry_ids import canonical_registry_id
from registry.talent.search import normalize_name

MIN_TEXT = 3  # shorter text cannot use a trigram index: only references and IDs match
TALENT_CANDIDATES = 500
ORGANIZATION_CANDIDATES = 200
URL_CANDIDATES = 1000

_REFERENCE = re.compile(r"^(?:C-?)?0*(\d{1,12})$", re.IGNORECASE)
_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?$", re.IGNORECASE)


def case_reference(text: str) -> int | None:
    match = _REFERENCE.match(text)
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


def as_url(text: str) -> str | None:
    """The normalised form of text that reads as a web address (None otherwise)."""
    if not text or any(c.isspace() for c in text):
        return None
    if "://" in text:
        return normalize_url(text) if text.lower().startswith(("http://", "https://")) else None
    host = text.split("/", 1)[0]
    if not _HOST.match(host):
        return None
    return normalize_url("https://" + text)


def search_q(text: str) -> Q:
    """The cases matching `text` (reads candidate ids first; see the module docstring)."""
    text = (text or "").strip()[:200]
    q = Q(pk__in=[])
    reference = case_reference(text)
    if reference is not None:
        q |= Q(pk=reference)
    registry_id = canonical_registry_id(text)
    if registry_id is not None:  # an ID is exact: nothing else can match it
        talent = TalentProfile.objects.filter(registry_id=registry_id).values_list("pk", flat=True)[:1]
        return q | Q(talent_id__in=list(talent))
    url = as_url(text)
    if url is not None:
        under = (
            Q(normalized_url=url)
            | Q(normalized_url__startswith=url + "/")
            | Q(normalized_url__startswith=url + "?")
        )
        cases = ReportedURL.objects.filter(under).order_by().values_list("case_id", flat=True)
        return q | Q(pk__in=sorted(set(cases[:URL_CANDIDATES])))
    if len(text) < MIN_TEXT:
        return q
    q |= (
        Q(summary__icontains=text)
        | Q(talent_name__icontains=text)
        | Q(organization_name__icontains=text)
        | Q(description__icontains=text)
    )
    needle = normalize_name(text)
    if len(needle) >= MIN_TEXT:
        talent_ids = list(
            TalentProfile.objects.filter(search_name__contains=needle)
            .filter(Exists(Case.objects.filter(talent_id=OuterRef("pk"))))
            .order_by()  # no sort by name: the scan stops at the bound
            .values_list("pk", flat=True)[:TALENT_CANDIDATES]
        )
        if talent_ids:
            q |= Q(talent_id__in=talent_ids)
    organization_ids = list(
        Organization.objects.filter(name__icontains=text)
        .order_by()
        .values_list("pk", flat=True)[:ORGANIZATION_CANDIDATES]
    )
    if organization_ids:
        q |= Q(organization_id__in=organization_ids)
    return q
