"""Stored-XSS payloads and the check that a page shows them escaped (never as markup a browser runs)."""

from __future__ import annotations

from html.parser import HTMLParser


def xss(tag: str) -> str:
    """A payload that breaks out of attributes and text: a script, an event handler, both quote kinds."""
    return f"\"'><script>alert({tag})</script><img src=x onerror=alert({tag})>"


def escaped(tag: str) -> str:
    return f"&lt;script&gt;alert({tag})&lt;/script&gt;"


class _Markup(HTMLParser):
    """Collects what a browser would execute: inline script bodies and on* event-handler attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_script = False
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str, str]] = []
        self.bad_urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.append((tag, name, value or ""))
            if name.lower() in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.bad_urls.append(value)
        if tag == "script":
            self.in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts[-1] += data


def assert_no_markup_injected(html: str, where: str) -> None:
    assert "<script>alert(" not in html, f"raw script payload on {where}"
    parser = _Markup()
    parser.feed(html)
    assert not parser.handlers, f"event handler attributes on {where}: {parser.handlers[:3]}"
    inline = [s for s in parser.scripts if s.strip()]
    assert not inline, f"inline script on {where}: {inline[:2]}"
    assert not parser.bad_urls, f"javascript: URL on {where}: {parser.bad_urls[:2]}"


def page(client, url: str, *tags: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    html = response.content.decode()
    assert_no_markup_injected(html, url)
    for tag in tags:
        assert escaped(tag) in html, f"{url} does not show field {tag!r} (escaped)"
    return html
