"""The OpenAPI schema as a product (product.md §5): valid OpenAPI 3 by an independent validator, JSON request
bodies (multipart only for reports), an enum with a stable name for every vocabulary, typed bulk items,
component names that client generators keep, and examples on the hot endpoints that match their schemas."""

import re

import pytest
from django.core.management import call_command
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator
from openapi_spec_validator import validate as validate_spec

from tests.api_schema.reserved import TYPESCRIPT_RENAMED

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.oai.openapi+json"
    )
    return response.json()


def component(schema, name):
    return schema["components"]["schemas"][name]


def ref_name(prop: dict) -> str:
    """The component a property points at ($ref, or the allOf wrapper drf-spectacular adds for help text)."""
    ref = prop.get("$ref") or prop["allOf"][0]["$ref"]
    return ref.rsplit("/", 1)[-1]


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.0")
    validate_spec(schema)  # openapi-spec-validator: raises on any violation of the OpenAPI 3.0 schema


def test_the_schema_generates_without_a_warning(tmp_path):
    """drf-spectacular warns of unnamed enums, colliding component names, untyped methods: none may appear."""
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))


def test_no_component_name_is_one_client_generators_rename(schema):
    names = set(schema["components"]["schemas"])
    renamed = sorted(n for n in names if n in TYPESCRIPT_RENAMED or n.lower() in TYPESCRIPT_RENAMED)
    assert not renamed, f"openapi-generator's TypeScript clients rename {renamed} (e.g. Error → ModelError)"
    assert "ApiError" in names
    # names are also valid identifiers in every generator's language (no dots, dashes or leading digits)
    assert all(re.fullmatch(r"[A-Z][A-Za-z0-9]*", n) for n in names), sorted(names)


def test_every_error_answer_is_the_api_error_component(schema):
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                body = response["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/ApiError"}, (method, path, status)


def test_request_bodies_are_json_and_only_reports_take_multipart(schema):
    bodies = {
        (method, path): sorted(operation["requestBody"]["content"])
        for path, method, operation in operations(schema)
        if "requestBody" in operation
    }
    assert bodies.pop(("post", "/api/v1/reports/")) == ["multipart/form-data"]
    assert bodies and all(types == ["application/json"] for types in bodies.values()), bodies
    for path, method, operation in operations(schema):
        if "requestBody" in operation:
            assert "415" in operation["responses"], (method, path)


VOCABULARIES = {
    # component: {property: enum component (lists: of their items)}
    "CheckRequest": {
        "use": "UseEnum",
        "modality": "ModalityEnum",
        "territory": "TerritoryEnum",
        "channel": "ChannelEnum",
    },
    "CheckResult": {"decision": "CheckDecisionEnum"},
    "CheckBasis": {"kind": "BasisKindEnum", "reason": "BasisReasonEnum"},
    "PermissionCheckLog": {
        "use": "UseEnum",
        "modality": "ModalityEnum",
        "territory": "TerritoryEnum",
        "channel": "ChannelEnum",
        "decision": "CheckDecisionEnum",
        "source": "CheckSourceEnum",
    },
    "LicenseRequestCreateRequest": {
        "use": "UseEnum",
        "modalities": "ModalityEnum",
        "territories": "TerritoryOrWorldwideEnum",
        "channels": "ChannelEnum",
    },
    "CounterRequest": {
        "modalities": "ModalityEnum",
        "territories": "TerritoryOrWorldwideEnum",
        "channels": "ChannelEnum",
    },
    "LicenseRequest": {
        "status": "LicenseRequestStatusEnum",
        "use": "UseEnum",
        "modalities": "ModalityEnum",
        "territories": "TerritoryOrWorldwideEnum",
        "channels": "ChannelEnum",
    },
    "License": {"status": "LicenseStatusEnum", "use": "UseEnum", "modalities": "ModalityEnum"},
    "Verification": {"status": "LicenseStatusEnum", "use": "UseEnum", "channels": "ChannelEnum"},
    "Offer": {"kind": "OfferKindEnum"},
    "PublicTerm": {"decision": "TermDecisionEnum", "source": "TermSourceEnum", "modalities": "ModalityEnum"},
    "TermSummary": {"use": "UseEnum", "decision": "TermDecisionEnum"},
    "PublicTalent": {"disciplines": "DisciplineEnum"},
    "ReportCreateRequest": {"relationship": "RelationshipEnum"},
    "ReportCreated": {"status": "TrackingStatusEnum"},
    "Tracking": {"status": "TrackingStatusEnum"},
    "CaseList": {"status": "CaseStatusEnum", "priority": "CasePriorityEnum", "platform": "PlatformEnum"},
    "TransitionRequest": {"to": "CaseStatusEnum"},
}


