"""Send a notice the way staff do: draft it (the preview), then send with that draft's confirmation token."""

from registry.cases import notices
from registry.cases.models import Case


def send_confirmed_notice(case_id: int, *, actor, version, url_ids=None, response_days=None, **fields):
    case = Case.objects.select_related("talent", "organization").get(pk=case_id)
    draft = notices.draft_notice(case, actor=actor, url_ids=url_ids, response_days=response_days, **fields)
    return notices.send_notice(
        case_id,
        actor=actor,
        version=version,
        url_ids=url_ids,
        response_days=response_days,
        confirmation=draft.confirmation,
        **fields,
    )
