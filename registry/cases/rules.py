"""The case desk's permissions (django-rules), asked by views, services, the API, the admin and templates."""

import rules

from accounts.rules import is_staff_member, is_supervisor
from registry.cases.errors import NotAllowed
from registry.cases.selectors import visible_cases


@rules.predicate
def can_see_case(user, case) -> bool:
    """The visibility rule of selectors.visible_cases (the one implementation), asked of one case."""
    return case is not None and visible_cases(user).filter(pk=case.pk).exists()


rules.add_perm("cases.work_cases", is_staff_member)
rules.add_perm("cases.view_case", can_see_case)
rules.add_perm("cases.supervise_cases", is_supervisor)
rules.add_perm("cases.export_cases", is_supervisor)
rules.add_perm("cases.edit_notice_templates", is_supervisor)


def ensure_staff(actor) -> None:
    """Refuse (NotAllowed, 403) unless the actor works cases: the first check of every case service."""
    if actor is None or not actor.has_perm("cases.work_cases"):
        raise NotAllowed("permission_denied", "Only union staff work cases.")
