"""Shared fixtures: users per role, an API client, eager Celery for ordinary tests, a clean cache."""

import os
import sys

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from accounts.models import User
from accounts.roles import Role, grant_role
from registry.celery import app as celery_app

PASSWORD = "correct-horse-battery-staple"


def _redis_test_url() -> str:
    """The real Redis (REDIS_URL in CI, the machine's own otherwise), one database per test process."""
    from urllib.parse import urlsplit, urlunsplit

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit(parts._replace(path=f"/{10 + int(worker or 0) % 6}"))


REDIS_TEST_URL = _redis_test_url()


def pytest_collection_modifyitems(config, items):
    """Tests that use the real Redis run on one xdist worker, one after another (they share its databases)."""
    for item in items:
        if item.get_closest_marker("redis") is not None:
            item.add_marker(pytest.mark.xdist_group("redis"))


@pytest.fixture(autouse=True)
def _isolated_services(settings, request, tmp_path):
    """Ordinary tests run Celery eagerly against a local-memory cache, so they neither need nor share Redis.

    Tests marked `redis` get the real Redis (REDIS_URL in CI, the machine's local Redis otherwise).
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads never land in the work tree
    from django.core.cache import cache

    cache.clear()
    matching = sys.modules.get("registry.likeness.matching")
    if matching is not None:
        matching.reset()  # the in-process face index would outlive the test's rolled-back rows
    if request.node.get_closest_marker("redis") is None:
        settings.REDIS_URL = ""
        celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = True


def make_user(email: str, *roles: str, mfa: bool = False, **extra) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, display_name=extra.pop("name", ""), **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for role in roles:
        grant_role(user, role)
    if mfa:
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def talent_user(db):
    return make_user("talent-a@example.org", Role.TALENT, name="Talent A")


@pytest.fixture
def other_talent_user(db):
    return make_user("talent-b@example.org", Role.TALENT, name="Talent B")


@pytest.fixture
def representative_user(db):
    return make_user("agent@example.org", Role.REPRESENTATIVE, name="Agent")


@pytest.fixture
def brand_user(db):
    return make_user("brand@example.org", Role.BRAND_MEMBER, name="Brand member")


@pytest.fixture
def staff_user(db):
    return make_user("staff@example.org", Role.STAFF, mfa=True, name="Staff")


@pytest.fixture
def supervisor_user(db):
    return make_user("supervisor@example.org", Role.SUPERVISOR, mfa=True, name="Supervisor")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


class broker_at:
    """Point Celery at a broker URL (and not eager) for the duration of a `with` block."""

    def __init__(self, url: str):
        self.url = url

    @staticmethod
    def _reset_pools():
        celery_app.amqp._producer_pool = None
        celery_app._pool = None

    def __enter__(self):
        self.old = celery_app.conf.broker_url
        self.old_options = celery_app.conf.broker_transport_options
        # Every key this test process puts in Redis (queues, bindings) carries its own prefix: a second copy
        # of the suite on the same Redis never takes this one's tasks (nor this one theirs).
        options = {**(self.old_options or {}), "global_keyprefix": f"test-{os.getpid()}-"}
        celery_app.conf.update(task_always_eager=False, broker_url=self.url, broker_transport_options=options)
        self._reset_pools()
        return self

    def __exit__(self, *exc):
        celery_app.conf.update(
            task_always_eager=True, broker_url=self.old, broker_transport_options=self.old_options
        )
        self._reset_pools()


DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = (
        "true"  # Playwright's sync API runs an event loop in this thread
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def browser_login(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def axe_violations(page, impacts=("critical", "serious")) -> list:
    """axe-core (shipped inside axe-playwright-python, works offline): violations of the given impacts."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]
