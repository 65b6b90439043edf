"""Abuse: password guessing locks the account (allauth's rate limit, then django-axes), per-IP limits on the
public report form and the tracking pages, per-key limits on the brand API — all answering 429 (the API with
Retry-After and its error body) — and secrets (tracking codes, API keys) compared in constant time."""

from __future__ import annotations

import hmac

import pytest
from axes.models import AccessAttempt
from rest_framework.throttling import ScopedRateThrottle

from registry.api.auth import OrganizationRateThrottle
from registry.brands import services as brand_services
from registry.cases import intake as case_intake
from registry.cases.models import MisuseReport
from tests.brands.helpers import bearer, key_from_command, key_object
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, email: str, password: str, ip: str = "203.0.113.7"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _rates(settings, **rates) -> None:
    """Throttle rates that code reads at request time (from settings.REST_FRAMEWORK)."""
    merged = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": merged}


def assert_throttled_api(response) -> int:
    assert response.status_code == 429, (response.status_code, response.content[:200])
    body = response.json()
    assert set(body) == {"code", "detail", "fields"} and body["code"] == "throttled"
    wait = int(response["Retry-After"])
    assert wait > 0
    return wait


# --- login lockout ----------------------------------------------------------------------------------------


def test_allauth_rate_limit_refuses_even_the_right_password_after_repeated_failures(
    client, talent_user, settings
):
    settings.AXES_FAILURE_LIMIT = 100  # let allauth's limit act first
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/m/ip,3/5m/key"}
    for _ in range(3):
        response = _login(client, talent_user.email, "wrong-password-123")
        assert response.status_code == 200 and not _signed_in(client)
        assert "not correct" in response.content.decode()
    response = _login(client, talent_user.email, PASSWORD)
    assert not _signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()
    # The limit is per account (key): another account from the same address still signs in.
    other = client.__class__()
    from tests.conftest import make_user

    make_user("someone@example.org", "talent")
    assert _login(other, "someone@example.org", PASSWORD).status_code == 302 and _signed_in(other)


def test_axes_locks_the_account_and_address_and_refuses_the_right_password(client, talent_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "100/m/ip,100/5m/key"}
    for _ in range(2):
        response = _login(client, talent_user.email, "wrong-password-123")
        assert response.status_code == 200 and not _signed_in(client)
    locked = _login(client, talent_user.email, "wrong-password-123")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    attempt = AccessAttempt.objects.get(username=talent_user.email, ip_address="203.0.113.7")
    assert attempt.failures_since_start >= 3
    # Now even the right password is refused with the lockout page, and no session is created.
    response = _login(client, talent_user.email, PASSWORD)
    assert response.status_code == 429 and not _signed_in(client)
    assert "Too many failed sign-in attempts" in response.content.decode()
    # Lockout is per account and address (AXES_LOCKOUT_PARAMETERS): the owner from elsewhere still signs in.
    elsewhere = client.__class__()
    assert _login(elsewhere, talent_user.email, PASSWORD, ip="198.51.100.20").status_code == 302
    assert _signed_in(elsewhere)


def test_failed_logins_below_the_limit_are_forgotten_after_a_success(client, talent_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "100/m/ip,100/5m/key"}
    for _ in range(2):
        _login(client, talent_user.email, "wrong-password-123")
    assert _login(client, talent_user.email, PASSWORD).status_code == 302  # AXES_RESET_ON_SUCCESS
    client.logout()
    for _ in range(2):
        assert _login(client, talent_user.email, "wrong-password-123").status_code == 200
    assert _login(client, talent_user.email, PASSWORD).status_code == 302


# --- per-IP limits: misuse reports ------------------------------------------------------------------------

REPORT = {
    "urls": "https://example.com/fake-ad",
    "description": "An AI-generated ad uses her face.",
    "relationship": "fan",
    "website": "",
}


