"""Run one permission check through the single API endpoint AND the bulk endpoint: same answer both ways.

`ask` returns the answer (asserting 200 and equal answers, check IDs aside); `refused` returns the 400 error
body (asserting the bulk item carries the same error). `sign_terms_naming` signs terms whose uses are
limited to some organizations (Term.organizations: organization ids).
"""

from datetime import date

from django.utils import timezone

from registry.consent import drafts, signing
from registry.consent.models import Term, TermVersion
from tests.brands.helpers import bearer

SINGLE = "/api/v1/permissions/check/"
BULK = "/api/v1/permissions/check/bulk/"
D = "2026-06-01"


def body(talent, **overrides) -> dict:
    data = {
        "talent": talent.registry_id if hasattr(talent, "registry_id") else talent,
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "online",
        "date": D,
        **overrides,
    }
    return {k: v for k, v in data.items() if v is not None}


def _without_id(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "check_id"}


def ask(client, key, talent, **overrides) -> dict:
    data = body(talent, **overrides)
    single = client.post(SINGLE, data, format="json", **bearer(key))
    assert single.status_code == 200, single.content
    bulk = client.post(BULK, {"checks": [data]}, format="json", **bearer(key))
    assert bulk.status_code == 200, bulk.content
    [item] = bulk.json()["results"]
    answer = single.json()
    assert item["check_id"].startswith("chk_") and item["check_id"] != answer["check_id"]
    assert _without_id(item) == _without_id(answer), "the bulk endpoint answered otherwise"
    return answer


def refused(client, key, talent, **overrides) -> dict:
    data = body(talent, **overrides)
    single = client.post(SINGLE, data, format="json", **bearer(key))
    assert single.status_code == 400, single.content
    bulk = client.post(BULK, {"checks": [data]}, format="json", **bearer(key))
    assert bulk.status_code == 200, bulk.content
    [item] = bulk.json()["results"]
    error = single.json()
    assert item == {"index": 0, "error": error}
    return error


def sign_terms_naming(talent, uses: dict, organizations: dict, *, effective_from=date(2026, 1, 1)):
    """Sign terms where `organizations` maps a use to the organizations it is limited to."""
    draft = drafts.create_draft(talent=talent, effective_from=effective_from, uses=uses)
    for use, orgs in organizations.items():
        Term.objects.filter(version=draft, use=use).update(organizations=[o.pk for o in orgs])
    return sign(talent, draft)


def sign(talent, draft) -> TermVersion:
    signed_as = "guardian" if talent.is_minor(timezone.localdate()) else "talent"
    ctx = signing.SignatureContext(
        actor=None, signed_as=signed_as, signer_name=talent.stage_name, ip="127.0.0.1"
    )
    return signing.sign_version(draft, ctx)
