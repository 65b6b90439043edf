"""Sections other apps add to talent pages: the dashboard (/talent/me/, /talent/manage/<registry_id>/) and
the public profile (/talent/<registry_id>/).

An app registers a section once, from its AppConfig.ready() (or any module imported at start-up):

    from registry.talent.sections import register_dashboard_section, register_profile_section

    register_dashboard_section(
        "licensing/_talent_requests.html",          # rendered inside the dashboard
        context=lambda request, talent, acting: {"requests": selectors.requests_for_talent(talent)[:10]},
        order=20,                                   # lower comes first
        slot="end",                                 # "after_profile" (below the profile cards) or "end"
    )
    register_profile_section(
        "consent/_profile_terms.html",              # rendered below the public profile card
        context=lambda request, talent: {"version": version_in_effect(talent)},
        head_template="consent/_tdmrep_meta.html",  # optional: rendered in <head> with the same context
        headers=lambda request, talent, context: {"tdm-reservation": "1"},  # optional: HTTP headers
    )

Dashboard templates get `talent` (the TalentProfile), `acting` ("talent", "guardian", "representative",
"estate" or "staff"), `request`, `user`, plus whatever `context` returns; public-profile templates get the
same without `acting` (the visitor may be anonymous). A section whose `context` returns None is skipped (e.g.
the viewer may not see it). Each section should render one `<section class="card">` with an h2. Sections must
keep a fixed number of queries (select_related / prefetch_related, bounded lists).

The staff member page (/staff/talent/<registry_id>/) shows short lines other apps register with
`register_staff_section(template, context=lambda talent: {...})` (e.g. likeness: whether biometric consent is
in force); their templates get `talent` plus what `context` returns.

Apps that prefer not to register may instead ship a template at one of CONVENTIONAL_TEMPLATES; it is
included at the end of the dashboard with the same base context when it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

CONVENTIONAL_TEMPLATES = (
    ("brands/_talent_dashboard.html", 10),  # who checked my permissions
    ("licensing/_talent_dashboard.html", 20),  # my license requests and licenses
    ("cases/_talent_dashboard.html", 30),  # cases about me
)
DASHBOARD_SLOTS = ("after_profile", "end")


@dataclass(frozen=True)
class DashboardSection:
    template: str
    context: Callable | None = None
    order: int = 50
    slot: str = "end"


@dataclass(frozen=True)
class ProfileSection:
    template: str
    context: Callable | None = None
    order: int = 50
    head_template: str | None = None
    headers: Callable | None = None


@dataclass(frozen=True)
class StaffSection:
    template: str
    context: Callable | None = None
    order: int = 50


_SECTIONS: dict[str, DashboardSection] = {}
_STAFF_SECTIONS: dict[str, StaffSection] = {}
_PROFILE_SECTIONS: dict[str, ProfileSection] = {}


def register_dashboard_section(
    template: str, *, context: Callable | None = None, order: int = 50, slot: str = "end"
) -> None:
    """Add (or replace, by template name) a dashboard section. Safe to call more than once."""
    if slot not in DASHBOARD_SLOTS:
        raise ValueError(f"Unknown dashboard slot {slot!r}; expected one of {', '.join(DASHBOARD_SLOTS)}.")
    _SECTIONS[template] = DashboardSection(template=template, context=context, order=order, slot=slot)


def register_profile_section(
    template: str,
    *,
    context: Callable | None = None,
    order: int = 50,
    head_template: str | None = None,
    headers: Callable | None = None,
) -> None:
    """Add (or replace, by template name) a public-profile section. Safe to call more than once.
    `headers(request, talent, context)` returns HTTP headers for the page (e.g. TDMRep, AIPREF)."""
    _PROFILE_SECTIONS[template] = ProfileSection(
        template=template, context=context, order=order, head_template=head_template, headers=headers
    )


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def dashboard_sections(request, talent, acting: str) -> dict[str, list[str]]:
    """The HTML of every dashboard section for this talent and viewer, in order, by slot."""
    sections = dict(_SECTIONS)
    for name, order in CONVENTIONAL_TEMPLATES:
        if name not in sections and _template_exists(name):
            sections[name] = DashboardSection(template=name, order=order)
    html: dict[str, list[str]] = {slot: [] for slot in DASHBOARD_SLOTS}
    for section in sorted(sections.values(), key=lambda s: (s.order, s.template)):
        extra = {}
        if section.context is not None:
            extra = section.context(request, talent, acting)
            if extra is None:
                continue
        context = {"talent": talent, "acting": acting, **extra}
        html[section.slot].append(render_to_string(section.template, context, request=request))
    return html


def profile_sections(request, talent) -> dict:
    """The HTML of every public-profile section, in order, and the headers they add:
    {"head": [...], "body": [...], "headers": {...}}."""
    html: dict = {"head": [], "body": [], "headers": {}}
    for section in sorted(_PROFILE_SECTIONS.values(), key=lambda s: (s.order, s.template)):
        extra = {}
        if section.context is not None:
            extra = section.context(request, talent)
            if extra is None:
                continue
        context = {"talent": talent, **extra}
        if section.head_template:
            html["head"].append(render_to_string(section.head_template, context, request=request))
        html["body"].append(render_to_string(section.template, context, request=request))
        if section.headers is not None:
            html["headers"].update(section.headers(request, talent, context))
    return html


def register_staff_section(template: str, *, context: Callable | None = None, order: int = 50) -> None:
    """Add (or replace, by template name) a line of the staff member page. Safe to call more than once."""
    _STAFF_SECTIONS[template] = StaffSection(template=template, context=context, order=order)


def staff_sections(talent) -> list[str]:
    """The HTML of every staff-page section for this talent, in order."""
    html = []
    for section in sorted(_STAFF_SECTIONS.values(), key=lambda s: (s.order, s.template)):
        extra = section.context(talent) if section.context is not None else {}
        if extra is None:
            continue
        html.append(render_to_string(section.template, {"talent": talent, **extra}))
    return html