def test_report_form_and_api_share_one_per_ip_budget(client, api_client, settings):
    _rates(settings, reports="3/hour")
    ip = {"REMOTE_ADDR": "203.0.113.50"}
    assert client.post("/cases/report/", REPORT, **ip).status_code == 302
    assert client.post("/cases/report/", REPORT, **ip).status_code == 302
    api = {"description": "An AI ad with her face.", "relationship": "fan", "urls": ["https://e.com/a"]}
    assert api_client.post("/api/v1/reports/", api, format="json", **ip).status_code == 201
    # The fourth, on either channel, is refused; the web form keeps what was typed.
    refused = client.post("/cases/report/", {**REPORT, "description": "Typed with care, kept."}, **ip)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert "Typed with care, kept." in html and "Please wait" in html
    assert_throttled_api(api_client.post("/api/v1/reports/", api, format="json", **ip))
    assert MisuseReport.objects.count() == 3
    # Spoofing X-Forwarded-For does not buy a new budget; another address has its own.
    spoofed = api_client.post("/api/v1/reports/", api, format="json", HTTP_X_FORWARDED_FOR="192.0.2.99", **ip)
    assert_throttled_api(spoofed)
    other = api_client.post("/api/v1/reports/", api, format="json", REMOTE_ADDR="203.0.113.51")
    assert other.status_code == 201


# --- per-IP limits: tracking pages ------------------------------------------------------------------------


@pytest.fixture
def tracking_code(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, code = case_intake.file_report(
            case_intake.ReportInput(
                description="An AI ad with her face.", relationship="fan", urls=["https://e.com/t"]
            )
        )
    return code


def test_tracking_page_is_limited_per_ip(client, settings, tracking_code):
    _rates(settings, tracking="3/min")
    ip = {"REMOTE_ADDR": "203.0.113.60"}
    wrong = "A" * len(tracking_code)
    assert client.get(f"/cases/track/{tracking_code}/", **ip).status_code == 200
    assert client.get(f"/cases/track/{wrong}/", **ip).status_code == 404  # guesses count too
    assert client.get(f"/cases/track/{wrong}x/", **ip).status_code == 404
    refused = client.get(f"/cases/track/{tracking_code}/", **ip)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many requests" in refused.content.decode()
    assert (
        client.get(f"/cases/track/{tracking_code}/", HTTP_X_FORWARDED_FOR="192.0.2.1", **ip).status_code
        == 429
    )
    assert client.get(f"/cases/track/{tracking_code}/", REMOTE_ADDR="203.0.113.61").status_code == 200


def test_tracking_api_is_limited_per_ip_with_retry_after(api_client, monkeypatch, tracking_code):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "tracking", "3/min")
    ip = {"REMOTE_ADDR": "203.0.113.70"}
    url = f"/api/v1/reports/track/{tracking_code}/"
    assert api_client.get(url, **ip).status_code == 200
    assert api_client.get(f"/api/v1/reports/track/{'B' * len(tracking_code)}/", **ip).status_code == 404
    assert api_client.get(url, **ip).status_code == 200
    assert_throttled_api(api_client.get(url, **ip))
    # A forged X-Forwarded-For is not a new client (the rate is per connecting address).
    assert_throttled_api(api_client.get(url, HTTP_X_FORWARDED_FOR="192.0.2.7", **ip))
    assert api_client.get(url, REMOTE_ADDR="203.0.113.71").status_code == 200


def test_public_registry_api_is_limited_per_ip_even_with_forged_forwarded_for(api_client, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "registry", "2/min")
    ip = {"REMOTE_ADDR": "203.0.113.80"}
    for n in range(2):
        assert (
            api_client.get("/api/v1/talent/?q=ana", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}", **ip).status_code
            == 200
        )
    assert_throttled_api(api_client.get("/api/v1/talent/?q=ana", HTTP_X_FORWARDED_FOR="10.0.0.9", **ip))


# --- per-key limits on the brand API ----------------------------------------------------------------------


