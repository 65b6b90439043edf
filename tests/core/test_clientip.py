"""One notion of the client's address: REMOTE_ADDR, or what N trusted proxies recorded in X-Forwarded-For."""

import pytest
from django.test import RequestFactory

from registry.core.clientip import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.1"),
        (0, "6.6.6.6", "10.0.0.1"),  # no trusted proxy: a client-sent header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the forged left entry is not trusted
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (3, "203.0.113.9", "203.0.113.9"),  # fewer hops than proxies: the first recorded one
        (1, " , ", "10.0.0.1"),
    ],
)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_report_limit_counts_clients_not_the_proxy(client, settings):
    """Behind one proxy, two clients have separate report budgets (the cases throttle uses client_ip)."""
    from registry.cases import throttle

    settings.TRUSTED_PROXY_COUNT = 1
    a = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    b = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert throttle.client_ip(a) != throttle.client_ip(b)
    assert throttle.client_ip(a) == "198.51.100.1"