def _enum_of(prop: dict) -> str:
    if prop.get("type") == "array":
        prop = prop["items"]
    if "oneOf" in prop:  # an optional choice: the enum or the blank string
        refs = [ref_name(p) for p in prop["oneOf"]]
        assert "BlankEnum" in refs, prop
        return next(r for r in refs if r != "BlankEnum")
    return ref_name(prop)


@pytest.mark.parametrize("name", VOCABULARIES)
def test_every_vocabulary_is_a_named_enum(schema, name):
    properties = component(schema, name)["properties"]
    for prop, enum in VOCABULARIES[name].items():
        assert _enum_of(properties[prop]) == enum, (name, prop, properties[prop])


def test_enums_have_stable_names_and_the_registry_values(schema):
    components = schema["components"]["schemas"]
    enums = {name for name, body in components.items() if "enum" in body}
    hashed = sorted(n for n in enums if re.search(r"[0-9a-f]{3}Enum$", n) and any(c.isdigit() for c in n))
    assert not hashed, f"enum names derived from a hash: {hashed} (name them in ENUM_NAME_OVERRIDES)"
    values = {name: components[name]["enum"] for name in enums}
    assert values["UseEnum"] == [
        "advertising",
        "editorial",
        "digital_alteration",
        "replica_creation",
        "replica_use",
        "ai_training",
    ]
    assert values["CheckDecisionEnum"] == ["permitted", "license_required", "denied", "not_registered"]
    assert values["ModalityEnum"] == ["image", "video", "voice"]
    assert "US" in values["TerritoryEnum"] and "worldwide" not in values["TerritoryEnum"]
    assert values["TerritoryOrWorldwideEnum"] == ["worldwide", *values["TerritoryEnum"]]
    assert values["TermDecisionEnum"] == ["allow", "license", "deny"]
    assert values["TrackingStatusEnum"][0] == "received"


def test_query_filters_on_vocabularies_are_enums(schema):
    def params(path):
        return {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}

    history = params("/api/v1/permissions/checks/")
    assert set(history["use"]["enum"]) == set(component(schema, "UseEnum")["enum"])
    assert set(history["decision"]["enum"]) == set(component(schema, "CheckDecisionEnum")["enum"])
    cases = params("/api/v1/cases/")
    assert set(cases["platform"]["enum"]) == set(component(schema, "PlatformEnum")["enum"])
    assert set(cases["status"]["enum"]) == {"open", "closed", *component(schema, "CaseStatusEnum")["enum"]}


def test_bulk_items_are_a_check_result_or_an_error(schema):
    results = component(schema, "BulkCheckResponse")["properties"]["results"]
    assert results["items"] == {"$ref": "#/components/schemas/BulkCheckItem"}
    item = component(schema, "BulkCheckItem")
    assert item == {
        "oneOf": [
            {"$ref": "#/components/schemas/CheckResult"},
            {"$ref": "#/components/schemas/BulkCheckError"},
        ]
    }
    # unambiguous without a discriminator: no item can carry the required fields of both
    result, error = component(schema, "CheckResult"), component(schema, "BulkCheckError")
    assert set(error["required"]) == {"index", "error"}
    assert not set(result["required"]) & set(error["properties"])
    assert not set(error["required"]) & set(result["properties"])


HOT = {
    ("post", "/api/v1/permissions/check/"): ("request", "200"),
    ("post", "/api/v1/permissions/check/bulk/"): ("request", "200"),
    ("post", "/api/v1/license-requests/"): ("request", "201"),
    ("post", "/api/v1/reports/"): ("request", "201"),
    ("get", "/api/v1/licenses/{license_id}/verify/"): ("200",),
}


def _validator(cls, schema, body_schema):
    return cls({**body_schema, "components": schema["components"]})


def test_hot_endpoints_have_examples_that_match_their_schemas(schema):
    checked = set()
    for path, method, operation in operations(schema):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            for example in media.get("examples", {}).values():
                _validator(OAS30WriteValidator, schema, media["schema"]).validate(example["value"])
                checked.add((method, path, "request"))
        for status, response in operation["responses"].items():
            for media in response.get("content", {}).values():
                for example in media.get("examples", {}).values():
                    _validator(OAS30ReadValidator, schema, media["schema"]).validate(example["value"])
                    checked.add((method, path, status))
    for (method, path), parts in HOT.items():
        for part in parts:
            assert (method, path, part) in checked, f"no example of the {part} of {method} {path}"