@pytest.fixture
def keys(db, brand_user):
    brand_services.create_organization(name="Acme Apparel", actor=brand_user)
    return key_from_command("Acme Apparel", scopes="check,licenses"), key_from_command(
        "Nimbus Media", scopes="check,licenses"
    )


CHECK = {"talent": "TR-0000-0000", "use": "advertising", "modality": "image", "territory": "US"} | {
    "channel": "online"
}


@pytest.mark.parametrize(
    "scope, method, url, body",
    [
        ("check", "post", "/api/v1/permissions/check/", CHECK),
        ("check_bulk", "post", "/api/v1/permissions/check/bulk/", {"checks": [CHECK]}),
        ("check_history", "get", "/api/v1/permissions/checks/", None),
        ("licenses", "get", "/api/v1/license-requests/", None),
    ],
)
def test_api_key_throttle_is_per_key_with_retry_after(
    api_client, monkeypatch, keys, scope, method, url, body
):
    monkeypatch.setitem(OrganizationRateThrottle.THROTTLE_RATES, scope, "2/min")
    acme, nimbus = keys
    call = getattr(api_client, method)
    for _ in range(2):
        assert call(url, body, format="json", **bearer(acme), REMOTE_ADDR="203.0.113.90").status_code == 200
    # The budget follows the key, not the address: a new address does not help, another key is unaffected.
    assert_throttled_api(call(url, body, format="json", **bearer(acme), REMOTE_ADDR="198.51.100.1"))
    assert call(url, body, format="json", **bearer(nimbus), REMOTE_ADDR="203.0.113.90").status_code == 200


# --- constant-time comparison of secrets ------------------------------------------------------------------


@pytest.fixture
def compare_spy(monkeypatch):
    """Records calls of hmac.compare_digest (the real function still answers)."""
    calls: list[tuple] = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    return calls


def test_tracking_codes_wrong_of_any_length_get_the_same_404(api_client, client, tracking_code, compare_spy):
    same_length = tracking_code[:-1] + ("A" if tracking_code[-1] != "A" else "B")
    answers = []
    for code in (same_length, tracking_code[:10], tracking_code + "x", "x" * 199, "x" * 201):
        response = api_client.get(f"/api/v1/reports/track/{code}/")
        assert response.status_code == 404
        answers.append(response.json())
        assert client.get(f"/cases/track/{code}/").status_code == 404
    assert all(a == answers[0] for a in answers)  # nothing tells a near miss from a far one
    assert compare_spy == []  # a wrong code finds no stored hash: no comparison happens at all
    assert api_client.get(f"/api/v1/reports/track/{tracking_code}/").status_code == 200
    # The right code is confirmed with hmac.compare_digest on its SHA-256 (equal-length hex digests).
    assert len(compare_spy) == 1 and all(len(s) == 64 for s in compare_spy[0])


def test_api_keys_wrong_of_any_length_get_the_same_401(api_client, keys, compare_spy):
    acme, _ = keys
    prefix, secret = acme.rsplit("_", 1)[0], acme.split("_", 2)[2]
    same_length = prefix + "_" + ("A" if secret[0] != "A" else "B") + secret[1:]
    shorter, longer = prefix + "_" + secret[:5], acme + "x" * 40
    answers = []
    for key in (same_length, shorter, longer, "lr_ffffffffffff_" + secret):
        response = api_client.post("/api/v1/permissions/check/", CHECK, format="json", **bearer(key))
        assert response.status_code == 401
        answers.append(response.json())
    assert all(a == answers[0] for a in answers) and answers[0]["code"] == "invalid_api_key"
    # Keys with a known prefix were checked with hmac.compare_digest over equal-length hashes — also the
    # shorter and longer secrets (the hash hides the length), so timing tells nothing about the secret.
    assert len(compare_spy) == 3
    assert all(len(a) == len(b) for a, b in compare_spy)
    stored = key_object(acme).hashed_secret
    assert all(a == stored for a, _ in compare_spy)
    assert (
        api_client.post("/api/v1/permissions/check/", CHECK, format="json", **bearer(acme)).status_code == 200
    )
