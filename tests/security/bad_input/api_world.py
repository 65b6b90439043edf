"""An API world for hostile bodies (talent, brand key, license request, case) and the one error format."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from registry.brands import services as brand_services
from registry.brands.models import PermissionCheck
from registry.cases import intake as case_intake
from registry.cases.models import MisuseReport
from registry.licensing import requests as licensing_requests
from tests.brands.helpers import bearer, key_from_command
from tests.factories import TalentFactory


def assert_api_error(response, status: int | tuple = 400, code: str | None = None) -> dict:
    """A 4xx in the one error format: {"code", "detail", "fields"}, as JSON."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "detail", "fields"}, body
    assert (
        isinstance(body["code"], str) and body["code"] and isinstance(body["detail"], str) and body["detail"]
    )
    assert isinstance(body["fields"], dict)
    if code is not None:
        assert body["code"] == code, body
    return body


def check_body(rid: str, **overrides) -> dict:
    return {
        "talent": rid,
        "use": "advertising",
        "modality": "image",
        "territory": "US",
        "channel": "online",
    } | (overrides)


def license_body(rid: str, **overrides) -> dict:
    today = timezone.localdate()
    return {
        "talent": rid,
        "use": "advertising",
        "modalities": ["image"],
        "territories": ["US"],
        "channels": ["online"],
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=90)).isoformat(),
        "fee": {"amount": "3000.00", "currency": "USD"},
        "product_category": "apparel",
        "description": "Spring denim campaign: studio photos for the online shop and social channels "
        "in the US.",
    } | overrides


class Api:
    """An API world: a talent with an account, a brand with a key, a pending license request, a case."""

    def __init__(self, client, talent_user, brand_user, staff_user, capture):
        self.client = client
        self.talent_user, self.brand_user, self.staff_user = talent_user, brand_user, staff_user
        self.talent = TalentFactory(user=talent_user, stage_name="Ana Reyes")
        self.rid = self.talent.registry_id
        self.organization = brand_services.create_organization(name="Acme Apparel", actor=brand_user)
        self.key = key_from_command("Acme Apparel", scopes="check,licenses,reports")
        with capture(execute=True):
            self.request = licensing_requests.request_license(
                organization=self.organization,
                actor=brand_user,
                talent_registry_id=self.rid,
                data=license_body(self.rid),
            )
            report, _ = case_intake.file_report(
                case_intake.ReportInput(
                    description="An AI ad with her face.", relationship="fan", urls=["https://e.com/ad"]
                )
            )
        report.refresh_from_db()
        self.case = report.case

    def call(self, method: str, url: str, who: str, body, *, raw: bool = False, content_type=None):
        self.client.logout()
        headers = {}
        if who == "brand":
            headers = bearer(self.key)
        elif who in ("talent", "staff"):
            self.client.force_login(self.talent_user if who == "talent" else self.staff_user)
        if raw:
            return getattr(self.client, method)(
                url, data=body, content_type=content_type or "application/json", **headers
            )
        return getattr(self.client, method)(url, body, format="json", **headers)

    def endpoints(self) -> list[tuple[str, str, str]]:
        lr, case = self.request.pk, self.case.pk
        return [
            ("post", "/api/v1/permissions/check/", "brand"),
            ("post", "/api/v1/permissions/check/bulk/", "brand"),
            ("post", "/api/v1/license-requests/", "brand"),
            ("post", f"/api/v1/license-requests/{lr}/approve/", "talent"),
            ("post", f"/api/v1/license-requests/{lr}/decline/", "talent"),
            ("post", f"/api/v1/license-requests/{lr}/counter/", "talent"),
            ("post", "/api/v1/reports/", "anon"),
            ("patch", f"/api/v1/cases/{case}/", "staff"),
            ("post", f"/api/v1/cases/{case}/transition/", "staff"),
        ]

    def state(self) -> tuple:
        """Everything a refused call must leave untouched."""
        self.request.refresh_from_db()
        self.case.refresh_from_db()
        return (
            PermissionCheck.objects.count(),
            type(self.request).objects.count(),
            self.request.status,
            self.request.fee_amount,
            MisuseReport.objects.count(),
            self.case.version,
            self.case.status,
        )


# Per endpoint: a valid body, and the type of each field (wrong values are derived from the type).
def typed_fields(api) -> list[tuple[str, str, str, dict, dict]]:
    version = api.case.version
    return [
        (
            "post",
            "/api/v1/permissions/check/",
            "brand",
            check_body(api.rid),
            dict.fromkeys(
                ("talent", "use", "modality", "territory", "channel", "date", "product_category"), "str"
            ),
        ),
        (
            "post",
            "/api/v1/license-requests/",
            "brand",
            license_body(api.rid),
            {
                "talent": "str",
                "use": "str",
                "modalities": "list",
                "territories": "list",
                "channels": "list",
                "valid_from": "date",
                "valid_until": "date",
                "fee": "obj",
                "product_category": "str",
                "description": "str",
                "message": "str",
            },
        ),
        (
            "post",
            f"/api/v1/license-requests/{api.request.pk}/counter/",
            "talent",
            {"fee": {"amount": "5000.00", "currency": "USD"}},
            {"fee": "obj", "valid_until": "date", "modalities": "list", "message": "str"},
        ),
        ("post", f"/api/v1/license-requests/{api.request.pk}/decline/", "talent", {}, {"message": "str"}),
        ("post", f"/api/v1/license-requests/{api.request.pk}/approve/", "talent", {}, {"message": "str"}),
        (
            "post",
            "/api/v1/reports/",
            "anon",
            {"description": "An AI ad with her face.", "relationship": "fan", "urls": ["https://e.com/x"]},
            {
                "urls": "list",
                "platform": "str",
                "seen_on": "date",
                "talent": "str",
                "organization": "str",
                "use": "str",
                "territory": "str",
                "description": "str",
                "sensitive": "bool",
                "relationship": "str",
                "reporter_name": "str",
                "reporter_email": "str",
            },
        ),
        (
            "patch",
            f"/api/v1/cases/{api.case.pk}/",
            "staff",
            {"version": version, "priority": "high"},
            {
                "version": "int",
                "priority": "str",
                "assignee": "int",
                "confidential": "bool",
                "summary": "str",
                "talent": "str",
                "organization": "str",
                "use": "str",
                "platform": "str",
                "seen_on": "date",
            },
        ),
        (
            "post",
            f"/api/v1/cases/{api.case.pk}/transition/",
            "staff",
            {"to": "triage", "version": version},
            {
                "to": "str",
                "version": "int",
                "reason": "str",
                "outcome": "str",
                "outcome_note": "str",
                "license_request": "int",
            },
        ),
    ]


LONG_WORDS = "Spring denim campaign: studio photos for the online shop and social channels in the US."

WRONG = {
    "str": [{"a": 1}, ["x"], True, [LONG_WORDS]],  # a list of long text must not pass as its repr
    "list": [{"a": 1}, 7, True, [{"a": 1}], [["x"]]],
    "date": [{"a": 1}, ["2026-01-01"], True, "2026-13-45"],
    "bool": [{"a": 1}, ["x"], "perhaps"],
    "int": [{"a": 1}, ["1"], "one", True, 10**30],
    "obj": ["lots", ["5000", "USD"], 5000, {"amount": {"x": 1}, "currency": "USD"}],
}
