"""django-rules predicates for cases, shared by views, the API and templates."""

import rules

from accounts.rules import is_staff_member, is_supervisor
from registry.cases.workflow import can_see


@rules.predicate
def can_see_case(user, case) -> bool:
    return case is not None and can_see(user, case)


rules.add_perm("cases.work_cases", is_staff_member)
rules.add_perm("cases.view_case", can_see_case)
rules.add_perm("cases.supervise_cases", is_supervisor)
rules.add_perm("cases.export_cases", is_supervisor)
rules.add_perm("cases.edit_notice_templates", is_supervisor)
