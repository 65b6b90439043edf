"""The check tests use the terms fixtures (a talent with an account, signing helpers)."""

from tests.consent.conftest import *  # noqa: F403
