"""URL normalisation: reports about the same content must meet on one normalised URL."""

import pytest
from django.core.exceptions import ValidationError

from registry.cases.urlnorm import normalize_url, platform_of, validate_content_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "HTTPS://WWW.Instagram.com/p/AbC123/?utm_source=ig_web&igshid=xyz",
            "https://instagram.com/p/AbC123",
        ),
        ("http://example.com:80/ad/", "https://example.com/ad"),
        ("https://example.com:443/ad#comments", "https://example.com/ad"),
        ("https://example.com:8443/ad", "https://example.com:8443/ad"),
        ("https://shop.example.com/p?b=2&a=1&fbclid=X&gclid=Y", "https://shop.example.com/p?a=1&b=2"),
        ("https://m.facebook.com/story.php?id=5&ref=share", "https://facebook.com/story.php?id=5"),
        ("https://x.com/brand/status/1?s=20&t=abc", "https://x.com/brand/status/1"),
        ("https://youtu.be/dQw4w9WgXcQ?si=tracking", "https://youtube.com/watch?v=dQw4w9WgXcQ"),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
            "https://youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        ("https://example.com/", "https://example.com"),
        ("https://user:pw@Example.com/a", "https://example.com/a"),
        ("https://example.com/search?q=", "https://example.com/search?q="),
        ("https://example.com/Path/Is/Case-Sensitive", "https://example.com/Path/Is/Case-Sensitive"),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


def test_tracking_variants_meet_on_one_url():
    a = normalize_url("https://www.tiktok.com/@brand/video/42?is_from_webapp=1&sender_device=pc&utm_medium=x")
    b = normalize_url("http://tiktok.com/@brand/video/42/")
    assert a == b


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://www.instagram.com/p/x", "instagram"),
        ("https://business.facebook.com/x", "facebook"),
        ("https://youtu.be/x", "youtube"),
        ("https://twitter.com/x", "x"),
        ("https://shop.example.org/x", "website"),
    ],
)
def test_platform_of(url, platform):
    assert platform_of(url) == platform


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://example.com/x", "example.com/no-scheme", ""])
def test_only_absolute_http_urls_are_accepted(bad):
    with pytest.raises(ValidationError):
        validate_content_url(bad)
