"""SITE_URL: links in emails and QR codes follow the deployment, never the development server's port 8000."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def _site_url(**env) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "DEBUG", "ALLOWED_HOSTS")}
    environment.update(env, SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="registry.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    answer = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert answer.returncode == 0, answer.stderr
    return answer.stdout.strip()


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"ALLOWED_HOSTS": "registry.union.example,localhost"}, "https://registry.union.example"),
        ({"ALLOWED_HOSTS": "localhost,.union.example"}, "https://union.example"),
        ({"ALLOWED_HOSTS": "localhost", "SITE_URL": "https://likeness.example/"}, "https://likeness.example"),
        ({"ALLOWED_HOSTS": "registry.union.example", "DEBUG": "1"}, "http://127.0.0.1:8000"),
    ],
)
def test_site_url_defaults_to_the_public_host(env, expected):
    assert _site_url(**env) == expected
