"""Sections other apps add to the talent dashboard (/talent/me/ and /talent/manage/<registry_id>/).

An app registers a section once, from its AppConfig.ready() (or any module imported at start-up):

    from registry.talent.sections import register_dashboard_section

    register_dashboard_section(
        "licensing/_talent_requests.html",          # rendered inside the dashboard's sections area
        context=lambda request, talent, acting: {"requests": selectors.requests_for_talent(talent)[:10]},
        order=20,                                   # lower comes first
    )

The template gets `talent` (the TalentProfile), `acting` ("talent", "guardian", "representative", "estate"
or "staff"), `request`, `user`, plus whatever `context` returns. A section whose `context` returns None is
skipped (e.g. the viewer may not see it). Each section should render one `<section class="card">` with an h2.
Sections must keep a fixed number of queries (select_related / prefetch_related, bounded lists).

Apps that prefer not to register may instead ship a template at one of CONVENTIONAL_TEMPLATES; it is
included with the same base context when it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

CONVENTIONAL_TEMPLATES = (
    ("brands/_talent_dashboard.html", 10),  # who checked my permissions
    ("licensing/_talent_dashboard.html", 20),  # my license requests and licenses
    ("cases/_talent_dashboard.html", 30),  # cases about me
)


@dataclass(frozen=True)
class DashboardSection:
    template: str
    context: Callable | None = None
    order: int = 50


_SECTIONS: dict[str, DashboardSection] = {}


def register_dashboard_section(template: str, *, context: Callable | None = None, order: int = 50) -> None:
    """Add (or replace, by template name) a dashboard section. Safe to call more than once."""
    _SECTIONS[template] = DashboardSection(template=template, context=context, order=order)


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def rendered_sections(request, talent, acting: str) -> list[str]:
    """The HTML of every section for this talent and viewer, in order."""
    from django.template.loader import render_to_string

    sections = dict(_SECTIONS)
    for name, order in CONVENTIONAL_TEMPLATES:
        if name not in sections and _template_exists(name):
            sections[name] = DashboardSection(template=name, order=order)
    html = []
    for section in sorted(sections.values(), key=lambda s: (s.order, s.template)):
        extra = {}
        if section.context is not None:
            extra = section.context(request, talent, acting)
            if extra is None:
                continue
        html.append(
            render_to_string(section.template, {"talent": talent, "acting": acting, **extra}, request=request)
        )
    return html
