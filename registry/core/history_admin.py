"""django-simple-history's admin with its addresses checked: an object or version id that is not a number
(`/admin/…/abc/history/`, `…/history/x/`) is a 404, not a ValueError (a 500) as in the library."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


def _valid_pk(field, value: str) -> None:
    try:
        field.to_python(unquote(value))
    except (ValidationError, ValueError, TypeError, OverflowError):
        raise Http404("No such record.") from None


class CheckedHistoryAdmin(SimpleHistoryAdmin):
    def history_view(self, request, object_id, extra_context=None):
        _valid_pk(self.model._meta.pk, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _valid_pk(self.model._meta.pk, object_id)
        _valid_pk(self.model.history.model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
