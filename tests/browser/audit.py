"""The page audit of the journey tests (issue 18): every page a journey visits is shot full-page at 390 px and
1280 px under tests/browser/artifacts/ and must have no horizontal scroll on a phone, no raw snake_case stored
value in its visible text, no serious or critical axe-core finding and no console error."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.apps import apps

from registry.core import labels
from tests.conftest import axe_violations

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE, DESK = 390, 1280


@cache
def snake_vocabulary() -> frozenset[str]:
    """Every stored value with an underscore: all registered vocabularies and every model field's choices."""
    values = {value for vocabulary in labels._BY_VOCABULARY.values() for value in vocabulary}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, _text in getattr(field, "flatchoices", None) or ():
                values.add(str(value))
    return frozenset(v for v in values if "_" in v)


def raw_values(text: str) -> list[str]:
    """Each raw value found, with a little of the text around it (to find the template)."""
    found = []
    for value in sorted(snake_vocabulary()):
        match = re.search(rf"(?<![\w/#=.-]){re.escape(value)}(?![\w/-])", text)
        if match:
            found.append(repr(text[max(0, match.start() - 40) : match.end() + 20]))
    return found


# The visible text minus code shown as code (<pre>/<code>, e.g. a signed JSON document on purpose).
VISIBLE_PROSE = """() => {
  const code = [...document.querySelectorAll('main pre, main code, main samp, main kbd')];
  const before = code.map((el) => el.style.display);
  code.forEach((el) => { el.style.display = 'none'; });
  const text = document.body.innerText;
  code.forEach((el, i) => { el.style.display = before[i]; });
  return text;
}"""


class Auditor:
    """Collects console errors of a page and audits each page a journey visits."""

    def __init__(self, page, journey: str):
        self.page, self.journey, self.count = page, journey, 0
        self.console: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.console.append(str(e)))
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm buttons ask first
        self.problems: list[str] = []
        ARTIFACTS.mkdir(exist_ok=True)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        # A form sent back with its errors answers 400 on purpose: Chromium logs the document's own status.
        if (
            message.text.startswith("Failed to load resource")
            and message.location.get("url") == self.page.url
        ):
            return
        self.console.append(f"{message.text} ({message.location.get('url')})")

    def __call__(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("networkidle")
        self.count += 1
        stem = f"{self.journey}-{self.count:02d}-{name}"
        problems = []
        page.set_viewport_size({"width": PHONE, "height": 844})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide = page.evaluate(
                """() => {
                  const clipped = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
                    if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; };
                  return [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > 391 && !clipped(e))
                    .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id); }"""
            )
            problems.append(f"{width} px wide at {PHONE} px: {wide}")
        page.screenshot(path=str(ARTIFACTS / f"{stem}-{PHONE}.png"), full_page=True)
        violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe_violations(page)]
        if violations:
            problems.append(f"axe at {PHONE} px: {violations}")
        page.set_viewport_size({"width": DESK, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{stem}-{DESK}.png"), full_page=True)
        prose = page.evaluate(VISIBLE_PROSE)
        raw = raw_values(prose)
        if raw:
            problems.append(f"raw stored values on screen: {raw}")
        template = re.search(r"\{[#%{].{0,60}", prose)  # a template comment or tag shown as text
        if template:
            problems.append(f"template syntax on screen: {template.group(0)!r}")
        if self.console:
            problems.append(f"console errors: {self.console}")
            self.console = []
        if problems:
            self.problems.append(f"{stem} ({page.url}): " + "; ".join(problems))

    def assert_clean(self) -> None:
        """At the end of a journey: every page's problems at once (the journey still runs to its end)."""
        assert not self.problems, "\n".join(self.problems)
